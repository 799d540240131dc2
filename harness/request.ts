/**
 * Building RunFunctionRequests the way Crossplane sends them, and running a
 * compose function on them, in-process: `platform render`, unit tests, the
 * benchmark and the fuzzer share it.
 */
import { to, type ComposeFunction, type ResourceSelector, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { ComposeResponse } from '@crossplane-org/function-sdk-typescript';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { claimToXr } from './claims.js';
import { ROOT } from './tools.js';

/** A request for a claim, with optional observed composed resources (by resource name). */
export function requestFor(claim: KubeObject, observed: Record<string, KubeObject> = {}, required: Record<string, KubeObject[]> = {}): RunFunctionRequest {
  const xr = claimToXr(claim);
  return {
    meta: { tag: 'test', capabilities: [] },
    observed: {
      composite: { resource: xr, connectionDetails: {}, ready: 0 },
      resources: Object.fromEntries(Object.entries(observed).map(([name, resource]) => [name, { resource, connectionDetails: {}, ready: 0 }])),
    },
    desired: { composite: undefined, resources: {} },
    extraResources: {},
    credentials: {},
    requiredResources: Object.fromEntries(Object.entries(required).map(([name, items]) => [name, { items: items.map((resource) => ({ resource, connectionDetails: {}, ready: 0 })) }])),
    requiredSchemas: {},
  } as RunFunctionRequest;
}

export async function run(fn: ComposeFunction, req: RunFunctionRequest): Promise<RunFunctionResponse> {
  return fn(req, to(req) as ComposeResponse);
}

/**
 * A stand-in for the cluster between two reconciles: what Crossplane would
 * observe after applying the desired resources, optionally with every
 * workload reported ready (only the status fields the functions read). Drives
 * repeated reconciles in tests, the benchmark and the fuzzer.
 */
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

/** Rounds before {@link settle} gives up: Crossplane's own requirements loop allows 5 calls per reconcile. */
const MAX_ROUNDS = 6;

/**
 * What a function composes for a new claim once it has settled: called as
 * Crossplane reconciles it, with its requirements answered from `cluster` and
 * what one call desired observed by the next (as if applied), until neither
 * the requirements nor the composed resource names change. More than one call
 * is needed when a function waits for something it composed (objects in a
 * Namespace it composes wait for that Namespace: functions/lib/function/namespaces.ts)
 * or reads something it required.
 */
export async function settle(fn: ComposeFunction, claim: KubeObject, cluster: KubeObject[] = [], input?: unknown): Promise<{ rsp: RunFunctionResponse; reads: Record<string, ResourceSelector> }> {
  let observed: Record<string, KubeObject> = {};
  let required: Record<string, KubeObject[]> = {};
  let last = '';
  let rsp: RunFunctionResponse | undefined;
  // What the function asked to read on any call (a requirement can end once it was answered: the application function stops reading the live Application once it wrote its GitOps file).
  const reads: Record<string, ResourceSelector> = {};
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const req = requestFor(claim, observed, required);
    if (input !== undefined) req.input = input as RunFunctionRequest['input'];
    rsp = await fn(req, to(req) as ComposeResponse);
    Object.assign(reads, rsp.requirements?.resources ?? {});
    const shape = JSON.stringify([Object.keys(rsp.desired?.resources ?? {}).sort(), rsp.requirements?.resources ?? {}]);
    if (shape === last) break;
    last = shape;
    observed = observedFrom(rsp, false);
    required = answerRequirements(rsp, cluster);
  }
  return { rsp: rsp!, reads };
}

function yamlDocs(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as KubeObject);
}

/**
 * The request each function is benchmarked and fuzzed with: its example claim
 * (examples/<fn>/) in the converged state (observed resources present and
 * ready, operator Secrets supplied), which is what Crossplane sends on every
 * steady-state reconcile. `edit` changes the example claim (another name or
 * namespace: a distinct claim); the example's required Secrets move to the
 * edited claim's namespace.
 */
export async function convergedRequest(fn: string, compose: ComposeFunction, claimFile = 'claim.yaml', edit?: (claim: KubeObject) => KubeObject): Promise<RunFunctionRequest> {
  const dir = join(ROOT, 'examples', fn);
  const example = parse(readFileSync(join(dir, claimFile), 'utf8')) as KubeObject;
  const claim = edit ? edit(example) : example;
  const secrets = (existsSync(join(dir, 'required.yaml')) ? yamlDocs(join(dir, 'required.yaml')) : []).map((s) =>
    edit ? { ...s, metadata: { ...s.metadata, namespace: claim.metadata?.namespace } } : s,
  );
  let rsp = await run(compose, requestFor(claim));
  const required = answerRequirements(rsp, secrets);
  for (let i = 0; i < 2; i++) rsp = await run(compose, requestFor(claim, observedFrom(rsp), required));
  return requestFor(claim, observedFrom(rsp), required);
}
