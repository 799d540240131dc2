/**
 * ArgoCD v3.6.2 on the local control plane (tools/argocd): its
 * application-controller and repo-server as processes, Redis (tools/redis),
 * a loopback Git server over this checkout (git.ts), and the third-party
 * charts of the app-of-apps in the plane's OCI registry. Installed the way
 * an install does it: ArgoCD's own CRDs (manifests/crds) and ConfigMaps
 * (manifests/base/config) of the pinned module, with this repository's
 * generated gitops/argocd/argocd-cm.yaml in place of the default argocd-cm;
 * then gitops/root.yaml applied with its repoURL overridden (rootOverride()).
 *
 * How it runs outside a cluster is ArgoCD's own local-development recipe
 * (argo-cd Procfile@v3.6.2): ARGOCD_FAKE_IN_CLUSTER=true makes the in-cluster
 * destination https://kubernetes.default.svc the KUBECONFIG's cluster
 * (pkg/apis/application/v1alpha1/types.go rawRestConfig), so the generated
 * Applications keep their destination; ARGOCD_GPG_ENABLED=false; the
 * repo-server needs git, helm and hack/git-verify-wrapper.sh on PATH (it
 * runs the wrapper on every revision), plain gRPC (--disable-tls, with an
 * empty --client-ca-path: the default points at a Secret mount).
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ARGOCD_NS, CONTROLLERS } from '../../synth/gitops.js';
import { ROOT } from '../tools.js';
import type { Kubectl } from './kubectl.js';
import { startGit, type GitServer } from './git.js';
import { freePort, startListener, startProcess, type Proc, until } from './processes.js';

const ARGOCD_VERSION = /github\.com\/argoproj\/argo-cd\/v3 (v[0-9.]+)/.exec(readFileSync(join(ROOT, 'tools/argocd/go.mod'), 'utf8'))![1];
/** What `make gitops-tools` copies from the module: crds/, config/, bin/git-verify-wrapper.sh. */
export const ARGOCD_FILES = join(ROOT, '.build/argocd', ARGOCD_VERSION);
const CHARTS = join(ROOT, '.build/charts');
/** The repository path of the chart mirror in the plane's registry. */
const MIRROR_PATH = 'charts';

export interface ArgoCondition {
  type: string;
  message: string;
}
export interface ArgoApp {
  metadata: { name: string; annotations?: Record<string, string>; creationTimestamp: string; finalizers?: string[] };
  spec: { source: { repoURL: string; path?: string; chart?: string; targetRevision?: string } };
  status?: {
    sync?: { status: string; revision?: string };
    health?: { status: string; message?: string; lastTransitionTime?: string };
    reconciledAt?: string;
    conditions?: ArgoCondition[];
    operationState?: {
      phase: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      syncResult?: { revision?: string; resources?: { kind: string; name: string; namespace?: string; status: string; message?: string; syncPhase?: string; hookPhase?: string }[] };
    };
    resources?: { group?: string; kind: string; name: string; namespace?: string; status?: string; health?: { status: string; message?: string } }[];
  };
}

export interface ArgoCD {
  git: GitServer;
  /** The OCI registry path the controllers' charts are served from (the app-of-apps' charts.mirror). */
  chartMirror: string;
  /** What stands in for something that cannot run or be pulled here, and why: printed by the suite. */
  substituted: string[];
  processes: Proc[];
  applications(): Promise<ArgoApp[]>;
  /** What a Git webhook (or `argocd app get --refresh[=hard]`) does: ask the controller to compare again. */
  refresh(name: string, type: 'normal' | 'hard'): Promise<void>;
}

/**
 * The documented override (docs/gitops.md): the root Application of
 * gitops/root.yaml with another repoURL, and optionally Helm parameters of
 * the app-of-apps chart. A JSON patch for `kubectl patch --local`.
 */
export function rootOverride(repoURL: string, parameters: Record<string, string> = {}): object[] {
  return [
    { op: 'replace', path: '/spec/source/repoURL', value: repoURL },
    ...Object.entries(parameters).map(([name, value]) => ({ op: 'add', path: '/spec/source/helm/parameters/-', value: { name, value } })),
  ];
}

