/**
 * `helm template` of the pinned charts, from their sources committed in
 * test/upstream/ (README there), with the values a HelmRelease carries: what
 * Flux's helm-controller installs, rendered by Helm itself. Both pinned Helms
 * render: the one helm-controller embeds (helm-flux, HELM_PINS.flux) and the one
 * ArgoCD bundles (helm, HELM_PINS.argocd).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHARTS, CONTROLLER_PINS } from '../../functions/lib/pins.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { ROOT, runTool } from '../../harness/tools.js';
import { docs } from './yaml.js';

export const HELMS = ['helm-flux', 'helm'] as const;
export type Helm = (typeof HELMS)[number];
export type PinnedChart = 'kafka' | 'redis' | 'mongodb' | 'vcluster';

const UPSTREAM = join(ROOT, 'test/upstream');
/** Where each pinned chart's source is committed. */
export function chartSource(chart: PinnedChart): string {
  const v = CHARTS[chart].version;
  return chart === 'vcluster' ? join(UPSTREAM, `vcluster-v${v}`, 'chart') : join(UPSTREAM, 'bitnami', `${chart}-${v}`);
}

/** The bitnami/common release a Bitnami chart's Chart.lock names. */
export function lockedCommon(chart: Exclude<PinnedChart, 'vcluster'>): string {
  const lock = parse(readFileSync(join(chartSource(chart), 'Chart.lock'), 'utf8')) as { dependencies: { name: string; version: string }[] };
  const dep = lock.dependencies.find((d) => d.name === 'common');
  if (!dep) throw new Error(`${chart}: Chart.lock has no common dependency`);
  return dep.version;
}

/**
 * The charts as published, in a temporary folder: a Bitnami chart with the
 * bitnami/common release of its Chart.lock in charts/common (what `helm
 * dependency build` puts there before `helm package`); vCluster packaged with
 * version and appVersion = the pin, as its release workflow publishes it
 * (.github/workflows/release.yaml publish-chart: `helm cm-push --version --app-version`).
 */
export class PublishedCharts {
  readonly dir = mkdtempSync(join(tmpdir(), 'charts-'));
  private readonly paths = new Map<PinnedChart, string>();

