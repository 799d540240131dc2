/** Readiness of common kinds from their observed state, shared by every function. */
import { conditionTrue, type KubeObject } from './objects.js';

export const readiness = {
  exists: (o: KubeObject | undefined) => o !== undefined,
  statefulSet: (o: KubeObject | undefined) => {
    const s = o?.status as { readyReplicas?: number; replicas?: number } | undefined;
    return (s?.readyReplicas ?? 0) >= 1 && s?.readyReplicas === s?.replicas;
  },
  deployment: (o: KubeObject | undefined) => conditionTrue(o, 'Available'),
  job: (o: KubeObject | undefined) => conditionTrue(o, 'Complete'),
  /** Crossplane managed resources and claims: a Ready condition with status True. */
  managed: (o: KubeObject | undefined) => conditionTrue(o, 'Ready'),
};