/**
 * Helm values the local plane gives vela-core's chart: its admission webhook
 * and its cluster-gateway (an APIService, v1alpha1.cluster.core.oam.dev)
 * need a server that would run in vela-core's Pod; nothing serves them here
 * (vela-core runs as a process with --use-webhook=false), and an APIService
 * without a server breaks discovery, so namespace deletion (kube's namespace
 * controller) would stall. Keys: charts/vela-core/values.yaml@v1.10.9.
 */
export const LOCAL_VELA_VALUES = { 'multicluster.enabled': 'false', 'admissionWebhooks.enabled': 'false' };

/** install/ files the local plane does not sync (the app-of-apps' platformPackages.exclude). */
const LOCAL_EXCLUDE = 'providers.yaml';

/**
 * The Helm parameters the local plane adds to the root (rootOverride): the
 * chart mirror, vela-core's values, install/ without the Providers.
 */
export function localOverride(argo: Pick<ArgoCD, 'chartMirror'>): Record<string, string> {
  return {
    'charts.mirror': argo.chartMirror,
    ...Object.fromEntries(Object.entries(LOCAL_VELA_VALUES).map(([k, v]) => [`charts.values.kubevela.${k}`, v])),
    'platformPackages.exclude': LOCAL_EXCLUDE,
  };
}

/**
 * Charts whose sources are in no Go module here and whose repositories cannot
 * be reached: the same name and version in the mirror, holding only the CRDs
 * the platform uses, copied from that chart at that tag (test/upstream/crds,
 * the source in each file's first line). Their controllers do not run.
 */
const SUBSTITUTE_CHARTS: { app: keyof typeof CONTROLLERS; crds: string[] }[] = [
  { app: 'flux', crds: ['flux-helmreleases.yaml', 'flux-helmrepositories.yaml'] },
  { app: 'keda', crds: ['keda-scaledobjects.yaml'] },
];

function helmEnv(state: string): Record<string, string> {
  const home = join(state, 'helm');
  return { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
}

async function run(state: string, name: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const p = startProcess(name, cmd, args, { dir: state, env });
  const code = await new Promise<number | null>((done) => p.child.once('exit', (c) => done(c)));
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${code}); see ${p.log}`);
}

/** Push each controller chart (built from a Go module, or substituted) to registryHost/charts. */
async function pushCharts(state: string, bin: string, registryHost: string): Promise<string[]> {
  const substituted: string[] = [];
  const env = helmEnv(state);
  const charts: string[] = [];
  for (const app of ['crossplane', 'kubevela'] as const) {
    const c = CONTROLLERS[app];
    const built = readdirSync(CHARTS).filter((f) => f.startsWith(`${c.chart}-`) && f.endsWith('.tgz'));
    if (built.length !== 1) throw new Error(`expected one ${c.chart} chart in ${CHARTS} (make gitops-tools), found ${built.join(', ') || 'none'}`);
    charts.push(join(CHARTS, built[0]));
    const version = built[0].slice(c.chart.length + 1, -'.tgz'.length);
    if (version !== c.version) throw new Error(`${built[0]} is not the pinned ${c.chart} ${c.version} (functions/lib/pins.ts): the module in tools/ and the pin disagree`);
  }
  substituted.push(`kubevela: chart values ${JSON.stringify(LOCAL_VELA_VALUES)}: no Pod serves vela-core's webhook or cluster-gateway APIService here (vela-core runs as a process)`);
  for (const s of SUBSTITUTE_CHARTS) {
    const c = CONTROLLERS[s.app];
    const dir = join(state, 'substitute-charts', c.chart);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(
      join(dir, 'Chart.yaml'),
      stringify({
        apiVersion: 'v2',
        name: c.chart,
        version: c.version,
        description: `SUBSTITUTE for ${c.repoURL} ${c.chart} ${c.version} on the local control plane: only the CRDs ${s.crds.join(', ')} of that chart`,
      }),
    );
    for (const f of s.crds) copyFileSync(join(ROOT, 'test/upstream/crds', f), join(dir, 'templates', f));
    // One namespaced object, so ArgoCD syncs the Application (and creates its namespace,
    // CreateNamespace=true) even where the plane already holds the same CRDs.
    writeFileSync(
      join(dir, 'templates', 'substitute.yaml'),
      stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${c.chart}-substitute`, namespace: '{{ .Release.Namespace }}' },
        data: { note: `Not ${c.chart} ${c.version}: a substitute holding only its CRDs, for the local control plane of platform-definitions (test/e2e-local).` },
      }),
    );
    await run(state, `helm-package-${c.chart}`, join(bin, 'helm'), ['package', dir, '-d', join(state, 'substitute-charts')], env);
    charts.push(join(state, 'substitute-charts', `${c.chart}-${c.version}.tgz`));
    substituted.push(
      `${s.app}: chart ${c.chart} ${c.version} replaced by one holding only its CRDs ${s.crds.join(', ')} (test/upstream/crds, copied from that chart at that tag): the chart's source is in no Go module and ${c.repoURL} cannot be reached here; its controller does not run`,
    );
  }
  for (const chart of charts) {
    // go-containerregistry's registry speaks plain HTTP.
    await run(state, 'helm-push', join(bin, 'helm'), ['push', chart, `oci://${registryHost}/${MIRROR_PATH}`, '--plain-http'], env);
  }
  return substituted;
}