  path(chart: PinnedChart): string {
    const known = this.paths.get(chart);
    if (known) return known;
    const v = CHARTS[chart].version;
    let path: string;
    if (chart === 'vcluster') {
      const r = runTool('helm-flux', ['package', chartSource(chart), '--version', v, '--app-version', v, '--destination', this.dir]);
      if (r.code !== 0) throw new Error(`helm package ${chart}: ${r.stderr}`);
      path = join(this.dir, `vcluster-${v}.tgz`);
    } else {
      path = join(this.dir, chart);
      cpSync(chartSource(chart), path, { recursive: true });
      const common = join(UPSTREAM, 'bitnami', `common-${lockedCommon(chart)}`);
      if (!existsSync(common)) throw new Error(`${common}: run test/upstream/extract.sh`);
      cpSync(common, join(path, 'charts/common'), { recursive: true });
    }
    this.paths.set(chart, path);
    return path;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Rendered {
  code: number;
  stderr: string;
  objects: KubeObject[];
}

/**
 * `helm template RELEASE CHART -n NAMESPACE -f values` against the Kubernetes
 * the schemas are pinned to (CONTROLLER_PINS.kubernetes): Helm checks the values
 * against the chart's values.schema.json, the chart's kubeVersion, and renders.
 */
export function helmTemplate(helm: Helm, chart: string, release: string, namespace: string, values: unknown): Rendered {
  const file = join(mkdtempSync(join(tmpdir(), 'values-')), 'values.json');
  writeFileSync(file, JSON.stringify(values ?? {}));
  try {
    const r = runTool(helm, ['template', release, chart, '--namespace', namespace, '--values', file, '--kube-version', `v${CONTROLLER_PINS.kubernetes.version}`]);
    return { code: r.code, stderr: r.stderr, objects: r.code === 0 ? docs(r.stdout) : [] };
  } finally {
    rmSync(join(file, '..'), { recursive: true, force: true });
  }
}

type Container = {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: { name: string; mountPath: string }[];
};
type PodSpec = { containers: Container[]; initContainers?: Container[]; volumes?: Record<string, unknown>[]; serviceName?: string };

/** The pod template of a workload (Deployment, StatefulSet, Job, CronJob), if it has one. */
export function podSpec(o: KubeObject): PodSpec | undefined {
  const spec = o.spec as { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } | undefined;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}

/** Every container (init containers too) of every workload, named `Kind/name/container`. */
export function containers(objects: KubeObject[]): [string, Container][] {
  return objects.flatMap((o) => {
    const p = podSpec(o);
    return p ? [...(p.initContainers ?? []), ...p.containers].map((c) => [`${o.kind}/${o.metadata?.name}/${c.name}`, c] as [string, Container]) : [];
  });
}

type SecretSource = { secretName?: string; name?: string; items?: { key: string }[] } | undefined;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The keys of Secret `name` the pods read: env secretKeyRef, the items of
 * secret and projected volumes, and, where such a volume is mounted whole, the
 * files under its mount path that the container names (the Bitnami charts'
 * `*_FILE` variables and scripts with `usePasswordFiles`).
 */
export function secretKeysRead(objects: KubeObject[], name: string): string[] {
  const keys = new Set<string>();
  for (const o of objects) {
    const p = podSpec(o);
    if (!p) continue;
    const whole = new Set<string>();
    for (const v of p.volumes ?? []) {
      const projected = (v.projected as { sources?: { secret?: unknown }[] } | undefined)?.sources ?? [];
      for (const s of [v.secret, ...projected.map((x) => x.secret)] as SecretSource[]) {
        if (!s || (s.secretName ?? s.name) !== name) continue;
        if (s.items?.length) for (const i of s.items) keys.add(i.key);
        else whole.add(v.name as string);
      }
    }
    for (const [, c] of containers([o])) {
      for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef?.name === name) keys.add(e.valueFrom.secretKeyRef.key);
      const text = JSON.stringify(c);
      for (const m of c.volumeMounts ?? []) {
        if (!whole.has(m.name)) continue;
        for (const hit of text.matchAll(new RegExp(`${escape(m.mountPath.replace(/\/$/, ''))}/([A-Za-z0-9._-]+)`, 'g'))) keys.add(hit[1]);
      }
    }
  }
  return [...keys].sort();
}

type SecurityContext = {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type?: string };
};
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/**
 * What the `restricted` Pod Security profile would refuse in each workload's
 * pod template (Kubernetes Pod Security Standards, restricted: non-root, no
 * privilege escalation, all capabilities dropped but NET_BIND_SERVICE, a
 * RuntimeDefault or Localhost seccomp profile, only the listed volume types,
 * no host namespaces).
 */
export function restrictedViolations(objects: KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const p = podSpec(o) as (PodSpec & { securityContext?: SecurityContext; hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean }) | undefined;
    if (!p) continue;
    const where = `${o.kind}/${o.metadata?.name}`;
    const pod = p.securityContext ?? {};
    if (p.hostNetwork || p.hostPID || p.hostIPC) out.push(`${where}: host namespaces`);
    for (const v of p.volumes ?? []) {
      const type = Object.keys(v).find((k) => k !== 'name');
      if (type && !RESTRICTED_VOLUMES.includes(type)) out.push(`${where}: volume ${v.name as string} of type ${type}`);
    }
    for (const [name, c] of containers([o])) {
      const sc = ((c as { securityContext?: SecurityContext }).securityContext ?? {}) as SecurityContext;
      const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      if (nonRoot !== true) out.push(`${name}: runAsNonRoot not true`);
      if ((sc.runAsUser ?? pod.runAsUser) === 0) out.push(`${name}: runAsUser 0`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${name}: allowPrivilegeEscalation not false`);
      if (sc.privileged) out.push(`${name}: privileged`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${name}: capabilities not dropped (ALL)`);
      for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${name}: adds ${cap}`);
      const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${name}: seccompProfile ${seccomp ?? 'unset'}`);
    }
  }
  return out;
}
