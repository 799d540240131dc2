/**
 * The request path every platform function shares: read the observed XR,
 * validate and default its spec (Fatal result naming the field when it is
 * invalid), hand a typed view to the API's compose logic, and write desired
 * resources, readiness and XR status back.
 *
 * Compose logic is a pure function of (spec, claim identity, observed state),
 * so the same request always gives the same response.
 */
import {
  DEFAULT_TTL,
  Ready,
  Severity,
  fatal,
  setDesiredCompositeStatus,
  type ComposeFunction,
  type Resource,
  type RunFunctionRequest,
  type RunFunctionResponse,
  type ResourceSelector,
} from '@crossplane-org/function-sdk-typescript';
import type { PlatformApi } from '../api.js';
import type { KubeObject } from '../k8s/objects.js';
import { untrustedObject } from '../k8s/untrusted.js';
import { DNS_SUBDOMAIN } from '../schema/strings.js';
import { formatErrors } from '../schema/validate.js';
import { NAMESPACE_WAIT_SECONDS, waitingForNamespace } from './namespaces.js';

/** Who asked: the claim the XR was created for. */
export interface ClaimIdentity {
  name: string;
  namespace: string;
}

export interface ComposeInput<Spec> {
  spec: Spec;
  claim: ClaimIdentity;
  /** The observed XR, for its metadata and status. */
  xr: KubeObject;
  /** Observed composed resources by composition resource name. */
  observed: Record<string, KubeObject | undefined>;
  /** Resources Crossplane fetched because a previous response asked for them. */
  required: Record<string, KubeObject[]>;
  /** The pipeline step's `input` from the Composition (function settings), if any. */
  input?: unknown;
}

/** A kubernetes-models object (typed, with validate()) or a plain object. */
export type ComposedObject = KubeObject | { toJSON(): unknown; validate(): void };

export interface DesiredResource {
  resource: ComposedObject;
  /** Omitted: Crossplane decides (a resource is ready once it exists). */
  ready?: boolean;
}

export interface ComposeOutput {
  resources: Record<string, DesiredResource>;
  status?: Record<string, unknown>;
  /** Set only where the XR's readiness is not simply "all resources ready". */
  ready?: boolean;
  /** Shown as Warning events on the XR and claim. Never put secret values here. */
  warnings?: string[];
  /** Resources to fetch for the next call (e.g. an existing OAM Application). */
  requirements?: Record<string, ResourceSelector>;
}

/**
 * How soon Crossplane should call again while the XR is not ready, in place
 * of the SDK's 60 s (DEFAULT_TTL, @crossplane-org/function-sdk-typescript
 * 0.7.0 dist/response/response.js). With realtime compositions (Crossplane
 * v2.2.1's default) an XR is not polled
 * (internal/controller/apiextensions/definition/reconciler.go:
 * WithPollInterval(0)); it is reconciled on its composed resources' watch
 * events, which its circuit breaker throttles to one per 30 s once a stack
 * has caused 100 of them (internal/circuit/token_bucket.go: a realtime
 * platform's ~47 objects starting up do), and after the response's TTL
 * (internal/controller/apiextensions/composite/reconciler.go). Nothing
 * watches what a function reads through requirements either (an operator's
 * Secret): without this, a fixed mistake or a stack's last component
 * becoming ready showed up to a minute late on the local control plane.
 */
export const NOT_READY_RECHECK_SECONDS = 10;

/**
 * The recheck backs off while the XR stays not ready: a claim that waits for
 * something nobody provides (an operator's Secret never created) was called
 * every 10 s for ever, 12 calls a minute per claim with the requirements'
 * second call (`make bench-plane`: 100 such EventDrivenServices, 1,200 calls a
 * minute). Crossplane keeps the Ready condition's lastTransitionTime while its
 * status, reason and message stay the same (crossplane-runtime v2.2.1
 * apis/common/condition.go, SetConditions and Equal), and with the function's
 * own verdict the condition is a bare Creating (Crossplane v2.2.1
 * internal/controller/apiextensions/composite/reconciler.go), so its age is how
 * long the XR has been waiting. [seconds not ready, recheck seconds]; past the
 * last step the SDK's 60 s applies.
 */
