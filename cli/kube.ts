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

export function kubeClient(opts: { context?: string; kubeconfig?: string } = {}): ClusterReader {
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) kc.setCurrentContext(opts.context);
  const api = KubernetesObjectApi.makeApiClient(kc);
  return {
    async get(apiVersion, kind, name, namespace) {
      try {
        return (await api.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })) as KubeObject;
      } catch (err) {
        if (notServed(err)) return null;
        throw err;
      }
    },
    async list(apiVersion, kind) {
      try {
        // No namespace: every namespace (the generic API lists cluster-wide).
        return (await api.list(apiVersion, kind)).items as KubeObject[];
      } catch (err) {
        if (notServed(err)) return null;
        throw err;
      }
    },
  };
}
