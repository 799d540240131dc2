/** ComponentDefinition `vcluster`: emits a VClusterEnvironmentClaim (seed Table 2). */
import { vcluster } from '../../functions/vcluster/api.js';
import { claimDefinition } from './definitions.js';

export function vclusterDefinition() {
  return claimDefinition(
    vcluster,
    'vcluster',
    '_status.namespace != _|_ && _status.kubeconfigSecret != _|_',
    '"vCluster ready in namespace \\(_status.namespace), kubeconfig in Secret \\(_status.kubeconfigSecret)"',
  );
}
