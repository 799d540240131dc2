/** The application composition function, ready to serve or to call in tests. */
import { compositionFunction } from '../lib/function/compose.js';
import { application } from './api.js';
import { composeApplication } from './compose.js';

export const compose = compositionFunction(application, composeApplication);
