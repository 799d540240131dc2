/** The vcluster composition function, ready to serve or to call in tests. */
import { compositionFunction } from '../lib/function/compose.js';
import { vcluster } from './api.js';
import { composeVCluster } from './compose.js';

export const compose = compositionFunction(vcluster, composeVCluster);