export async function startArgoCD(opts: { state: string; bin: string; kubectl: Kubectl; registryHost: string; log: (m: string) => void }): Promise<ArgoCD> {
  const { state, bin, kubectl, registryHost, log } = opts;
  const git = await startGit(state);
  log(`git daemon serves ${git.url} (commit ${git.initial.slice(0, 7)})`);

  const chartMirror = `${registryHost}/${MIRROR_PATH}`;
  const substituted = await pushCharts(state, bin, registryHost);
  substituted.push(
    `platform-packages: install/${LOCAL_EXCLUDE} not synced (platformPackages.exclude): Crossplane cannot pull the provider packages from xpkg.crossplane.io here (Installed=False, so Degraded); the providers' CRDs the functions compose are on the plane from test/upstream/crds, and their managed resources are not reconciled by a provider`,
  );
  log(`charts pushed to oci://${chartMirror}`);

  // ArgoCD's own CRDs and install ConfigMaps, our argocd-cm.
  for (const f of readdirSync(join(ARGOCD_FILES, 'crds'))) await kubectl.apply(readFileSync(join(ARGOCD_FILES, 'crds', f), 'utf8'));
  // Retried: right after creation a CRD has no conditions yet, which `kubectl wait` reports as an error.
  await until(
    "ArgoCD's CRDs Established",
    async () => (await kubectl.run(['wait', '--for=condition=Established', '--timeout=10s', 'crd/applications.argoproj.io', 'crd/appprojects.argoproj.io'])).code === 0,
    60_000,
    500,
  );
  await kubectl.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NS } }]);
  for (const f of readdirSync(join(ARGOCD_FILES, 'config')).filter((f) => f !== 'argocd-cm.yaml')) {
    await kubectl.apply(readFileSync(join(ARGOCD_FILES, 'config', f), 'utf8'), ['-n', ARGOCD_NS]);
  }
  await kubectl.apply(readFileSync(join(ROOT, 'gitops/argocd/argocd-cm.yaml'), 'utf8'));
  // The project every Application uses; argocd-server creates it at start (server/server.go initializeDefaultProject@v3.6.2).
  await kubectl.apply([
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'default', namespace: ARGOCD_NS },
      spec: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] },
    },
  ]);
  // The chart mirror: a Helm repository of type OCI, plain HTTP (util/db/repository_secrets.go@v3.6.2 keys).
  await kubectl.apply([
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'chart-mirror', namespace: ARGOCD_NS, labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      stringData: { name: 'chart-mirror', type: 'helm', url: chartMirror, enableOCI: 'true', insecureOCIForceHttp: 'true' },
    },
  ]);

  const dirs = Object.fromEntries(
    ['tls', 'ssh', 'gpg-keys', 'gpg-source', 'home'].map((d) => {
      const p = join(state, 'argocd', d);
      mkdirSync(p, { recursive: true });
      return [d, p];
    }),
  );
  const common = {
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    KUBECONFIG: kubectl.kubeconfig,
    ARGOCD_TLS_DATA_PATH: dirs.tls,
    ARGOCD_SSH_DATA_PATH: dirs.ssh,
    HOME: dirs.home,
    ...helmEnv(state),
  };
  const { proc: redisProc, address: redis } = await startListener('redis', join(bin, 'redis'), state);

  const [repoPort, repoMetrics, ctrlMetrics] = [await freePort(), await freePort(), await freePort()];
  const repoServer = startProcess(
    'argocd-repo-server',
    join(bin, 'argocd'),
    [
      '--address',
      '127.0.0.1',
      '--port',
      String(repoPort),
      '--metrics-address',
      '127.0.0.1',
      '--metrics-port',
      String(repoMetrics),
      '--redis',
      redis,
      '--disable-tls',
      '--client-ca-path=',
      '--loglevel',
      'info',
      '--logformat',
      'text',
    ],
    {
      dir: state,
      env: {
        ...common,
        ARGOCD_BINARY_NAME: 'argocd-repo-server',
        ARGOCD_GPG_ENABLED: 'false',
        ARGOCD_GNUPGHOME: dirs['gpg-keys'],
        ARGOCD_GPG_DATA_PATH: dirs['gpg-source'],
        PATH: [join(ARGOCD_FILES, 'bin'), bin, process.env.PATH].join(':'),
      },
    },
  );
  const controller = startProcess(
    'argocd-application-controller',
    join(bin, 'argocd'),
    [
      '--namespace',
      ARGOCD_NS,
      '--redis',
      redis,
      '--repo-server',
      `127.0.0.1:${repoPort}`,
      '--repo-server-plaintext',
      '--metrics-port',
      String(ctrlMetrics),
      '--loglevel',
      'info',
      '--logformat',
      'text',
    ],
    {
      dir: state,
      // The StatefulSet's first replica: the controller takes its shard from the ordinal.
      env: { ...common, ARGOCD_BINARY_NAME: 'argocd-application-controller', HOSTNAME: 'argocd-application-controller-0' },
    },
  );
  // cmd/argocd-repo-server/commands/argocd_repo_server.go@v3.6.2 logs this once it accepts connections.
  await Promise.race([
    repoServer.exited,
    controller.exited,
    until('the repo-server to listen', async () => readFileSync(repoServer.log, 'utf8').includes('argocd-repo-server is listening on'), 60_000, 250),
  ]);
  log(`ArgoCD ${ARGOCD_VERSION}: repo-server on 127.0.0.1:${repoPort}, application-controller, Redis on ${redis}`);

  const applications = async () => kubectl.list<ArgoApp>(['-n', ARGOCD_NS, 'applications.argoproj.io']);
  return {
    git,
    chartMirror,
    substituted,
    processes: [redisProc, repoServer, controller, git.proc],
    applications,
    async refresh(name, type) {
      await kubectl.ok(['-n', ARGOCD_NS, 'annotate', '--overwrite', `applications.argoproj.io/${name}`, `argocd.argoproj.io/refresh=${type}`]);
    },
  };
}

/** Apply gitops/root.yaml with the override (a JSON patch, kubectl patch --local), not an edited copy. */
export async function applyRoot(kubectl: Kubectl, patch: object[]): Promise<void> {
  const patched = await kubectl.ok(['patch', '--local', '-f', join(ROOT, 'gitops/root.yaml'), '--type', 'json', '-p', JSON.stringify(patch), '-o', 'yaml']);
  await kubectl.apply(patched);
}
