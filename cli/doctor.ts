/**
 * `platform doctor`: the seed's infrastructure health check for a real
 * cluster. What must be there is read from what this repository deploys
 * (the generated install/, xrds/, compositions/ and definitions/ files, the
 * kinds the functions compose in functions/catalog.ts) and from the claims
 * in the cluster (the Secrets their functions ask Crossplane for). The
 * checks run over a small client interface, so the same code runs against
 * a cluster (kube.ts, @kubernetes/client-node) and in tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ComposeFunction, ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import { composeOf, FUNCTIONS } from '../functions/catalog.js';
import { conditionTrue, condition, type KubeObject } from '../functions/lib/k8s/objects.js';
import { ROOT } from '../harness/tools.js';
import { requestFor, run } from '../harness/request.js';
import { parseDocuments } from './render.js';
import type { Io } from './io.js';
import { LIVE_SECRET_PREFIX } from '../functions/lib/secrets.js';

/** What doctor needs from a cluster. */
export interface ClusterReader {
  /** The object, or null when it does not exist. */
  get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubeObject | null>;
  /** Every object of a kind (all namespaces), or null when the API server does not serve the kind. */
  list(apiVersion: string, kind: string): Promise<KubeObject[] | null>;
}

export interface Check {
  group: string;
  name: string;
  ok: boolean;
  detail: string;
  /** What to do when it fails. */
  fix?: string;
}

const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

/** Objects of a generated file (or every file of a folder), with the path they came from. */
function generated(path: string): { object: KubeObject; file: string }[] {
  const full = join(ROOT, path);
  const files = path.endsWith('.yaml')
    ? [full]
    : readdirSync(full, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => join(full, f));
  return files.flatMap((f) => parseDocuments(readFileSync(f, 'utf8'), f).map((object) => ({ object, file: relative(ROOT, f) })));
}

/** Who installs each operator: an ArgoCD Application of the app-of-apps (gitops/apps), or the cluster's owner. */
export const OPERATORS: Record<string, { name: string; argocd?: string }> = {
  'apiextensions.crossplane.io': { name: 'Crossplane', argocd: 'crossplane' },
  'pkg.crossplane.io': { name: 'Crossplane', argocd: 'crossplane' },
  'core.oam.dev': { name: 'KubeVela', argocd: 'kubevela' },
  'helm.toolkit.fluxcd.io': { name: 'Flux (helm-controller)', argocd: 'flux' },
  'source.toolkit.fluxcd.io': { name: 'Flux (source-controller)', argocd: 'flux' },
  'keda.sh': { name: 'KEDA', argocd: 'keda' },
  'serving.knative.dev': { name: 'Knative Serving' },
  'networking.istio.io': { name: 'Istio' },
  'external-secrets.io': { name: 'External Secrets' },
  'repo.github.upbound.io': { name: 'provider-upjet-github' },
};

/**
 * CRDs the platform needs: the kinds the functions compose and read, the
 * Flux HelmRepositories of install/, Knative Services (webservice) and
 * ExternalSecrets (the catalog), KubeVela's own.
 */
export function requiredCrds(): string[] {
  const fromFunctions = FUNCTIONS.flatMap((f) => [...f.composes, ...(f.reads ?? [])])
    // Built-in groups (core, apps, batch, *.k8s.io) are served by every API server.
    .filter((c) => c.apiGroup.includes('.') && !c.apiGroup.endsWith('.k8s.io'))
    .flatMap((c) => c.resources.map((r) => `${r}.${c.apiGroup}`));
  const more = [
    'helmrepositories.source.toolkit.fluxcd.io',
    'services.serving.knative.dev',
    'externalsecrets.external-secrets.io',
    'componentdefinitions.core.oam.dev',
    'traitdefinitions.core.oam.dev',
    'policydefinitions.core.oam.dev',
    'compositeresourcedefinitions.apiextensions.crossplane.io',
    'compositions.apiextensions.crossplane.io',
    'functions.pkg.crossplane.io',
    'providers.pkg.crossplane.io',
  ];
  return [...new Set([...more, ...fromFunctions])].sort();
}

function operatorFix(group: string): string {
  const op = OPERATORS[group];
  if (!op) return `install the operator that serves ${group}`;
  if (group === 'repo.github.upbound.io') return 'kubectl apply -f install/providers.yaml (Crossplane installs the provider and its CRDs)';
  return op.argocd
    ? `install ${op.name}: sync the ArgoCD Application ${op.argocd} (gitops/apps) or apply gitops/root.yaml`
    : `install ${op.name} (the platform expects it in the cluster; it is not in gitops/apps)`;
}

async function crdChecks(c: ClusterReader): Promise<Check[]> {
  const out: Check[] = [];
  for (const crd of requiredCrds()) {
    const group = crd.slice(crd.indexOf('.') + 1);
    const obj = await c.get(CRD.apiVersion, CRD.kind, crd);
    const established = conditionTrue(obj ?? undefined, 'Established');
    out.push({
      group: 'operators',
      name: `CRD ${crd} (${OPERATORS[group]?.name ?? group})`,
      ok: obj !== null && established,
      detail: obj === null ? 'missing' : established ? 'established' : 'not Established yet',
      ...(obj === null ? { fix: operatorFix(group) } : established ? {} : { fix: `kubectl describe crd ${crd}` }),
    });
  }
  return out;
}

const notTrue = (o: KubeObject, types: string[]) =>
  types.filter((t) => !conditionTrue(o, t)).map((t) => `${t}=${condition(o, t)?.status ?? 'missing'}${condition(o, t)?.message ? ` (${condition(o, t)!.message})` : ''}`);

