/**
 * Building RunFunctionRequests the way Crossplane sends them, and running a
 * compose function on them, for unit tests and benchmarks.
 */
import {
  Severity,
  to,
  type ComposeFunction,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import type { ComposeResponse } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { claimToXr } from '../../tooling/claims.js';

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

export function fatals(rsp: RunFunctionResponse): string[] {
  return rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);
}

/** Desired composed resources as plain objects, by name. */
export function desired(rsp: RunFunctionResponse): Record<string, KubeObject> {
  return Object.fromEntries(
    Object.entries(rsp.desired?.resources ?? {}).map(([n, r]) => [n, r.resource as KubeObject]),
  );
}

export function claim(kind: string, name: string, namespace: string, spec: object): KubeObject {
  return { apiVersion: 'platform.example.org/v1alpha1', kind, metadata: { name, namespace }, spec };
}

/** Answer a response's resource requirements from `cluster`, as Crossplane does between calls. */
export function answer(rsp: RunFunctionResponse, cluster: KubeObject[]): Record<string, KubeObject[]> {
  return Object.fromEntries(
    Object.entries(rsp.requirements?.resources ?? {}).map(([name, sel]) => [
      name,
      cluster.filter(
        (o) =>
          o.kind === sel.kind &&
          (!sel.namespace || o.metadata?.namespace === sel.namespace) &&
          (sel.matchName ? o.metadata?.name === sel.matchName : Object.entries(sel.matchLabels?.labels ?? {}).every(([k, v]) => o.metadata?.labels?.[k] === v)),
      ),
    ]),
  );
}
