/** ComponentDefinition `vcluster`: emits a VClusterEnvironmentClaim (seed Table 2). */
import { vcluster } from '../../functions/vcluster/api.js';
import { CLAIM_HEALTH_POLICY, claimCustomStatus } from './claim.js';
import { apiParameter, claimOutput, componentDefinition, cueTemplate } from './definitions.js';

export function vclusterDefinition() {
  const parameter = apiParameter(vcluster);
  return componentDefinition({
    name: 'vcluster',
    description: vcluster.description,
    template: cueTemplate([claimOutput(vcluster), parameter.cue], parameter.schema),
    healthPolicy: CLAIM_HEALTH_POLICY,
    customStatus: claimCustomStatus('_ready && _status.namespace != _|_', '"vCluster ready in namespace \\(_status.namespace), kubeconfig in Secret \\(_status.kubeconfigSecret)"'),
  });
}
