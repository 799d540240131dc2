/**
 * The ArgoCD health checks of gitops/argocd/argocd-cm.yaml, evaluated by
 * ArgoCD v3.6.2 itself: tools/argocd/health drives the function the
 * application controller calls (gitops-engine pkg/health.GetResourceHealth
 * with util/lua's overrides, read from the ConfigMap by ArgoCD's settings
 * manager), so the scripts run in ArgoCD's gopher-lua with its libraries,
 * timeout and result checks. Every object is evaluated in one run of the
 * driver, so the whole file takes well under a second once it is built.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { PLATFORM } from '../../functions/lib/platform.js';
import { APPS_CHART, CONTROLLERS, ROOT_APP } from '../../synth/gitops.js';
import { ROOT, runTool } from '../../harness/tools.js';
import { helmTemplate } from '../support/helm.js';

const CM = join(ROOT, 'gitops/argocd/argocd-cm.yaml');
const cm = parse(readFileSync(CM, 'utf8')) as { data: Record<string, string> };

interface Health {
  status?: string;
  message?: string;
  error?: string;
}

/** ArgoCD's health of each object, evaluated with the given argocd-cm (one driver run). */
function argocdHealth(objects: object[], configMap = CM): Health[] {
  const r = runTool('argocd-health', [configMap], JSON.stringify(objects));
  if (r.code !== 0) throw new Error(`argocd-health failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Health[];
}

const claimKinds = FUNCTIONS.flatMap((f) => f.apis).flatMap((a) => [
  { apiVersion: a.apiVersion, kind: a.claimKind },
  { apiVersion: a.apiVersion, kind: a.compositeKind },
]);
const conditions = (...c: object[]) => ({ conditions: c });

/** Each case: an object, and the health ArgoCD must give it. */
interface Case {
  name: string;
  obj: { apiVersion: string; kind: string; status?: object; [k: string]: unknown };
  want: Health;
}

const cases: Case[] = [
  ...claimKinds.flatMap(({ apiVersion, kind }) => [
    { name: `${kind} new`, obj: { apiVersion, kind }, want: { status: 'Progressing', message: 'waiting for the Ready condition' } },
    {
      name: `${kind} Ready=False`,
      obj: { apiVersion, kind, status: conditions({ type: 'Synced', status: 'True' }, { type: 'Ready', status: 'False', reason: 'Creating', message: 'waiting for deployment' }) },
      want: { status: 'Progressing', message: 'waiting for deployment' },
    },
    {
      name: `${kind} Ready=True`,
      obj: { apiVersion, kind, status: conditions({ type: 'Synced', status: 'True' }, { type: 'Ready', status: 'True', reason: 'Available' }) },
      want: { status: 'Healthy', message: 'Ready' },
    },
    {
      name: `${kind} Synced=False`,
      obj: { apiVersion, kind, status: conditions({ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'cannot compose resources' }, { type: 'Ready', status: 'True' }) },
      want: { status: 'Degraded', message: 'cannot compose resources' },
    },
  ]),
  ...(
    [
      [{}, 'Progressing', 'rendering'],
      [{ status: 'runningWorkflow' }, 'Progressing', 'runningWorkflow'],
      [{ status: 'running' }, 'Healthy', 'running'],
      [{ status: 'workflowFailed' }, 'Degraded', 'workflowFailed'],
      // Applied, but a component or trait reports unhealthy (vela-core ApplicationUnhealthy).
      [{ status: 'unhealthy' }, 'Degraded', 'unhealthy'],
      [{ status: 'workflowTerminated' }, 'Degraded', 'workflowTerminated'],
      [{ status: 'workflowSuspending' }, 'Suspended', 'workflowSuspending'],
    ] as const
  ).map(([status, health, message]) => ({
    name: `KubeVela Application ${JSON.stringify(status)}`,
    obj: { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', ...(Object.keys(status).length ? { status } : {}) },
    want: { status: health, message },
  })),
  // An app-of-apps waits for a wave only if an Application has a health (ArgoCD removed its built-in one in 1.8).
  ...(
    [
      ['Synced and Healthy', { sync: { status: 'Synced' }, health: { status: 'Healthy' } }, undefined, 'Healthy', ''],
      ['Synced and Degraded', { sync: { status: 'Synced' }, health: { status: 'Degraded', message: 'Deployment x failed' } }, undefined, 'Degraded', 'Deployment x failed'],
      ['new', undefined, undefined, 'Progressing', ''],
      // Seen on the local plane: Healthy for a second during the first sync, before the Deployments existed.
      [
        'Healthy while its sync runs',
        { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Running', message: 'one or more tasks are running' } },
        undefined,
        'Progressing',
        'one or more tasks are running',
      ],
      ['Healthy with a sync requested', { sync: { status: 'Synced' }, health: { status: 'Healthy' } }, { sync: { revision: 'main' } }, 'Progressing', 'sync requested'],
      ['Healthy, sync finished, not Synced yet', { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Succeeded' } }, undefined, 'Progressing', 'not Synced yet'],
      [
        'sync failed',
        { sync: { status: 'OutOfSync' }, health: { status: 'Healthy' }, operationState: { phase: 'Failed', message: 'one or more objects failed to apply' } },
        undefined,
        'Degraded',
        'one or more objects failed to apply',
      ],
    ] as const
  ).map(([name, status, operation, health, message]) => ({
    name: `ArgoCD Application ${name}`,
    obj: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...(status ? { status } : {}), ...(operation ? { operation } : {}) },
    want: { status: health, message },
  })),
  // Kinds the platform installs or composes that ArgoCD's own checks cover
  // (resource_customizations/_.crossplane.io, _.upbound.io, pkg.crossplane.io/Provider
  // at v3.6.2): argocd-cm must not shadow them.
  {
    name: 'XRD Established (ArgoCD built-in _.crossplane.io)',
    obj: { apiVersion: 'apiextensions.crossplane.io/v1', kind: 'CompositeResourceDefinition', status: conditions({ type: 'Established', status: 'True' }, { type: 'Offered', status: 'True' }) },
    want: { status: 'Healthy', message: 'Resource is up-to-date.' },
  },
  {
    name: 'Provider that cannot be pulled (ArgoCD built-in pkg.crossplane.io/Provider)',
    obj: { apiVersion: 'pkg.crossplane.io/v1', kind: 'Provider', status: conditions({ type: 'Installed', status: 'False', reason: 'UnpackingPackage' }) },
    want: { status: 'Degraded', message: 'UnpackingPackage' },
  },
  {
    name: 'GitHub Repository Ready (ArgoCD built-in _.upbound.io)',
    obj: { apiVersion: 'repo.github.upbound.io/v1alpha1', kind: 'Repository', status: conditions({ type: 'Synced', status: 'True' }, { type: 'Ready', status: 'True' }) },
    want: { status: 'Healthy', message: 'Resource is up-to-date.' },
  },
];

let results: Health[] = [];
beforeAll(() => {
  results = argocdHealth(cases.map((c) => c.obj));
});

describe('ArgoCD v3.6.2 evaluates gitops/argocd/argocd-cm.yaml', () => {
  it('has a check for every claim and composite kind of the platform', () => {
    expect(claimKinds).toHaveLength(8);
    for (const k of claimKinds) expect(cm.data).toHaveProperty(`resource.customizations.health.${k.apiVersion.split('/')[0]}_${k.kind}`);
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const got = results[i];
    const want = cases[i].want;
    expect(got.error).toBeUndefined();
    expect({ status: got.status, message: got.message ?? '' }).toEqual({ status: want.status, message: want.message ?? '' });
  });

  it("a script ArgoCD cannot run is an error, not a health (the driver really runs ArgoCD's Lua)", () => {
    const broken = join(ROOT, '.build/argocd-cm-broken.yaml');
    const bad = { ...parse(readFileSync(CM, 'utf8')), data: { 'resource.customizations.health.core.oam.dev_Application': 'return obj.status.status.nope' } };
    // ArgoCD's own result check: a status it does not know is Unknown, not the script's word.
    bad.data['resource.customizations.health.argoproj.io_Application'] = 'return {status = "Fine"}';
    writeYaml(broken, bad);
    const [error, unknown] = argocdHealth(
      [
        { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application' },
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
      ],
      broken,
    );
    expect(error.error).toMatch(/attempt to index a non-table object\(nil\)/);
    expect(unknown).toEqual({ status: 'Unknown', message: 'Lua returned an invalid health status' });
  });
});

function writeYaml(file: string, obj: unknown): void {
  if (!existsSync(join(ROOT, '.build'))) throw new Error('.build is missing: run `make tools`');
  // JSON is YAML; the driver parses it with sigs.k8s.io/yaml.
  writeFileSync(file, JSON.stringify(obj));
}

/** The app-of-apps chart rendered by the pinned Helm ArgoCD bundles, as the repo-server renders it (values as it passes them). */
function renderApps(values: object = {}): KubeObject[] {
  const r = helmTemplate('helm', join(ROOT, APPS_CHART), ROOT_APP, 'argocd', values);
  if (r.code !== 0) throw new Error(`helm template ${APPS_CHART} failed: ${r.stderr}`);
  return r.objects;
}
type App = KubeObject & { spec: { source: { repoURL: string; targetRevision: string; path?: string; chart?: string; helm?: { valuesObject?: object } }; syncPolicy: { syncOptions: string[] } } };

describe('the app-of-apps (gitops/apps, rendered by Helm)', () => {
  const apps = renderApps() as App[];
  const byName = (list: App[], name: string) => list.find((a) => a.metadata!.name === name)!;

  it('installs in order: controllers, packages, APIs, compositions, definitions, samples', () => {
    const order = apps.map((a) => [a.metadata!.name, Number(a.metadata!.annotations!['argocd.argoproj.io/sync-wave'])] as const);
    expect(order).toEqual([
      ['crossplane', -4],
      ['kubevela', -4],
      ['flux', -4],
      ['keda', -4],
      ['platform-packages', -3],
      ['platform-apis', -2],
      ['platform-compositions', -1],
      ['platform-definitions', 0],
      ['sample-claims', 1],
      ['sample-applications', 2],
    ]);
  });

  it('every path it deploys exists, and XRD-backed samples skip the dry run', () => {
    for (const a of apps) if (a.spec.source.path) expect(existsSync(join(ROOT, a.spec.source.path)), a.spec.source.path).toBe(true);
    for (const name of ['sample-claims', 'sample-applications', 'platform-packages']) {
      expect(byName(apps, name).spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    }
  });

  it('by default: this repository on GitHub, and each chart from its own repository, without Helm values', () => {
    const fromGit = apps.filter((a) => a.spec.source.path);
    expect(fromGit.length).toBe(6);
    for (const a of fromGit) expect([a.spec.source.repoURL, a.spec.source.targetRevision]).toEqual([PLATFORM.source, 'main']);
    for (const [name, c] of Object.entries(CONTROLLERS)) {
      expect(byName(apps, name).spec.source).toEqual({ repoURL: c.repoURL, chart: c.chart, targetRevision: c.version });
    }
  });

  it("the root passes its own repoURL and revision (ArgoCD's build environment), so overriding it points every child at a fork", () => {
    const root = parse(readFileSync(join(ROOT, 'gitops/root.yaml'), 'utf8')) as App;
    expect(root.spec.source.path).toBe(APPS_CHART);
    expect((root.spec.source.helm as { parameters: object[] }).parameters).toEqual([
      { name: 'source.repoURL', value: '$ARGOCD_APP_SOURCE_REPO_URL' },
      { name: 'source.targetRevision', value: '$ARGOCD_APP_SOURCE_TARGET_REVISION' },
    ]);
    // What the repo-server passes to Helm once it has substituted them.
    const fork = renderApps({ source: { repoURL: 'https://github.com/someone/fork', targetRevision: 'dev' } }) as App[];
    for (const a of fork.filter((x) => x.spec.source.path)) expect([a.spec.source.repoURL, a.spec.source.targetRevision]).toEqual(['https://github.com/someone/fork', 'dev']);
    for (const name of Object.keys(CONTROLLERS)) expect(byName(fork, name).spec.source).toEqual(byName(apps, name).spec.source);
  });

  it('charts.mirror, charts.values and platformPackages.exclude: every controller chart from a mirror, values for one, install/ without a file', () => {
    const mirrored = renderApps({
      charts: { mirror: 'registry.example:5000/charts', values: { kubevela: { multicluster: { enabled: false } } } },
      platformPackages: { exclude: 'providers.yaml' },
    }) as App[];
    expect(byName(mirrored, 'platform-packages').spec.source).toMatchObject({ path: 'install', directory: { recurse: true, exclude: 'providers.yaml' } });
    expect(byName(apps, 'platform-packages').spec.source).toMatchObject({ directory: { recurse: true } });
    expect(byName(apps, 'platform-packages').spec.source).not.toHaveProperty('directory.exclude');
    for (const [name, c] of Object.entries(CONTROLLERS)) {
      expect(byName(mirrored, name).spec.source).toMatchObject({ repoURL: 'registry.example:5000/charts', chart: c.chart, targetRevision: c.version });
    }
    expect(byName(mirrored, 'kubevela').spec.source.helm).toEqual({ valuesObject: { multicluster: { enabled: false } } });
    expect(byName(mirrored, 'crossplane').spec.source.helm).toBeUndefined();
  });
});
