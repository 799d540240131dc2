/**
 * One line per rendered object: what it is and the few facts a reviewer
 * looks for (images, ports, keys, charts, files). Secret values never appear:
 * a Secret is summarised by its key names, and printed objects have their
 * Secret values replaced (`redact`) unless the user asks for them.
 */
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { podSpecOf } from './references.js';

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const keys = (v: unknown): string[] => (v && typeof v === 'object' ? Object.keys(v) : []);

/** `Service` is both a core and a Knative kind: name the group of the latter. */
export function kindOf(o: KubeObject): string {
  const group = o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '';
  return o.kind === 'Service' && group !== '' ? `${o.kind}.${group}` : String(o.kind);
}

export function objectName(o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${kindOf(o)} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? '?'}`;
}

function details(o: KubeObject): string[] {
  const spec = (o.spec ?? {}) as Obj;
  const pod = podSpecOf(o);
  if (pod) {
    const containers = list(pod.containers);
    return [
      `image ${containers.map((c) => String(c.image)).join(', ')}`,
      ...(list(pod.initContainers).length ? [`${list(pod.initContainers).length} init`] : []),
      ...(o.kind === 'Deployment' || o.kind === 'StatefulSet' ? [spec.replicas === undefined ? 'replicas by autoscaler' : `replicas ${String(spec.replicas)}`] : []),
    ];
  }
  switch (o.kind) {
    case 'Secret':
    case 'ConfigMap': {
      const k = [...keys(o.data), ...keys(o.stringData)];
      return [k.length ? `keys ${[...new Set(k)].sort().join(', ')}` : 'no keys'];
    }
    case 'Service':
      return [
        `ports ${list(spec.ports)
          .map((p) => String(p.port))
          .join(', ')}`,
        ...(spec.type ? [String(spec.type)] : []),
      ];
    case 'HelmRelease':
      return [`chart ${String(get(spec, 'chart', 'spec', 'chart'))} ${String(get(spec, 'chart', 'spec', 'version'))}`, ...(get(spec, 'kubeConfig') ? ['into the vCluster'] : [])];
    case 'ScaledObject':
      return [
        `scales ${String(get(spec, 'scaleTargetRef', 'name'))} on ${list(spec.triggers)
          .map((t) => String(t.type))
          .join(', ')}`,
      ];
    case 'Repository': {
      const policies = list(spec.managementPolicies).map(String);
      return [`${o.metadata?.annotations?.['crossplane.io/external-name'] ?? '?'} (${policies.includes('Create') ? 'created' : 'observed only'})`];
    }
    case 'RepositoryFile':
      return [`${String(get(spec, 'forProvider', 'repository'))}:${String(get(spec, 'forProvider', 'file'))}`];
    case 'Gateway':
    case 'VirtualService':
      return [
        `hosts ${list(spec.servers)
          .flatMap((s) => list(s.hosts))
          .concat(list(spec.hosts))
          .join(', ')}`,
      ];
    case 'Application':
      return [
        `components ${list(spec.components)
          .map((c) => `${String(c.name)} (${String(c.type)})`)
          .join(', ')}`,
      ];
    default:
      return [];
  }
}

export function summaryLine(o: KubeObject, origin?: string): string {
  const d = details(o).filter(Boolean);
  return `${objectName(o)}${origin ? ` [${origin}]` : ''}${d.length ? `: ${d.join('; ')}` : ''}`;
}

/** A copy of a Secret with every value replaced by its length. */
export function redact(o: KubeObject): KubeObject {
  if (o.kind !== 'Secret') return o;
  const hide = (m: unknown) => (m && typeof m === 'object' ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, `<redacted: ${String(v).length} characters>`])) : m);
  return { ...o, ...(o.data ? { data: hide(o.data) } : {}), ...(o.stringData ? { stringData: hide(o.stringData) } : {}) };
}
