/**
 * Security settings that satisfy the Kubernetes `restricted` Pod Security
 * Standard. Every workload a function composes uses these unless its image
 * cannot run that way (and then the call site says why).
 */
import type { IPodSecurityContext, ISecurityContext } from 'kubernetes-models/v1';

export function restrictedPodSecurity(extra: IPodSecurityContext = {}): IPodSecurityContext {
  return { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, ...extra };
}

export function restrictedContainerSecurity(extra: ISecurityContext = {}): ISecurityContext {
  return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...extra };
}
