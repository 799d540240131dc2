/**
 * The ArgoCD app-of-apps that installs the platform in order (gitops/):
 * controllers, then this repository's packages, APIs and definitions, then
 * samples, one sync wave each; and the ArgoCD health checks ArgoCD does not
 * ship: this project's claims and composites, KubeVela Applications, and
 * ArgoCD Applications themselves (without which an app-of-apps does not wait
 * for a wave to be healthy before starting the next).
 *
 * gitops/apps is a Helm chart, ArgoCD's documented app-of-apps pattern
 * (argoproj/argo-cd docs/operator-manual/cluster-bootstrapping.md@v3.6.2), so
 * that one override of the root Application's `spec.source.repoURL` points
 * every child at the same repository: the root passes its own repoURL and
 * targetRevision as Helm parameters through ArgoCD's build environment
 * ($ARGOCD_APP_SOURCE_REPO_URL, $ARGOCD_APP_SOURCE_TARGET_REVISION; the
 * repo-server substitutes them in Helm parameters: reposerver/repository/
 * repository.go newEnv and helmTemplate's env.Envsubst, v3.6.2). docs/gitops.md
 * says how to point it at a fork, and how to take the third-party charts from
 * a mirror (`charts.mirror`, `charts.values`).
 */
import { ApiObject } from 'cdk8s';
import { stringify } from 'yaml';
import { FUNCTIONS } from '../functions/catalog.js';
import { PLATFORM } from '../functions/lib/platform.js';
import { CONTROLLER_PINS } from '../functions/lib/pins.js';
import { HEADER, newChart, yamlFile, type OutputFile } from './output.js';

/** Charts of the controllers, pinned in functions/lib/pins.ts: Crossplane matches the CLI the tests run. */
export const CONTROLLERS = {
  crossplane: CONTROLLER_PINS.crossplane.chart,
  kubevela: CONTROLLER_PINS.kubevela.chart,
  flux: CONTROLLER_PINS.flux.chart,
  keda: CONTROLLER_PINS.keda.chart,
} as const;

const REVISION = 'main';
export const ARGOCD_NS = 'argocd';
/** The root Application's name and the path of the app-of-apps chart. */
export const ROOT_APP = 'platform';
export const APPS_CHART = 'gitops/apps';

/**
 * The app-of-apps chart's values (gitops/apps/values.yaml). `source` is what
 * the root passes from its own source; `charts` are the overrides for a
 * cluster that cannot reach the charts' own repositories.
 */
export const APPS_VALUES = {
  source: { repoURL: PLATFORM.source, targetRevision: REVISION },
  platformPackages: { exclude: '' },
  charts: { mirror: '', values: Object.fromEntries(Object.keys(CONTROLLERS).map((k) => [k, {}])) as Record<keyof typeof CONTROLLERS, object> },
};

/**
 * Helm template text cdk8s cannot emit (control structures), as placeholder
 * keys replaced after rendering, each only when its value is set, so the
 * default render has neither: a controller's `helm.valuesObject`
 * (charts.values.<name>) and platform-packages' `directory.exclude`.
 */
const HOLES: Record<string, (indent: string, arg: string) => string[]> = {
  values: (i, name) => [`${i}{{- with index .Values.charts.values "${name}" }}`, `${i}helm:`, `${i}  valuesObject: {{- toYaml . | nindent ${i.length + 4} }}`, `${i}{{- end }}`],
  exclude: (i) => [`${i}{{- with .Values.platformPackages.exclude }}`, `${i}exclude: {{ . | quote }}`, `${i}{{- end }}`],
};
const hole = (kind: keyof typeof HOLES, arg = '') => `__hole_${kind}_${arg}__`;
function fillHoles(text: string): string {
  return text.replace(/^( *)__hole_([a-z]+)_([a-z]*)__: .*$/gm, (_m, indent: string, kind: string, arg: string) => HOLES[kind](indent, arg).join('\n'));
}

export interface Child {
  name: string;
  wave: number;
  namespace: string;
  /** A controller's chart (CONTROLLERS key), or a path of this repository. */
  chart?: keyof typeof CONTROLLERS;
  source?: { path: string; directory?: Record<string, unknown> };
  /** Kinds whose CRD a controller of an earlier wave creates (XRD-backed claims, provider kinds). */
  skipDryRun?: boolean;
  serverSideApply?: boolean;
}

