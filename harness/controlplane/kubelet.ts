/**
 * What kwok does not check and a kubelet does: before it starts a Pod's
 * containers, the kubelet needs every Secret and ConfigMap the Pod mounts
 * or reads into its environment (and each key it names), unless marked
 * optional; without them the Pod stays ContainerCreating or fails with
 * CreateContainerConfigError, and its workload is never ready. kwok's
 * pod-ready Stage marks a scheduled Pod Running regardless, so the suite
 * asks this module what a kubelet would have refused.
 *
 * The rules are the kubelet's (k8s.io/kubernetes v1.35.4):
 * pkg/volume/secret/secret.go and pkg/volume/configmap/configmap.go (a
 * volume's object must exist unless `optional`; each listed key too),
 * pkg/kubelet/kubelet_pods.go makeEnvironmentVariables (envFrom and
 * valueFrom secretKeyRef / configMapKeyRef unless `optional`).
 * imagePullSecrets are left out: a missing one is only a warning there.
 */
import type { Kubectl } from './kubectl.js';

type KeyRef = { name?: string; key?: string; optional?: boolean };
type Items = { name?: string; items?: { key: string }[]; optional?: boolean };
interface Container {
  name: string;
  env?: { name: string; valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef } }[];
  envFrom?: { secretRef?: { name?: string; optional?: boolean }; configMapRef?: { name?: string; optional?: boolean } }[];
}
interface Pod {
  metadata: { name: string; namespace: string };
  spec: {
    containers: Container[];
    initContainers?: Container[];
    volumes?: {
      name: string;
      secret?: Items & { secretName?: string };
      configMap?: Items;
      projected?: { sources?: { secret?: Items; configMap?: Items }[] };
    }[];
  };
}
type Data = { metadata: { name: string }; data?: Record<string, string>; binaryData?: Record<string, string>; stringData?: Record<string, string> };

interface Need {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  keys: string[];
  why: string;
}

function needsOf(pod: Pod): Need[] {
  const out: Need[] = [];
  for (const v of pod.spec.volumes ?? []) {
    const sources = [
      ...(v.secret ? [{ kind: 'Secret' as const, ...v.secret, name: v.secret.secretName }] : []),
      ...(v.configMap ? [{ kind: 'ConfigMap' as const, ...v.configMap }] : []),
      ...(v.projected?.sources ?? []).flatMap((s) => [...(s.secret ? [{ kind: 'Secret' as const, ...s.secret }] : []), ...(s.configMap ? [{ kind: 'ConfigMap' as const, ...s.configMap }] : [])]),
    ];
    for (const s of sources) {
      if (!s.optional && s.name) out.push({ kind: s.kind, name: s.name, keys: (s.items ?? []).map((i) => i.key), why: `volume ${v.name}` });
    }
  }
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const e of c.envFrom ?? []) {
      if (e.secretRef?.name && !e.secretRef.optional) out.push({ kind: 'Secret', name: e.secretRef.name, keys: [], why: `envFrom of container ${c.name}` });
      if (e.configMapRef?.name && !e.configMapRef.optional) out.push({ kind: 'ConfigMap', name: e.configMapRef.name, keys: [], why: `envFrom of container ${c.name}` });
    }
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      const m = e.valueFrom?.configMapKeyRef;
      if (s?.name && !s.optional) out.push({ kind: 'Secret', name: s.name, keys: s.key ? [s.key] : [], why: `env ${e.name} of container ${c.name}` });
      if (m?.name && !m.optional) out.push({ kind: 'ConfigMap', name: m.name, keys: m.key ? [m.key] : [], why: `env ${e.name} of container ${c.name}` });
    }
  }
  return out;
}

type Owned = { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] } };

/** The workloads that make Pods, by kind (a Deployment's through its ReplicaSets, a CronJob's through its Jobs). */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'];

/**
 * For every Pod of the given workloads: each Secret, ConfigMap or key it
 * needs and does not find, as "ns/pod: Secret x (volume y)". Empty: a
 * kubelet would start them all. Only these workloads' Pods: another
 * example's in the same namespace may be half deleted.
 */
export async function missingPodReferences(kubectl: Kubectl, workloads: { kind: string; namespace?: string; name: string }[]): Promise<string[]> {
  const missing: string[] = [];
  const wanted = workloads.filter((w) => w.namespace && WORKLOAD_KINDS.includes(w.kind));
  for (const ns of [...new Set(wanted.map((w) => w.namespace!))]) {
    const pods = await kubectl.list<Pod & Owned>(['-n', ns, 'pods']);
    if (pods.length === 0) continue;
    // Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob: one level up is enough.
    const parents = await kubectl.list<Owned & { kind?: string }>(['-n', ns, 'replicasets.apps,jobs.batch']);
    const mine = new Set(wanted.filter((w) => w.namespace === ns).map((w) => `${w.kind}/${w.name}`));
    const owners = (o: Owned) => (o.metadata.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}`);
    const ours = pods.filter((pod) => owners(pod).some((o) => mine.has(o) || parents.some((p) => `${p.kind}/${p.metadata.name}` === o && owners(p).some((g) => mine.has(g)))));
    if (ours.length === 0) continue;
    const secrets = await kubectl.list<Data>(['-n', ns, 'secrets']);
    const configMaps = await kubectl.list<Data>(['-n', ns, 'configmaps']);
    for (const pod of ours) {
      for (const need of needsOf(pod)) {
        const found = (need.kind === 'Secret' ? secrets : configMaps).find((d) => d.metadata.name === need.name);
        const keys = new Set(Object.keys({ ...found?.data, ...found?.binaryData }));
        const absent = need.keys.filter((k) => !keys.has(k));
        if (!found) missing.push(`${ns}/${pod.metadata.name}: ${need.kind} ${need.name} (${need.why})`);
        else if (absent.length) missing.push(`${ns}/${pod.metadata.name}: ${need.kind} ${need.name} keys ${absent.join(', ')} (${need.why})`);
      }
    }
  }
  return missing;
}
