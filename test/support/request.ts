/**
 * Building RunFunctionRequests the way Crossplane sends them, and running a
 * compose function on them, for unit tests and benchmarks.
 */
import { Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';

export { requestFor, run } from '../../harness/request.js';
import { answerRequirements } from '../../harness/request.js';

export function fatals(rsp: RunFunctionResponse): string[] {
  return rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);
}

/** Desired composed resources as plain objects, by name. */
export function desired(rsp: RunFunctionResponse): Record<string, KubeObject> {
  return Object.fromEntries(Object.entries(rsp.desired?.resources ?? {}).map(([n, r]) => [n, r.resource as KubeObject]));
}

export function claim(kind: string, name: string, namespace: string, spec: object): KubeObject {
  return { apiVersion: 'platform.example.org/v1alpha1', kind, metadata: { name, namespace }, spec };
}

/** Answer a response's resource requirements from `cluster`, as Crossplane does between calls (one implementation, harness/request.ts). */
export const answer = answerRequirements;
