/** The event-driven-service composition function, ready to serve or to call in tests. */
import { compositionFunction } from '../lib/function/compose.js';
import { eventDrivenService } from './api.js';
import { composeEventDrivenService } from './compose.js';

export const compose = compositionFunction(eventDrivenService, composeEventDrivenService);
