/**
 * Objects inside a Namespace that the same function composes wait until that
 * Namespace exists.
 *
 * Crossplane v2.2.1 applies a function's desired resources in Go map order and
 * returns at the first apply error that is not "invalid"
 * (internal/controller/apiextensions/composite/composition_functions.go, the
 * `for name, cd := range desired` loop): an object whose Namespace is applied
 * later in the same pass fails with `namespaces "x" not found`, the whole pass
 * stops there, and each retry is a new draw of the map order, slowed by
 * Crossplane's backoff. The local control plane (`make e2e-local`) showed
 * realtime-platform and vcluster claims stuck for minutes that way.
 *
 * So the function itself orders them: while a composed Namespace is not in
 * observed state, the objects in it that do not exist yet are left out of the
 * desired state (an object observed under the same resource name is never
 * left out, even when it moves to the new Namespace: Crossplane would delete it), the XR is marked not ready, and the response asks to be called
 * again soon. Once Crossplane has created the Namespace, the next call
 * composes everything.
 */
import type { KubeObject } from '../k8s/objects.js';

/**
 * How soon Crossplane should call again while objects wait for their Namespace:
 * the response's `meta.ttl`, in place of the SDK's 60 s (DEFAULT_TTL,
 * @crossplane-org/function-sdk-typescript 0.7.0 dist/response/response.js).
 * Crossplane v2.2.1 keeps the pipeline's shortest non-zero TTL
 * (composition_functions.go) and, with realtime compositions, requeues the XR
 * after it (internal/controller/apiextensions/composite/reconciler.go).
 */
export const NAMESPACE_WAIT_SECONDS = 5;

type Shape = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };

/**
 * The composition resource names of desired objects that must wait: they
 * are in a Namespace composed here that is not observed yet, and are not
 * observed themselves.
 */
export function waitingForNamespace(
  // Only each desired resource's object is read: any DesiredResource (compose.ts, which calls this) fits.
  desired: Record<string, { resource: unknown }>,
  observed: Record<string, KubeObject | undefined>,
): string[] {
  // A Namespace counts as there only with the same name: a spec.name that changed renames the
  // realtime platform's Namespace, and the old one is what is observed under that resource name.
  const pending = new Set<string>();
  for (const [name, d] of Object.entries(desired)) {
    const r = d.resource as Shape;
    if (r.apiVersion === 'v1' && r.kind === 'Namespace' && typeof r.metadata?.name === 'string' && observed[name]?.metadata?.name !== r.metadata.name) {
      pending.add(r.metadata.name);
    }
  }
  if (pending.size === 0) return [];
  return Object.entries(desired)
    .filter(([name, d]) => {
      // Anything observed under the resource name stays desired, wherever it is: left out, Crossplane would delete it.
      const ns = (d.resource as Shape).metadata?.namespace;
      return typeof ns === 'string' && pending.has(ns) && !observed[name];
    })
    .map(([name]) => name);
}