export const RECHECK_BACKOFF: readonly (readonly [number, number])[] = [
  [120, NOT_READY_RECHECK_SECONDS],
  [600, 30],
];

/** Seconds the observed XR's Ready condition has been False, if it says. */
export function notReadyForSeconds(xr: KubeObject, now = Date.now()): number | undefined {
  const conditions = (xr.status as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  const ready = conditions.find((c): c is { status?: unknown; lastTransitionTime?: unknown } => typeof c === 'object' && c !== null && (c as { type?: unknown }).type === 'Ready');
  if (!ready || ready.status !== 'False' || typeof ready.lastTransitionTime !== 'string') return undefined;
  const since = Date.parse(ready.lastTransitionTime);
  return Number.isFinite(since) ? Math.max(0, (now - since) / 1000) : undefined;
}

/** How soon to call again for an XR that is not ready (RECHECK_BACKOFF). */
export function recheckSeconds(waitedSeconds: number | undefined): number {
  return RECHECK_BACKOFF.find(([below]) => (waitedSeconds ?? 0) < below)?.[1] ?? Number(DEFAULT_TTL.seconds);
}

/** Crossplane's verdict on the XR: the function's own when it set one, else every composed resource ready. */
function xrReady(ready: boolean | undefined, resources: Record<string, Resource>): boolean {
  return ready ?? Object.values(resources).every((r) => r.ready === Ready.READY_TRUE);
}

/** A problem with the request that the user must fix; becomes a Fatal result. */
export class SpecError extends Error {}

export type ComposeLogic<Spec> = (input: ComposeInput<Spec>) => ComposeOutput;

/** Kubernetes names (DNS subdomains, the schema toolkit's pattern): what a claim's name and namespace must be. */
const OBJECT_NAME = new RegExp(DNS_SUBDOMAIN);

function claimOf(api: { claimKind: string }, xr: KubeObject): ClaimIdentity | SpecError {
  const ref = (xr.spec as { claimRef?: unknown } | undefined)?.claimRef;
  const fromRef = (k: 'name' | 'namespace') => (typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>)[k] : undefined);
  const labels = xr.metadata?.labels ?? {};
  const name = fromRef('name') ?? labels['crossplane.io/claim-name'];
  const namespace = fromRef('namespace') ?? labels['crossplane.io/claim-namespace'];
  if (!name || !namespace) {
    return new SpecError(`spec.claimRef.namespace: is required: create the ${api.claimKind} claim in a namespace rather than the composite directly`);
  }
  for (const [field, value] of [
    ['name', name],
    ['namespace', namespace],
  ] as const) {
    if (typeof value !== 'string' || value.length > 253 || !OBJECT_NAME.test(value)) {
      return new SpecError(`spec.claimRef.${field}: must be a Kubernetes object name`);
    }
  }
  return { name: name as string, namespace: namespace as string };
}

function toReady(ready: boolean | undefined): Ready {
  if (ready === undefined) return Ready.READY_UNSPECIFIED;
  return ready ? Ready.READY_TRUE : Ready.READY_FALSE;
}

function observedOf(req: RunFunctionRequest): Record<string, KubeObject | undefined> {
  const out: Record<string, KubeObject | undefined> = {};
  for (const [name, r] of Object.entries(req.observed?.resources ?? {})) {
    const resource = untrustedObject(r?.resource);
    if (resource) out[name] = resource;
  }
  return out;
}

function requiredOf(req: RunFunctionRequest): Record<string, KubeObject[]> {
  const out: Record<string, KubeObject[]> = {};
  const all = { ...(req.extraResources ?? {}), ...(req.requiredResources ?? {}) };
  for (const [name, r] of Object.entries(all)) {
    const items = Array.isArray(r?.items) ? r.items : [];
    out[name] = items.map((i) => untrustedObject(i?.resource)).filter((o): o is KubeObject => o !== undefined);
  }
  return out;
}

