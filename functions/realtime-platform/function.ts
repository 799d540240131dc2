/** The realtime-platform composition function, ready to serve or to call in tests. */
import { compositionFunction } from '../lib/function/compose.js';
import { realtimePlatform } from './api.js';
import { composeRealtimePlatform } from './compose.js';

export const compose = compositionFunction(realtimePlatform, composeRealtimePlatform);
