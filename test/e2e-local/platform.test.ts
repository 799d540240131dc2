/**
 * The platform on a real control plane made of local processes (no Docker):
 * etcd, kube-apiserver, kube-controller-manager and Crossplane core, with
 * this repository's packages from a local registry and the functions served
 * by the harness (tooling/controlplane/). No kubelet: pods never run, so this
 * checks what the API server holds — admission of every generated object,
 * what each claim composes, refusals, updates and deletion.
 *
 * `make e2e-local` runs it alone; `make test` includes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ChildProcess } from 'node:child_process';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { apiOfClaim } from '../../tooling/claims.js';
import { renderApplication } from '../../tooling/oam.js';
import { startAll, stopAll } from '../../tooling/servers.js';
import { ROOT } from '../../tooling/tools.js';
import { conditionOf, log, startPlane, type Plane } from '../../tooling/controlplane/plane.js';
import { adopt, until } from '../../tooling/controlplane/processes.js';
import { describeObject, render, sameName, type Expected } from './expect.js';
import { steps } from './steps.js';

type Ref = { apiVersion: string; kind: string; namespace?: string; name: string };
type Live = KubeObject & { status?: { conditions?: { type: string; status: string; message?: string }[] } & Record<string, unknown> };

const COMPOSE_TIMEOUT = 180_000;
const examples = (prefix: string) =>
  readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(ROOT, 'examples', d.name)).filter((f) => f.startsWith(prefix) && f.endsWith('.yaml')).map((f) => `examples/${d.name}/${f}`))
    .sort();
const requiredOf = (file: string) => {
  const r = join(ROOT, dirname(file), 'required.yaml');
  return existsSync(r) ? r : undefined;
};
const readClaim = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8')) as KubeObject;
/** kubectl's resource argument for an apiVersion and kind (kind.version.group). */
const resource = (apiVersion: string, kind: string) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `${kind}.${version}.${group}` : kind;
};
const claimArgs = (claim: KubeObject) => ['-n', claim.metadata!.namespace!, resource(claim.apiVersion!, claim.kind!), claim.metadata!.name!];

let plane: Plane;
let devServers: ChildProcess[] = [];
const timings: Record<string, { compose?: number; objects?: number; delete?: number }> = {};
const applied = new Map<string, { claim: KubeObject; composed: Ref[] }>();

beforeAll(async () => {
  plane = await startPlane();
  // The same functions, insecure on their dev ports, for `crossplane render`.
  devServers = await startAll();
  devServers.forEach((c, i) => adopt(`render function ${i}`, c));
}, 900_000);

afterAll(async () => {
  await stopAll(devServers);
  const reports = join(ROOT, '.tools/reports');
  mkdirSync(reports, { recursive: true });
  writeFileSync(join(reports, 'e2e-local-timings.json'), JSON.stringify({ plane: plane?.timings, claims: timings }, null, 2));
  log('timings (s): ' + JSON.stringify({ plane: plane?.timings.map(([n, s]) => `${n}: ${s.toFixed(1)}`), claims: timings }, null, 1));
  await plane?.stop(run.failed);
}, 120_000);

const kubectl = () => plane.kubectl;

