/**
 * Building RunFunctionRequests the way Crossplane sends them, and running a
 * compose function on them, in-process: `platform render`, unit tests and
 * benchmarks share it.
 */
import { to, type ComposeFunction, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { ComposeResponse } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { claimToXr } from './claims.js';

/** A request for a claim, with optional observed composed resources (by resource name). */
export function requestFor(
  claim: KubeObject,
  observed: Record<string, KubeObject> = {},
  required: Record<string, KubeObject[]> = {},
): RunFunctionRequest {
  const xr = claimToXr(claim);
  return {
    meta: { tag: 'test', capabilities: [] },
    observed: {
      composite: { resource: xr, connectionDetails: {}, ready: 0 },
      resources: Object.fromEntries(
        Object.entries(observed).map(([name, resource]) => [name, { resource, connectionDetails: {}, ready: 0 }]),
      ),
    },
    desired: { composite: undefined, resources: {} },
    extraResources: {},
    credentials: {},
    requiredResources: Object.fromEntries(
      Object.entries(required).map(([name, items]) => [
        name,
        { items: items.map((resource) => ({ resource, connectionDetails: {}, ready: 0 })) },
      ]),
    ),
    requiredSchemas: {},
  } as RunFunctionRequest;
}

export async function run(fn: ComposeFunction, req: RunFunctionRequest): Promise<RunFunctionResponse> {
  return fn(req, to(req) as ComposeResponse);
}

/** Answer a response's resource requirements from `cluster`, as Crossplane does between calls. */
export function answerRequirements(rsp: RunFunctionResponse, cluster: KubeObject[]): Record<string, KubeObject[]> {
  return Object.fromEntries(
    Object.entries(rsp.requirements?.resources ?? {}).map(([name, sel]) => [
      name,
      cluster.filter(
        (o) =>
          o.apiVersion === sel.apiVersion &&
          o.kind === sel.kind &&
          (sel.matchName === undefined || o.metadata?.name === sel.matchName) &&
          (sel.namespace === undefined || o.metadata?.namespace === sel.namespace) &&
          Object.entries(sel.matchLabels?.labels ?? {}).every(([k, v]) => o.metadata?.labels?.[k] === v),
      ),
    ]),
  );
}