export const CHILDREN: Child[] = [
  ...Object.entries(CONTROLLERS).map(([name, c]) => ({
    name,
    wave: -4,
    namespace: c.namespace,
    chart: name as keyof typeof CONTROLLERS,
    // Large CRDs (Crossplane's, KubeVela's) exceed the client-side apply annotation limit.
    serverSideApply: true,
  })),
  { name: 'platform-packages', wave: -3, namespace: 'crossplane-system', source: { path: 'install', directory: { recurse: true, [hole('exclude')]: 'x' } }, skipDryRun: true },
  { name: 'platform-apis', wave: -2, namespace: 'crossplane-system', source: { path: 'xrds' } },
  { name: 'platform-compositions', wave: -1, namespace: 'crossplane-system', source: { path: 'compositions' } },
  { name: 'platform-definitions', wave: 0, namespace: 'vela-system', source: { path: 'definitions', directory: { recurse: true } } },
  {
    name: 'sample-claims',
    wave: 1,
    // The example claim's own namespace, so CreateNamespace creates it.
    namespace: 'my-namespace',
    source: { path: 'examples/event-driven-service', directory: { include: 'claim.yaml' } },
    skipDryRun: true,
  },
  {
    name: 'sample-applications',
    wave: 2,
    namespace: 'platform-samples',
    source: { path: 'examples/oam', directory: { include: 'simple-app.yaml' } },
    skipDryRun: true,
  },
];

function application(chart: ReturnType<typeof newChart>, c: Child): void {
  const controller = c.chart && CONTROLLERS[c.chart];
  const source = controller
    ? {
        // A mirror holds the same chart names and versions (an OCI registry: host/path, no scheme).
        repoURL: `{{ .Values.charts.mirror | default "${controller.repoURL}" }}`,
        chart: controller.chart,
        targetRevision: controller.version,
        [hole('values', c.chart)]: 'x',
      }
    : { repoURL: '{{ .Values.source.repoURL }}', targetRevision: '{{ .Values.source.targetRevision }}', ...c.source };
  new ApiObject(chart, c.name, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: c.name,
      namespace: ARGOCD_NS,
      annotations: { 'argocd.argoproj.io/sync-wave': String(c.wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'default',
      source,
      destination: { server: 'https://kubernetes.default.svc', namespace: c.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        syncOptions: ['CreateNamespace=true', ...(c.serverSideApply ? ['ServerSideApply=true'] : []), ...(c.skipDryRun ? ['SkipDryRunOnMissingResource=true'] : [])],
      },
    },
  });
}

/** Health of a claim or composite: Synced=False is Degraded, Ready=True Healthy, else Progressing. */
export const CLAIM_HEALTH_LUA = `local hs = {status = "Progressing", message = "waiting for the Ready condition"}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Synced" and c.status == "False" then
      hs.status = "Degraded"
      hs.message = c.message or c.reason or "not synced"
      return hs
    end
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" then
      if c.status == "True" then
        hs.status = "Healthy"
        hs.message = c.message or "Ready"
        return hs
      end
      hs.message = c.message or c.reason or hs.message
    end
  end
end
return hs
`;

/**
 * Health of a KubeVela Application from its phase (status.status), the
 * phases of vela-core 1.10 (apis/core.oam.dev/common/types.go,
 * ApplicationPhase): `unhealthy` means rendered and applied but a component
 * or trait is not healthy, so Degraded like a failed workflow.
 */
export const OAM_APPLICATION_HEALTH_LUA = `local hs = {status = "Progressing", message = "rendering"}
if obj.status ~= nil and obj.status.status ~= nil then
  local phase = obj.status.status
  hs.message = phase
  if phase == "running" then
    hs.status = "Healthy"
  elseif phase == "unhealthy" or phase == "workflowFailed" or phase == "workflowTerminated" then
    hs.status = "Degraded"
  elseif phase == "workflowSuspending" then
    hs.status = "Suspended"
  end
end
return hs
`;