async function ensureNamespaces(names: (string | undefined)[]): Promise<void> {
  const wanted = [...new Set(names.filter((n): n is string => !!n))];
  await kubectl().apply(wanted.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
}

/** The live objects behind refs (one kubectl call per namespace); missing ones are absent from the result. */
async function liveObjects(refs: Ref[]): Promise<Live[]> {
  const byNs = new Map<string, Ref[]>();
  for (const r of refs) byNs.set(r.namespace ?? '', [...(byNs.get(r.namespace ?? '') ?? []), r]);
  const out: Live[] = [];
  for (const [ns, group] of byNs) {
    const r = await kubectl().run(['get', ...(ns ? ['-n', ns] : []), '--ignore-not-found', '-o', 'json', ...group.map((g) => `${resource(g.apiVersion, g.kind)}/${g.name}`)]);
    if (r.code !== 0) throw new Error(r.stderr);
    if (!r.stdout.trim()) continue;
    // kubectl prints one object as itself and several as a List.
    const got = JSON.parse(r.stdout) as Live & { items?: Live[] };
    out.push(...(got.kind === 'List' ? got.items ?? [] : [got]));
  }
  return out;
}

const key = (o: { kind?: string; namespace?: string; name?: string; metadata?: { namespace?: string; name?: string } }) =>
  `${o.kind}/${o.namespace ?? o.metadata?.namespace ?? ''}/${o.name ?? o.metadata?.name}`;

/** The XR behind a claim and the refs of what it composed. */
async function xrOf(claim: KubeObject): Promise<{ xr?: Live; refs: Ref[] }> {
  const live = await kubectl().get<Live>(claimArgs(claim));
  const ref = (live?.spec as { resourceRef?: { apiVersion: string; kind: string; name: string } } | undefined)?.resourceRef;
  if (!ref) return { refs: [] };
  const xr = await kubectl().get<Live>([resource(ref.apiVersion, ref.kind), ref.name]);
  const spec = xr?.spec as { resourceRefs?: Ref[]; crossplane?: { resourceRefs?: Ref[] } } | undefined;
  return { xr, refs: spec?.crossplane?.resourceRefs ?? spec?.resourceRefs ?? [] };
}

/**
 * Apply a claim and wait until it is Synced and the API server holds every
 * object `crossplane render` says it composes, in the expected namespaces.
 * (A stack that composes its own Namespace needs two reconciles: the objects
 * in it wait for it, functions/lib/function/namespaces.ts.)
 */
async function applyAndCompose(label: string, claim: KubeObject, expected: Expected, timingLabel = label): Promise<Live[]> {
  const t0 = Date.now();
  await kubectl().apply([claim]);
  let missing: string[] = [];
  let synced: string | undefined;
  await until(`${label} to compose`, async () => {
    // The claim's Synced says it is bound; the XR's says its composition applied.
    const live = await kubectl().get<Live>(claimArgs(claim));
    const { xr } = await xrOf(claim);
    const c = conditionOf(live, 'Synced');
    const x = conditionOf(xr, 'Synced');
    synced = `claim ${c?.status ?? 'unset'} ${c?.message ?? ''}; XR ${x?.status ?? 'unset'} ${x?.message ?? ''}`;
    if (c?.status !== 'True' || x?.status !== 'True') return false;
    missing = mismatches(expected, await composedNow(claim));
    return missing.length === 0;
  }, COMPOSE_TIMEOUT, 500).catch((e: Error) => {
    throw new Error(`${e.message}; Synced: ${synced}; missing: ${missing.join(', ')}`);
  });
  const s = (Date.now() - t0) / 1000;
  const { refs } = await xrOf(claim);
  timings[timingLabel] = { compose: s, objects: expected.objects.length };
  log(`${timingLabel}: Synced, ${expected.objects.length} objects composed in ${s.toFixed(1)} s`);
  applied.set(label, { claim, composed: refs });
  return liveObjects(refs);
}

/** The live objects the claim's XR has composed (its resourceRefs). */
async function composedNow(claim: KubeObject): Promise<Live[]> {
  return liveObjects((await xrOf(claim)).refs);
}

const refOf = (l: Live): Ref => ({ apiVersion: l.apiVersion!, kind: l.kind!, namespace: l.metadata?.namespace, name: l.metadata!.name! });
const resourceName = (o: Live) => o.metadata?.annotations?.['crossplane.io/composition-resource-name'];

/** What differs between render's objects and the live ones, matched by composition resource name. */
function mismatches(expected: Expected, live: Live[]): string[] {
  const out: string[] = [];
  for (const o of expected.objects) {
    const l = live.find((x) => resourceName(x) === o.resource);
    if (!l) out.push(`missing ${o.resource}: ${describeObject(o)}`);
    else if (l.kind !== o.kind || l.apiVersion !== o.apiVersion || l.metadata?.namespace !== o.namespace || !sameName(o, l.metadata!.name!))
      out.push(`${o.resource}: expected ${describeObject(o)}, found ${l.kind} ${l.metadata?.namespace ?? ''}/${l.metadata?.name}`);
  }
  for (const l of live) if (!expected.objects.some((o) => o.resource === resourceName(l))) out.push(`unexpected ${resourceName(l)}: ${l.kind} ${l.metadata?.name}`);
  return out;
}

/** Compose and check what the API server holds against render. */
async function checkComposed(label: string, claim: KubeObject, expected: Expected): Promise<void> {
  const live = await applyAndCompose(label, claim, expected);
  // Exactly what render composes, each in its namespace (cluster-scoped ones have none).
  expect(mismatches(expected, live)).toEqual([]);
  expect(live.length).toBe(expected.objects.length);
  // The claim carries the status the function writes on the XR.
  await until(`${label} status fields`, async () => {
    const c = await kubectl().get<Live>(claimArgs(claim));
    return expected.statusFields.every((f) => c?.status?.[f] !== undefined);
  }, 60_000, 500);
  // Connection details are Secrets the function composes into the claim's namespace.
  const secrets = expected.objects.filter((o) => o.kind === 'Secret' && o.namespace === claim.metadata!.namespace);
  for (const s of secrets) expect(live.some((l) => l.kind === 'Secret' && key(l) === key(s)), describeObject(s)).toBe(true);
}

async function deleteAndVanish(label: string): Promise<void> {
  const entry = applied.get(label);
  if (!entry) throw new Error(`${label} was never composed`);
  const t0 = Date.now();
  const { xr } = await xrOf(entry.claim);
  await kubectl().ok(['delete', ...claimArgs(entry.claim), '--wait=false']);
  let left: string[] = [];
  await until(`${label} and everything it composed to be deleted`, async () => {
    const claimLeft = await kubectl().get(claimArgs(entry.claim));
    const xrLeft = xr ? await kubectl().get([resource(xr.apiVersion!, xr.kind!), xr.metadata!.name!]) : undefined;
    left = (await liveObjects(entry.composed)).map(key);
    return !claimLeft && !xrLeft && left.length === 0;
  }, COMPOSE_TIMEOUT, 1_000).catch((e: Error) => {
    throw new Error(`${e.message}; still there: ${left.join(', ')}`);
  });
  const s = (Date.now() - t0) / 1000;
  timings[label] = { ...timings[label], delete: s };
  log(`${label}: deleted with its ${entry.composed.length} objects in ${s.toFixed(1)} s`);
  applied.delete(label);
}

/** Every test records a failure, so the state dir (process logs) is kept for a look. */
const { run, step } = steps(COMPOSE_TIMEOUT + 60_000);

describe('e2e-local: the generated platform on a local control plane', () => {
  step('every XRD is Established and Offered; every Composition, Function and the RBAC are in the API server', async () => {
    const xrds = await kubectl().list<Live>(['compositeresourcedefinitions.apiextensions.crossplane.io']);
    expect(xrds.map((x) => x.metadata!.name).sort()).toEqual(readdirSync(join(ROOT, 'xrds')).map((f) => basename(f, '.yaml')).sort());
    for (const x of xrds) {
      expect(conditionOf(x, 'Established')?.status, x.metadata!.name).toBe('True');
      expect(conditionOf(x, 'Offered')?.status, x.metadata!.name).toBe('True');
    }
    const compositions = await kubectl().list<Live>(['compositions.apiextensions.crossplane.io']);
    expect(compositions.length).toBe(readdirSync(join(ROOT, 'compositions')).length);
    const fns = await kubectl().list<Live>(['functions.pkg.crossplane.io']);
    expect(fns.length).toBe(FUNCTIONS.length);
    for (const f of fns) expect(conditionOf(f, 'Healthy')?.status, f.metadata!.name).toBe('True');
    const rbac = parseAllDocuments(readFileSync(join(ROOT, 'install/rbac.yaml'), 'utf8')).map((d) => d.toJSON() as KubeObject);
    for (const r of rbac) expect(await kubectl().get([resource(r.apiVersion!, r.kind!), r.metadata!.name!]), r.metadata!.name).toBeDefined();
  });

  step('the package dependency that cannot be pulled here is declared, and its CRDs are served instead', async () => {
    const meta = parse(readFileSync(join(ROOT, 'package/application/crossplane.yaml'), 'utf8')) as { spec: { dependsOn: { provider: string }[] } };
    expect(meta.spec.dependsOn.map((d) => d.provider)).toEqual(FUNCTIONS.flatMap((f) => f.dependsOn ?? []).map((d) => d.package));
    expect(plane.notInstalled.length).toBe(meta.spec.dependsOn.length);
    for (const plural of ['repositories', 'repositoryfiles']) expect(await kubectl().get(['crd', `${plural}.repo.github.upbound.io`])).toBeDefined();
  });

  describe.each(examples('claim'))('%s', (file) => {
    step('composes: the objects crossplane render gives, in their namespaces; Synced; status written; Secrets in the claim namespace', async () => {
      const claim = readClaim(file);
      const required = requiredOf(file);
      const requiredDocs = required ? parseAllDocuments(readFileSync(required, 'utf8')).map((d) => d.toJSON() as KubeObject) : [];
      await ensureNamespaces([claim.metadata!.namespace, ...requiredDocs.map((d) => d.metadata?.namespace)]);
      if (required) await kubectl().apply(requiredDocs);
      const expected = render(claim, required);
      expect(expected.fatal).toBeUndefined();
      expect(expected.objects.length).toBeGreaterThan(0);
      await checkComposed(file, claim, expected);
    });
  });

  describe.each(examples('invalid'))('%s', (file) => {
    step('is refused by the API server, naming the field the function names', async () => {
      const claim = readClaim(file);
      await ensureNamespaces([claim.metadata!.namespace]);
      const expected = render(claim, requiredOf(file));
      expect(expected.fatal, 'the function refuses it too').toBeDefined();
      const field = /spec(\.[A-Za-z0-9]+)+/.exec(expected.fatal!)?.[0];
      expect(field, `a field in: ${expected.fatal}`).toBeDefined();
      const r = await kubectl().run(['apply', '--server-side', '--field-manager', 'e2e-local', '-f', '-'], readFileSync(join(ROOT, file), 'utf8'));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(field);
      expect(await kubectl().get(claimArgs(claim))).toBeUndefined();
    });
  });

  step('a toggled option reaches the composed objects; generated passwords stay the same', async () => {
    const file = 'examples/application/claim.yaml';
    const entry = applied.get(file);
    expect(entry, `${file} composed first`).toBeDefined();
    const claim = structuredClone(entry!.claim);
    const before = await liveObjects(entry!.composed);
    // The Redis cache off: its StatefulSet, Service and Secret go; the database's password stays.
    (claim.spec as Record<string, unknown>).cache = 'none';
    // What the function returns for the changed claim with the live objects observed, as Crossplane calls it.
    const expected = render(claim, requiredOf(file), before);
    const removed = before.filter((l) => !expected.objects.some((o) => o.resource === resourceName(l)));
    expect(removed.length, 'the toggle changes what is composed').toBeGreaterThan(0);
    const label = `${file} with cache: none`;
    // Waits until the live objects are render's again: the removed ones gone.
    await applyAndCompose(file, claim, expected, label);
    log(`${label}: ${removed.map(resourceName).join(', ')} removed`);
    expect(await liveObjects(removed.map(refOf))).toEqual([]);
    // Generated passwords are kept: every Secret key present before and after has the same value.
    const after = await composedNow(claim);
    const secrets = before.filter((l) => l.kind === 'Secret');
    expect(secrets.length).toBeGreaterThan(0);
    let compared = 0;
    for (const b of secrets) {
      const a = after.find((x) => key(x) === key(b));
      for (const [k, v] of Object.entries((b.data ?? {}) as Record<string, string>)) {
        const now = (a?.data as Record<string, string> | undefined)?.[k];
        if (now === undefined) continue;
        expect(now, `${key(b)} ${k}`).toBe(v);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  // Deletion waits mostly on the namespace controller, not on CPU: the claims go together (vitest's maxConcurrency, 5, at a time).
  describe.concurrent('deletion', () => {
    describe.each(examples('claim'))('%s', (file) => {
      step('deleting the claim removes everything it composed', async () => {
        await deleteAndVanish(file);
      });
    });
  });

  // The claims the KubeVela definitions emit for the OAM examples' parameters.
  const oamClaims = readdirSync(join(ROOT, 'examples/oam')).sort().flatMap((f) => {
    const app = renderApplication(`examples/oam/${f}`);
    // KubeVela applies a component's outputs in the Application's namespace.
    const namespace = readClaim(`examples/oam/${f}`).metadata?.namespace ?? 'default';
    return app.components.flatMap((c) =>
      [c.output, ...Object.values(c.outputs)]
        .filter((o): o is KubeObject => !!o && String(o.apiVersion).startsWith('platform.example.org/'))
        .map((o) => ({
          label: `examples/oam/${f} ${c.name} (${c.type}) → ${o.kind} ${namespace}/${o.metadata!.name}`,
          claim: { ...o, metadata: { ...o.metadata, namespace } } as KubeObject,
        })),
    );
  });
  it('the KubeVela examples emit claims', () => expect(oamClaims.length).toBeGreaterThan(0));

  // Independent claims in their own namespaces: composed and deleted side by side, as a cluster would see them.
  describe.concurrent.each(oamClaims)('$label', ({ label, claim }) => {
    step('composes on the control plane, and deleting it removes everything', async () => {
      apiOfClaim(claim);
      await ensureNamespaces([claim.metadata!.namespace]);
      const expected = render(claim);
      expect(expected.fatal).toBeUndefined();
      await checkComposed(label, claim, expected);
      await deleteAndVanish(label);
    }, 2 * COMPOSE_TIMEOUT + 60_000);
  });
});