/** Run compose logic against a request and fill in the response. */
export function runCompose<Spec>(
  api: PlatformApi<Spec>,
  logic: ComposeLogic<Spec>,
  req: RunFunctionRequest,
  rsp: RunFunctionResponse & { desired: NonNullable<RunFunctionResponse['desired']> },
): RunFunctionResponse {
  const xr = untrustedObject(req.observed?.composite?.resource);
  if (!xr) return fatal(rsp, 'observed.composite.resource: is required');
  // The function composes one API: a Pod (or another API's XR) sent to it is refused, not rendered.
  if (xr.apiVersion !== api.apiVersion || xr.kind !== api.compositeKind) {
    return fatal(rsp, `observed.composite.resource: apiVersion and kind must be ${api.apiVersion} ${api.compositeKind}`);
  }
  const valid = api.validateSpec(xr.spec);
  if (!valid.ok) return fatal(rsp, `invalid ${api.compositeKind}: ${formatErrors(valid.errors)}`);
  const claim = claimOf(api, xr);
  if (claim instanceof SpecError) return fatal(rsp, claim.message);

  const observed = observedOf(req);
  let out: ComposeOutput;
  try {
    out = logic({ spec: valid.value, claim, xr, observed, required: requiredOf(req), input: req.input });
  } catch (err) {
    // Compose logic throws SpecError for rules the schema cannot express
    // (messages written here: field and rule, no values). Anything else is a
    // bug; its message may quote data, so only its class is reported.
    if (err instanceof SpecError) return fatal(rsp, `invalid ${api.compositeKind}: ${err.message}`);
    return fatal(rsp, `internal error in ${api.compositeKind} compose (${err instanceof Error ? err.name : typeof err}); the request is unchanged`);
  }

  // Objects in a Namespace composed here wait until Crossplane has created it (namespaces.ts says why).
  const waiting = new Set(waitingForNamespace(out.resources, observed));
  for (const [name, d] of Object.entries(out.resources)) {
    if (waiting.has(name)) continue;
    // A kubernetes-models object already holds plain values with undefined
    // fields dropped (its constructor copies them so); its toJSON() would copy
    // the whole tree again. A shallow copy gives the same plain object.
    const resource = (typeof d.resource.toJSON === 'function' ? { ...d.resource } : d.resource) as KubeObject;
    const r: Resource = { resource, connectionDetails: {}, ready: toReady(d.ready) };
    rsp.desired.resources[name] = r;
  }
  if (out.status) setDesiredCompositeStatus({ rsp, status: out.status });
  const ready = waiting.size > 0 ? false : out.ready;
  if (ready !== undefined) {
    rsp.desired.composite ??= { resource: {}, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED };
    rsp.desired.composite.ready = toReady(ready);
  }
  const ttl = waiting.size > 0 ? NAMESPACE_WAIT_SECONDS : !xrReady(ready, rsp.desired.resources) ? recheckSeconds(notReadyForSeconds(xr)) : undefined;
  if (ttl !== undefined) rsp.meta = { tag: rsp.meta?.tag ?? '', ttl: { seconds: ttl, nanos: 0 } };
  for (const message of out.warnings ?? []) rsp.results.push({ severity: Severity.SEVERITY_WARNING, message });
  if (out.requirements && Object.keys(out.requirements).length > 0) {
    rsp.requirements = { extraResources: {}, resources: out.requirements, schemas: {} };
  }
  return rsp;
}

/** The SDK entry point for an API: `serve(compositionFunction(api, logic))`. */
export function compositionFunction<Spec>(api: PlatformApi<Spec>, logic: ComposeLogic<Spec>): ComposeFunction {
  return (req, rsp) => runCompose(api, logic, req, rsp);
}
