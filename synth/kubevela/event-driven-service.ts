/** ComponentDefinition `event-driven-service`: emits an EventDrivenService claim. */
import { eventDrivenService } from '../../functions/event-driven-service/api.js';
import { claimDefinition } from './definitions.js';

export function eventDrivenServiceDefinition() {
  return claimDefinition(
    eventDrivenService,
    'event-driven-service',
    '_status.replicas.ready != _|_ && _status.replicas.desired != _|_ && _status.trigger != _|_',
    '"\\(_status.replicas.ready)/\\(_status.replicas.desired) replicas ready, scaling on \\(_status.trigger)"',
  );
}