/** Each generated object must exist; `conditions` must be True on it. */
async function presence(c: ClusterReader, group: string, path: string, conditions: string[], fix: (file: string, o: KubeObject) => string): Promise<Check[]> {
  const out: Check[] = [];
  for (const { object, file } of generated(path)) {
    const name = object.metadata?.name ?? '';
    const label = `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${name}`;
    const live = await c.get(object.apiVersion!, object.kind!, name, object.metadata?.namespace);
    if (!live) {
      out.push({ group, name: label, ok: false, detail: 'missing', fix: `kubectl apply -f ${file}` });
      continue;
    }
    const bad = notTrue(live, conditions);
    out.push({
      group,
      name: label,
      ok: bad.length === 0,
      detail: bad.length === 0 ? (conditions.length ? conditions.join(', ') : 'present') : bad.join(', '),
      ...(bad.length ? { fix: fix(file, live) } : {}),
    });
  }
  return out;
}

/**
 * The operator Secrets a claim's function asks Crossplane for, from one
 * in-process call of the function; not the function's own Secrets it reads back.
 */
async function secretsOf(claim: KubeObject, compose: ComposeFunction, input: unknown): Promise<ResourceSelector[]> {
  const req = requestFor(claim);
  if (input) req.input = input;
  const rsp = await run(compose, req);
  return Object.entries(rsp.requirements?.resources ?? {})
    .filter(([name, s]) => !name.startsWith(LIVE_SECRET_PREFIX) && s.apiVersion === 'v1' && s.kind === 'Secret' && s.matchName)
    .map(([, s]) => s);
}

async function claimSecretChecks(c: ClusterReader): Promise<Check[]> {
  const out: Check[] = [];
  for (const fn of FUNCTIONS) {
    const compose = await composeOf(fn.name);
    for (const api of fn.apis) {
      const claims = (await c.list(api.apiVersion, api.claimKind)) ?? [];
      for (const claim of claims) {
        const who = `${api.claimKind} ${claim.metadata?.namespace}/${claim.metadata?.name}`;
        for (const sel of await secretsOf(claim, compose, fn.input)) {
          const found = await c.get('v1', 'Secret', sel.matchName!, sel.namespace);
          out.push({
            group: 'claim secrets',
            name: `Secret ${sel.namespace}/${sel.matchName} for ${who}`,
            ok: found !== null,
            detail: found ? 'present' : 'missing',
            ...(found ? {} : { fix: `create Secret ${sel.matchName} in namespace ${sel.namespace} (see docs/reference/${api.functionName}.md for its keys)` }),
          });
        }
      }
    }
  }
  if (out.length === 0) out.push({ group: 'claim secrets', name: 'Secrets the claims refer to', ok: true, detail: 'no claim refers to a Secret' });
  return out;
}

export async function runChecks(c: ClusterReader): Promise<Check[]> {
  try {
    await c.get('v1', 'Namespace', 'default');
  } catch (err) {
    return [
      {
        group: 'cluster',
        name: 'API server reachable',
        ok: false,
        detail: err instanceof Error ? err.message.split('\n')[0] : String(err),
        fix: 'check the kubeconfig and --context (kubectl cluster-info)',
      },
    ];
  }
  const checks: Check[] = [{ group: 'cluster', name: 'API server reachable', ok: true, detail: 'yes' }];
  // Condition types as Crossplane v2.2.1 sets them: packages Installed and Healthy
  // (apis/pkg/v1/conditions.go), XRDs Established and Offered (apis/apiextensions/v1/conditions.go).
  // Offered is set only for XRDs with claimNames, which every XRD here has.
  checks.push(...(await crdChecks(c)));
  const crossplaneServed = checks.find((k) => k.name.startsWith('CRD functions.pkg.crossplane.io'))?.ok;
  if (crossplaneServed) {
    const pkgFix = (file: string, o: KubeObject) => `kubectl describe ${String(o.kind).toLowerCase()}.pkg.crossplane.io ${o.metadata?.name} (from ${file}); Crossplane must run`;
    checks.push(...(await presence(c, 'crossplane', 'install/functions.yaml', ['Installed', 'Healthy'], pkgFix)));
    checks.push(...(await presence(c, 'crossplane', 'install/providers.yaml', ['Installed', 'Healthy'], pkgFix)));
    checks.push(...(await presence(c, 'crossplane', 'xrds', ['Established', 'Offered'], (file, o) => `kubectl describe xrd ${o.metadata?.name} (from ${file}); Crossplane must run`)));
    checks.push(...(await presence(c, 'crossplane', 'compositions', [], () => '')));
  }
  if (checks.find((k) => k.name.startsWith('CRD componentdefinitions.core.oam.dev'))?.ok) {
    checks.push(...(await presence(c, 'kubevela', 'definitions', [], () => '')));
  }
  checks.push(...(await claimSecretChecks(c)));
  return checks;
}

export function formatChecks(checks: Check[]): string {
  const width = Math.min(90, Math.max(...checks.map((k) => k.name.length)));
  const lines = checks.map((k) => `${k.ok ? '✓' : '✗'} ${k.name.padEnd(width)}  ${k.detail}${k.fix ? `\n    fix: ${k.fix}` : ''}`);
  const failed = checks.filter((k) => !k.ok).length;
  lines.push('', failed === 0 ? `all ${checks.length} checks passed` : `${failed} of ${checks.length} checks failed`);
  return lines.join('\n') + '\n';
}

export async function doctor(c: ClusterReader, io: Io): Promise<number> {
  const checks = await runChecks(c);
  io.out(formatChecks(checks));
  return checks.every((k) => k.ok) ? 0 : 1;
}
