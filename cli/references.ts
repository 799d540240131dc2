/**
 * What a Kubernetes object refers to, read from its spec the way the
 * controllers read it: Secrets and ConfigMaps a pod takes (env, envFrom,
 * volumes), the pods a Service selects, the target a ScaledObject scales,
 * the Services and Gateways a VirtualService routes through, the kubeconfig
 * and dependencies of a Flux HelmRelease.
 */
import type { KubeObject } from '../functions/lib/k8s/objects.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A reference to another object, in the referring object's namespace unless said. */
export interface Reference {
  kind: string;
  name: string;
  namespace?: string;
  /** How it is used: env, volume, selects, scales, routes, gateway, kubeconfig, after. */
  relation: string;
  /** For `selects`: the label selector instead of a name. */
  selector?: Record<string, string>;
  optional?: boolean;
}

/** The pod template of a workload (Deployment, StatefulSet, Job, Knative Service, …), if it has one. */
export function podSpecOf(o: KubeObject): Obj | undefined {
  const spec = obj(o.spec);
  if (o.kind === 'Pod') return spec;
  if (o.kind === 'CronJob') return obj(obj(obj(obj(spec.jobTemplate).spec).template).spec);
  const template = obj(spec.template);
  return template.spec && list(obj(template.spec).containers).length > 0 ? obj(template.spec) : undefined;
}

export function podLabelsOf(o: KubeObject): Record<string, string> {
  const spec = obj(o.spec);
  if (o.kind === 'Pod') return (o.metadata?.labels ?? {}) as Record<string, string>;
  return obj(obj(obj(spec.template).metadata).labels) as Record<string, string>;
}

function podReferences(pod: Obj): Reference[] {
  const refs: Reference[] = [];
  const containers = [...list(pod.initContainers), ...list(pod.containers)];
  for (const c of containers) {
    for (const e of list(c.env)) {
      const from = obj(e.valueFrom);
      const s = obj(from.secretKeyRef);
      const m = obj(from.configMapKeyRef);
      if (str(s.name)) refs.push({ kind: 'Secret', name: str(s.name)!, relation: 'env', optional: s.optional === true });
      if (str(m.name)) refs.push({ kind: 'ConfigMap', name: str(m.name)!, relation: 'env', optional: m.optional === true });
    }
    for (const e of list(c.envFrom)) {
      const s = obj(e.secretRef);
      const m = obj(e.configMapRef);
      if (str(s.name)) refs.push({ kind: 'Secret', name: str(s.name)!, relation: 'env', optional: s.optional === true });
      if (str(m.name)) refs.push({ kind: 'ConfigMap', name: str(m.name)!, relation: 'env', optional: m.optional === true });
    }
  }
  for (const v of list(pod.volumes)) {
    const s = obj(v.secret);
    const m = obj(v.configMap);
    if (str(s.secretName)) refs.push({ kind: 'Secret', name: str(s.secretName)!, relation: 'volume', optional: s.optional === true });
    if (str(m.name)) refs.push({ kind: 'ConfigMap', name: str(m.name)!, relation: 'volume', optional: m.optional === true });
    for (const p of list(obj(v.projected).sources)) {
      if (str(obj(p.secret).name)) refs.push({ kind: 'Secret', name: str(obj(p.secret).name)!, relation: 'volume' });
      if (str(obj(p.configMap).name)) refs.push({ kind: 'ConfigMap', name: str(obj(p.configMap).name)!, relation: 'volume' });
    }
  }
  if (str(pod.serviceAccountName)) refs.push({ kind: 'ServiceAccount', name: str(pod.serviceAccountName)!, relation: 'runs as' });
  return refs;
}

/** `svc`, `svc.ns`, `svc.ns.svc.cluster.local` → the Service and its namespace. */
function serviceHost(host: string, namespace: string | undefined): { name: string; namespace?: string } {
  const [name, ns] = host.split('.');
  return { name, namespace: ns ?? namespace };
}

export function referencesOf(o: KubeObject): Reference[] {
  const spec = obj(o.spec);
  const ns = o.metadata?.namespace;
  const pod = podSpecOf(o);
  const refs: Reference[] = pod ? podReferences(pod) : [];
  switch (o.kind) {
    case 'Service':
      if (o.apiVersion === 'v1' && Object.keys(obj(spec.selector)).length > 0) {
        refs.push({ kind: 'Pod', name: '', relation: 'selects', selector: obj(spec.selector) as Record<string, string> });
      }
      break;
    case 'ScaledObject': {
      const t = obj(spec.scaleTargetRef);
      if (str(t.name)) refs.push({ kind: str(t.kind) ?? 'Deployment', name: str(t.name)!, relation: 'scales' });
      break;
    }
    case 'VirtualService':
      for (const g of list(spec.gateways) as unknown[]) {
        if (typeof g === 'string' && g !== 'mesh') {
          const [a, b] = g.includes('/') ? g.split('/') : [ns ?? '', g];
          refs.push({ kind: 'Gateway', name: b, namespace: a, relation: 'gateway' });
        }
      }
      for (const proto of ['http', 'tcp', 'tls']) {
        for (const route of list(spec[proto])) {
          for (const d of list(route.route)) {
            const host = str(obj(d.destination).host);
            if (host) refs.push({ kind: 'Service', ...serviceHost(host, ns), relation: 'routes' });
          }
        }
      }
      break;
    case 'HelmRelease': {
      const secret = str(obj(obj(spec.kubeConfig).secretRef).name);
      if (secret) refs.push({ kind: 'Secret', name: secret, relation: 'kubeconfig' });
      for (const d of list(spec.dependsOn)) if (str(d.name)) refs.push({ kind: 'HelmRelease', name: str(d.name)!, namespace: str(d.namespace) ?? ns, relation: 'after' });
      break;
    }
  }
  // De-duplicate (a Secret used by two containers is one edge).
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.kind}/${r.namespace ?? ns}/${r.name}/${r.relation}/${JSON.stringify(r.selector ?? {})}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
