/**
 * The kwok Stages of harness/controlplane/stages/ (the plane loads every file
 * of that folder into kwok) and the kinds of this repository's outputs they
 * stand in for. Each Stage writes the status its controller writes at the
 * pinned version, named with its source in the Stage file's comments. A kind
 * our outputs contain without a Stage is listed in NOT_STAGED with the reason
 * (a controller on the plane does the work, or no controller writes a status
 * anything here reads); the tests fail for a kind that is in neither.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FUNCTIONS } from '../../functions/catalog.js';
import { ROOT } from '../tools.js';

/**
 * The third-party CRDs the plane installs (plane.ts THIRD_PARTY_CRDS; not
 * imported from there, so that plane.ts can import this module).
 */
const THIRD_PARTY_CRDS = join(ROOT, 'test/upstream/crds');

export const STAGES_DIR = join(ROOT, 'harness/controlplane/stages');

export interface StageSummary {
  name: string;
  file: string;
  /** resourceRef.apiGroup: kwok means group/version there (`v1` for the core group). */
  apiVersion: string;
  kind: string;
  /** Its annotation platform.example.org/simulates: the controller, version and source it stands in for. */
  simulates: string;
}

export const SIMULATES_ANNOTATION = 'platform.example.org/simulates';

const yamlIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));

