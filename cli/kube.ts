/**
 * doctor's ClusterReader over @kubernetes/client-node: the kubeconfig's
 * current context (or --context), any kind through the generic object API
 * (which finds a kind's resource through API discovery).
 */
import { ApiException, KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import type { ClusterReader } from './doctor.js';

const notFound = (err: unknown) => err instanceof ApiException && err.code === 404;
/** A kind the API server does not serve: discovery fails (404) or does not list it. */
const notServed = (err: unknown) => notFound(err) || (err instanceof Error && /Unrecognized API version and kind/.test(err.message));

/**
 * The API server answers 429 with Retry-After while it (re)initializes the
 * storage of a resource (right after a CRD is created, or while it starts):
 * wait as told and ask again, a few times.
 */
async function patiently<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 429) || i >= attempts) throw err;
      const after = Number((err.headers as Record<string, string>)['retry-after'] ?? 1);
      await new Promise((r) => setTimeout(r, Math.min(Math.max(after, 1), 10) * 1000));
    }
  }
}

export function kubeClient(opts: { context?: string; kubeconfig?: string } = {}): ClusterReader {
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) kc.setCurrentContext(opts.context);
  const api = KubernetesObjectApi.makeApiClient(kc);
  return {
    async get(apiVersion, kind, name, namespace) {
      try {
        return (await patiently(() => api.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }))) as KubeObject;
      } catch (err) {
        if (notServed(err)) return null;
        throw err;
      }
    },
    async list(apiVersion, kind) {
      try {
        // No namespace: every namespace (the generic API lists cluster-wide).
        return (await patiently(() => api.list(apiVersion, kind))).items as KubeObject[];
      } catch (err) {
        if (notServed(err)) return null;
        throw err;
      }
    },
  };
}