/**
 * Health of an ArgoCD Application, so an app-of-apps waits for each wave.
 * ArgoCD's documented check (docs/operator-manual/health.md@v3.6.2, "Argo CD
 * App") returns status.health as it is; on the local plane that let the root
 * start wave -3 while the crossplane child was still in its first sync: for
 * about a second the child reported Healthy, computed before its Deployments
 * existed (controller log: "Updated health status: -> Healthy" during the
 * Running operation). So a child counts only once no sync is requested
 * (`operation`) or running and it is Synced; a failed sync is Degraded.
 */
export const ARGO_APPLICATION_HEALTH_LUA = `local hs = {status = "Progressing", message = ""}
if obj.status == nil or obj.status.health == nil then
  return hs
end
if obj.operation ~= nil then
  hs.message = "sync requested"
  return hs
end
local op = obj.status.operationState
if op ~= nil and op.phase == "Running" then
  hs.message = op.message or "syncing"
  return hs
end
if obj.status.sync == nil or obj.status.sync.status ~= "Synced" then
  if op ~= nil and (op.phase == "Failed" or op.phase == "Error") then
    hs.status = "Degraded"
    hs.message = op.message or op.phase
  else
    hs.message = "not Synced yet"
  end
  return hs
end
hs.status = obj.status.health.status
if obj.status.health.message ~= nil then
  hs.message = obj.status.health.message
end
return hs
`;

/** The argocd-cm keys: one per kind, since ArgoCD ships none for these groups. */
export function healthCustomizations(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const api of FUNCTIONS.flatMap((f) => f.apis)) {
    out[`resource.customizations.health.${api.group}_${api.claimKind}`] = CLAIM_HEALTH_LUA;
    out[`resource.customizations.health.${api.group}_${api.compositeKind}`] = CLAIM_HEALTH_LUA;
  }
  out['resource.customizations.health.core.oam.dev_Application'] = OAM_APPLICATION_HEALTH_LUA;
  out['resource.customizations.health.argoproj.io_Application'] = ARGO_APPLICATION_HEALTH_LUA;
  return out;
}

/**
 * The root Application as gitops/root.yaml has it. Its source's repoURL (and
 * targetRevision) is the one override a fork needs: the children follow.
 */
export function rootApplication(): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: ROOT_APP, namespace: ARGOCD_NS },
    spec: {
      project: 'default',
      source: {
        repoURL: PLATFORM.source,
        targetRevision: REVISION,
        path: APPS_CHART,
        helm: {
          parameters: [
            { name: 'source.repoURL', value: '$ARGOCD_APP_SOURCE_REPO_URL' },
            { name: 'source.targetRevision', value: '$ARGOCD_APP_SOURCE_TARGET_REVISION' },
          ],
        },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: ARGOCD_NS },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

export function gitopsFiles(): OutputFile[] {
  const root = newChart();
  new ApiObject(root, 'root', rootApplication() as never);
  const apps = newChart();
  for (const c of CHILDREN) application(apps, c);
  const templates = yamlFile(`${APPS_CHART}/templates/platform.yaml`, apps);
  const chartMeta = {
    apiVersion: 'v2',
    name: 'platform-apps',
    description: 'The ArgoCD Applications that install the platform in sync waves (app-of-apps); generated by make synth',
    type: 'application',
    version: PLATFORM.packageVersion.replace(/^v/, ''),
  };
  const values = `${HEADER}# What the root Application (gitops/root.yaml) passes: its own source, so
# overriding the root's spec.source.repoURL points every child at a fork.
# charts.mirror: an OCI registry (host/path, no scheme) holding the
# controllers' charts under the same names and versions, for clusters that
# cannot reach the charts' own repositories (ArgoCD then needs a repository
# Secret for it: docs/gitops.md). charts.values: Helm values per controller.
# platformPackages.exclude: a glob of install/ files not to sync (ArgoCD's
# directory.exclude), e.g. providers.yaml where provider packages cannot be pulled.
${stringify(APPS_VALUES)}`;
  const cm = newChart();
  new ApiObject(cm, 'argocd-cm', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm', namespace: ARGOCD_NS, labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' } },
    data: healthCustomizations(),
  });
  return [
    yamlFile('gitops/root.yaml', root),
    { path: `${APPS_CHART}/Chart.yaml`, content: HEADER + stringify(chartMeta) },
    { path: `${APPS_CHART}/values.yaml`, content: values },
    { ...templates, content: fillHoles(templates.content) },
    yamlFile('gitops/argocd/argocd-cm.yaml', cm),
  ];
}