type Doc = { apiVersion?: string; kind?: string; metadata?: { name?: string; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
const docsOf = (file: string): Doc[] =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Doc)
    .filter((d) => d !== null);

export function stageFiles(): string[] {
  return yamlIn(STAGES_DIR);
}

export function stages(): StageSummary[] {
  return stageFiles().flatMap((file) =>
    docsOf(file).map((d) => {
      const ref = d.spec?.resourceRef as { apiGroup: string; kind: string };
      return { name: d.metadata!.name!, file, apiVersion: ref.apiGroup, kind: ref.kind, simulates: d.metadata?.annotations?.[SIMULATES_ANNOTATION] ?? '' };
    }),
  );
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
/** A kind the way kubectl names it: `Kind.group`, or `Kind` for the core group. */
export const kindKey = (apiVersion: string, kind: string): string => (groupOf(apiVersion) ? `${kind}.${groupOf(apiVersion)}` : kind);

/** Controllers of the plane (harness/controlplane/plane.ts, kube.ts and the kwok plane of issue 21). */
const KUBE_CONTROLLERS = "kube-controller-manager, kube-scheduler and kwok's pod and node stages on the plane";
const NO_STATUS = 'no controller writes a status for it';
const ISTIO =
  'istiod 1.23.2 writes no status on networking.istio.io objects unless PILOT_ENABLE_ANALYSIS is on ' +
  '(istio/istio pilot/pkg/features/experimental.go@1.23.2; the istiod chart sets it from global.istiod.enableAnalysis, ' +
  'false by default: manifests/charts/istio-control/istio-discovery/values.yaml@1.23.2; PILOT_ENABLE_STATUS is defined ' +
  'there but read nowhere in 1.23.2), and the realtime function only checks that they exist (readiness.exists)';

/**
 * Kinds of our outputs that need no Stage, keyed by kindKey, with the reason.
 */
export const NOT_STAGED: Record<string, string> = {
  Secret: NO_STATUS,
  ConfigMap: NO_STATUS,
  Service: 'the API server allocates its cluster IP; no status is read',
  ServiceAccount: NO_STATUS,
  Namespace: 'the namespace controller of kube-controller-manager on the plane',
  'Deployment.apps': KUBE_CONTROLLERS,
  'StatefulSet.apps': `${KUBE_CONTROLLERS} (and the plane's PVC binding)`,
  'Job.batch': KUBE_CONTROLLERS,
  'CronJob.batch': `${KUBE_CONTROLLERS}; no health check reads its status (the health policy has none)`,
  'NetworkPolicy.networking.k8s.io': NO_STATUS,
  'Ingress.networking.k8s.io': 'an ingress controller would write status.loadBalancer; nothing here reads it (the domain-route trait has no health policy)',
  'HorizontalPodAutoscaler.autoscaling': "kube-controller-manager's HPA controller; nothing here reads its status (the autoscaler trait has no health policy)",
  'Gateway.networking.istio.io': ISTIO,
  'VirtualService.networking.istio.io': ISTIO,
  'ClusterRole.rbac.authorization.k8s.io': NO_STATUS,
  'Function.pkg.crossplane.io': 'Crossplane on the plane (the harness serves the functions, harness/controlplane/crossplane.ts)',
  'DeploymentRuntimeConfig.pkg.crossplane.io': "Crossplane's package manager reads it when it runs a package (install/runtime-configs.yaml); it has no status",
  'Provider.pkg.crossplane.io': "Crossplane's package manager; providers cannot be pulled here, their managed resources have Stages",
  ...Object.fromEntries(FUNCTIONS.flatMap((f) => f.apis).map((a) => [kindKey(a.apiVersion, a.claimKind), "Crossplane and this repository's composition functions on the plane"])),
};

/** Core and built-in resources the functions compose (FUNCTIONS[].composes), as kinds. */
const BUILTIN_RESOURCES: Record<string, Record<string, string>> = {
  '': { secrets: 'Secret', configmaps: 'ConfigMap', services: 'Service', serviceaccounts: 'ServiceAccount', namespaces: 'Namespace' },
  apps: { deployments: 'Deployment', statefulsets: 'StatefulSet' },
  batch: { jobs: 'Job' },
  'networking.k8s.io': { networkpolicies: 'NetworkPolicy' },
};

interface Crd {
  group: string;
  plural: string;
  kind: string;
  versions: string[];
}

/** The third-party CRDs the plane installs (test/upstream/crds), which kwok resolves each resourceRef against. */
export function planeCrds(): Crd[] {
  return yamlIn(THIRD_PARTY_CRDS)
    .flatMap(docsOf)
    .filter((d) => d.kind === 'CustomResourceDefinition')
    .map((d) => {
      const spec = d.spec as { group: string; names: { plural: string; kind: string }; versions: { name: string; served: boolean }[] };
      return { group: spec.group, plural: spec.names.plural, kind: spec.names.kind, versions: spec.versions.filter((v) => v.served).map((v) => v.name) };
    });
}

/**
 * Every kind our outputs contain, with where it comes from: what the functions
 * compose (FUNCTIONS[].composes, which the unit tests hold to their renders),
 * every apiVersion/kind pair the KubeVela definitions write (definitions/), and
 * what install/ installs.
 */
export function outputKinds(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, from: string) => out.set(key, [...(out.get(key) ?? []), from]);
  const crds = planeCrds();
  for (const fn of FUNCTIONS) {
    for (const c of fn.composes) {
      for (const resource of c.resources) {
        const kind = BUILTIN_RESOURCES[c.apiGroup]?.[resource] ?? crds.find((d) => d.group === c.apiGroup && d.plural === resource)?.kind;
        if (!kind) throw new Error(`functions/catalog.ts: ${fn.name} composes ${resource}.${c.apiGroup}, a kind neither built in nor in ${THIRD_PARTY_CRDS}`);
        add(c.apiGroup ? `${kind}.${c.apiGroup}` : kind, `function ${fn.name}`);
      }
    }
  }
  for (const file of yamlIn(join(ROOT, 'definitions'))) {
    for (const { apiVersion, kind } of definitionOutputs(file)) add(kindKey(apiVersion, kind), file.slice(ROOT.length + 1));
  }
  for (const file of yamlIn(join(ROOT, 'install'))) {
    for (const d of docsOf(file)) add(kindKey(d.apiVersion!, d.kind!), file.slice(ROOT.length + 1));
  }
  return out;
}

/**
 * The objects a definition's CUE template writes: each `kind: "X"` line
 * right after an `apiVersion: "g/v"` line. A literal kind line without one
 * is an error, so an output written another way cannot slip past the scan.
 */
export function definitionOutputs(file: string): { apiVersion: string; kind: string }[] {
  const def = docsOf(file)[0] as { spec: { schematic: { cue: { template: string } } } };
  const lines = def.spec.schematic.cue.template.split('\n');
  const found: { apiVersion: string; kind: string }[] = [];
  lines.forEach((line, i) => {
    const kind = /^\s*kind:\s+"([A-Z][A-Za-z0-9]*)"\s*$/.exec(line)?.[1];
    if (!kind) return;
    const apiVersion = /^\s*apiVersion:\s+"([^"]+)"\s*$/.exec(lines[i - 1] ?? '')?.[1];
    if (!apiVersion) throw new Error(`${file}: kind "${kind}" (template line ${i + 1}) does not follow an apiVersion: "…" line`);
    found.push({ apiVersion, kind });
  });
  return found;
}
