/**
 * A stand-in for the cluster between two reconciles: what Crossplane would
 * observe after applying the desired resources, optionally with every
 * workload reported ready. Used to drive repeated reconciles in tests and the
 * benchmark; it only adds the status fields the functions read.
 */
import type { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';

export function observedFrom(rsp: RunFunctionResponse, ready = true): Record<string, KubeObject> {
  const out: Record<string, KubeObject> = {};
  for (const [name, r] of Object.entries(rsp.desired?.resources ?? {})) {
    const obj = structuredClone(r.resource) as KubeObject;
    if (ready) {
      if (obj.kind === 'StatefulSet') obj.status = { replicas: 1, readyReplicas: 1 };
      if (obj.kind === 'Deployment') obj.status = { conditions: [{ type: 'Available', status: 'True' }] };
      if (obj.kind === 'Job') obj.status = { conditions: [{ type: 'Complete', status: 'True' }] };
      // Crossplane managed resources (the GitHub provider's) report Ready.
      if (obj.apiVersion?.includes('.upbound.io/')) obj.status = { conditions: [{ type: 'Ready', status: 'True' }] };
    }
    out[name] = obj;
  }
  return out;
}
