/** ComponentDefinition `event-driven-service`: emits an EventDrivenService claim. */
import { eventDrivenService } from '../../functions/event-driven-service/api.js';
import { CLAIM_HEALTH_POLICY, claimCustomStatus } from './claim.js';
import { apiParameter, claimOutput, componentDefinition, cueTemplate } from './definitions.js';

export function eventDrivenServiceDefinition() {
  const parameter = apiParameter(eventDrivenService);
  return componentDefinition({
    name: 'event-driven-service',
    description: eventDrivenService.description,
    template: cueTemplate([claimOutput(eventDrivenService), parameter.cue], parameter.schema),
    healthPolicy: CLAIM_HEALTH_POLICY,
    customStatus: claimCustomStatus(
      '_ready && _status.replicas != _|_ && _status.trigger != _|_',
      '"\\(_status.replicas.ready)/\\(_status.replicas.desired) replicas ready, scaling on \\(_status.trigger)"',
    ),
  });
}
