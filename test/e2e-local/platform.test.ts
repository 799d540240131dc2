/**
 * The platform on a real control plane made of local processes (no Docker,
 * tooling/controlplane/): etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok playing the kubelet of fake Nodes, Crossplane core
 * with this repository's packages from a local registry and the functions
 * served by the harness, and KubeVela's vela-core. It checks admission of
 * every generated object, what each claim composes, refusals, updates and
 * deletion, and that the platform becomes healthy: every example claim
 * Ready, every OAM example running with every component and trait healthy
 * (vela-core's own verdict), a kubelet able to start every Pod, and one
 * operator mistake per stack shown in status and healed.
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
import { startAll, stopAll } from '../../tooling/servers.js';
import { ROOT } from '../../tooling/tools.js';
import { missingPodReferences } from '../../tooling/controlplane/kubelet.js';
import { conditionOf, log, startPlane, type Plane } from '../../tooling/controlplane/plane.js';
import { adopt } from '../../tooling/controlplane/processes.js';
import { appHealth, type AppStatus } from '../../tooling/controlplane/vela.js';
import { describeObject, render, sameName, type Expected } from './expect.js';
import { claimState, ensureNamespaces, key, liveObjects, objectArgs, refOf, resource, waitFor, xrOf, type Live, type Ref } from './live.js';
import { MISTAKES } from './mistakes.js';

const COMPOSE_TIMEOUT = 180_000;
/** Bounds for a hang, not measurements: a claim is usually Ready in seconds (docs/controlplane.md). */
const READY_TIMEOUT = 300_000;
const examples = (prefix: string) =>
  readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(ROOT, 'examples', d.name)).filter((f) => f.startsWith(prefix) && f.endsWith('.yaml')).map((f) => `examples/${d.name}/${f}`))
    .sort();
const requiredOf = (file: string) => {
  const r = join(ROOT, dirname(file), 'required.yaml');
  return existsSync(r) ? r : undefined;
};
/** Secrets the OAM examples reference that no controller creates. */
const OPERATOR_SECRETS = 'examples/operator/required.yaml';
const readYaml = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8')) as KubeObject;

let plane: Plane;
let devServers: ChildProcess[] = [];
type Timing = { objects?: number; compose?: number; ready?: number; running?: number; heal?: number; delete?: number };
const timings: Record<string, Timing> = {};
const record = (label: string, t: Timing) => (timings[label] = { ...timings[label], ...t });
const since = (t0: number) => (Date.now() - t0) / 1000;
const applied = new Map<string, { claim: KubeObject; composed: Ref[]; appliedAt: number }>();
let failed = false;

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
  writeFileSync(join(reports, 'e2e-local-timings.json'), JSON.stringify({ plane: plane?.timings, examples: timings }, null, 2));
  log('timings (s): ' + JSON.stringify({ plane: plane?.timings.map(([n, s]) => `${n}: ${s.toFixed(1)}`), examples: timings }, null, 1));
  await plane?.stop(failed);
}, 120_000);

const kubectl = () => plane.kubectl;

/**
 * Apply a claim and wait until it is Synced and the API server holds every
 * object `crossplane render` says it composes, in the expected namespaces.
 * (A stack that composes its own Namespace needs two reconciles: the objects
 * in it wait for it, functions/lib/function/namespaces.ts.)
 */
async function applyAndCompose(label: string, claim: KubeObject, expected: Expected, timingLabel = label): Promise<Live[]> {
  const t0 = Date.now();
  await kubectl().apply([claim]);
  await waitFor(`${label} to compose (claim and XR Synced, every rendered object there)`, async () => {
    // The claim's Synced says it is bound; the XR's says its composition applied.
    const { claim: live, xr, refs } = await xrOf(kubectl(), claim);
    const c = conditionOf(live, 'Synced');
    const x = conditionOf(xr, 'Synced');
    const synced = `claim Synced=${c?.status ?? 'unset'} ${c?.message ?? ''}; XR Synced=${x?.status ?? 'unset'} ${x?.message ?? ''}`;
    if (c?.status !== 'True' || x?.status !== 'True') return { done: false, seen: synced };
    const missing = mismatches(expected, await liveObjects(kubectl(), refs));
    return { done: missing.length === 0, seen: `${synced}; differences: ${missing.join(', ')}` };
  }, COMPOSE_TIMEOUT);
  const s = since(t0);
  const { refs } = await xrOf(kubectl(), claim);
  record(timingLabel, { compose: s, objects: expected.objects.length });
  log(`${timingLabel}: Synced, ${expected.objects.length} objects composed in ${s.toFixed(1)} s`);
  applied.set(label, { claim, composed: refs, appliedAt: t0 });
  return liveObjects(kubectl(), refs);
}

/** The live objects the claim's XR has composed (its resourceRefs). */
async function composedNow(claim: KubeObject): Promise<Live[]> {
  return liveObjects(kubectl(), (await xrOf(kubectl(), claim)).refs);
}

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
  // The claim carries the status the function writes on the XR (render's
  // first reconcile: a `message` saying what it waits for may be gone by now).
  const fields = expected.statusFields.filter((f) => f !== 'message');
  await waitFor(`${label} status fields ${fields.join(', ')}`, async () => {
    const c = await kubectl().get<Live>(objectArgs(claim));
    return { done: fields.every((f) => c?.status?.[f] !== undefined), seen: `status fields ${Object.keys(c?.status ?? {}).join(', ')}` };
  }, COMPOSE_TIMEOUT);
  // Connection details are Secrets the function composes into the claim's namespace.
  const secrets = expected.objects.filter((o) => o.kind === 'Secret' && o.namespace === claim.metadata!.namespace);
  for (const s of secrets) expect(live.some((l) => l.kind === 'Secret' && key(l) === key(s)), describeObject(s)).toBe(true);
}

/** Every namespace a claim's objects live in: the claim's, its composed objects', and the Namespaces it composed. */
async function namespacesOf(claim: KubeObject): Promise<string[]> {
  const { refs } = await xrOf(kubectl(), claim);
  return [claim.metadata!.namespace!, ...refs.map((r) => (r.kind === 'Namespace' ? r.name : r.namespace)).filter((n): n is string => !!n)];
}

/**
 * Wait for the claim's Ready condition (time from its apply), then check that
 * a kubelet would start every Pod of its namespaces (kwok does not look).
 */
async function becomesReady(label: string): Promise<void> {
  const entry = applied.get(label);
  if (!entry) throw new Error(`${label} was never applied`);
  await waitFor(`${label} Ready=True`, async () => {
    const state = claimState(await kubectl().get<Live>(objectArgs(entry.claim)));
    return { done: state.ready, seen: state.seen };
  }, READY_TIMEOUT);
  const s = since(entry.appliedAt);
  record(label, { ready: s });
  log(`${label}: Ready ${s.toFixed(1)} s after apply`);
  expect(await missingPodReferences(kubectl(), await namespacesOf(entry.claim)), 'Secrets and ConfigMaps a kubelet would not find').toEqual([]);
}

/** Delete the root object, then wait until it and every object in `watched` are gone. */
async function deleteAndVanish(label: string, root: KubeObject, watched: Ref[]): Promise<void> {
  const t0 = Date.now();
  await kubectl().ok(['delete', ...objectArgs(root), '--wait=false']);
  await waitFor(`${label} and everything it made to be deleted`, async () => {
    const rootLeft = await kubectl().get(objectArgs(root));
    const left = (await liveObjects(kubectl(), watched)).map(key);
    return { done: !rootLeft && left.length === 0, seen: `${rootLeft ? `${key(root)}, ` : ''}${left.join(', ')} still there` };
  }, COMPOSE_TIMEOUT, 1_000);
  const s = since(t0);
  record(label, { delete: s });
  log(`${label}: deleted with its ${watched.length} objects in ${s.toFixed(1)} s`);
}

/** A claim, its XR and what it composed. */
async function deleteClaim(label: string): Promise<void> {
  const entry = applied.get(label);
  if (!entry) throw new Error(`${label} was never composed`);
  const { xr, refs } = await xrOf(kubectl(), entry.claim);
  await deleteAndVanish(label, entry.claim, [...(xr ? [refOf(xr)] : []), ...refs]);
  applied.delete(label);
}

/** Every Secret a claim composed, key by key (base64 as stored). */
async function secretBytes(claim: KubeObject): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const l of await composedNow(claim)) {
    if (l.kind !== 'Secret') continue;
    for (const [k, v] of Object.entries((l.data ?? {}) as Record<string, string>)) out.set(`${key(l)} ${k}`, v);
  }
  return out;
}

/** Every test records a failure, so the state dir (process logs) is kept for a look. */
function step(name: string, fn: () => Promise<void>, timeout = COMPOSE_TIMEOUT + 60_000) {
  it(name, async () => {
    try {
      await fn();
    } catch (e) {
      failed = true;
      throw e;
    }
  }, timeout);
}

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

  // Side by side, as a cluster would see them (vitest's maxConcurrency at a time); the timings say so.
  describe.concurrent.each(examples('claim'))('%s', (file) => {
    step('composes the objects crossplane render gives, in their namespaces; Synced; status written; Secrets in the claim namespace; then Ready, every Pod startable', async () => {
      const claim = readYaml(file);
      const required = requiredOf(file);
      const requiredDocs = required ? parseAllDocuments(readFileSync(required, 'utf8')).map((d) => d.toJSON() as KubeObject) : [];
      await ensureNamespaces(kubectl(), [claim.metadata!.namespace, ...requiredDocs.map((d) => d.metadata?.namespace)]);
      if (required) await kubectl().apply(requiredDocs);
      const expected = render(claim, required);
      expect(expected.fatal).toBeUndefined();
      expect(expected.objects.length).toBeGreaterThan(0);
      await checkComposed(file, claim, expected);
      await becomesReady(file);
    }, COMPOSE_TIMEOUT + READY_TIMEOUT + 60_000);
  });

  describe.each(examples('invalid'))('%s', (file) => {
    step('is refused by the API server, naming the field the function names', async () => {
      const claim = readYaml(file);
      await ensureNamespaces(kubectl(), [claim.metadata!.namespace]);
      const expected = render(claim, requiredOf(file));
      expect(expected.fatal, 'the function refuses it too').toBeDefined();
      const field = /spec(\.[A-Za-z0-9]+)+/.exec(expected.fatal!)?.[0];
      expect(field, `a field in: ${expected.fatal}`).toBeDefined();
      const r = await kubectl().run(['apply', '--server-side', '--field-manager', 'e2e-local', '-f', '-'], readFileSync(join(ROOT, file), 'utf8'));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(field);
      expect(await kubectl().get(objectArgs(claim))).toBeUndefined();
    });
  });

  describe.concurrent('an operator mistake shows in status, then heals without a password changed', () => {
    describe.each(MISTAKES)('$label', (m) => {
      step(`unhealthy naming ${m.says.join(' and ')}; Ready once the Secret exists; every composed Secret byte the same`, async () => {
        await ensureNamespaces(kubectl(), [m.claim.metadata!.namespace]);
        await kubectl().apply(m.present);
        const t0 = Date.now();
        await kubectl().apply([m.claim]);
        applied.set(m.label, { claim: m.claim, composed: [], appliedAt: t0 });
        await waitFor(`${m.label}: status naming ${m.says.join(' and ')}, not Ready`, async () => {
          const live = await kubectl().get<Live>(objectArgs(m.claim));
          const state = claimState(live);
          const text = JSON.stringify(live?.status ?? {});
          return { done: !state.ready && m.says.every((w) => text.includes(w)), seen: state.seen };
        }, READY_TIMEOUT);
        // Still not Ready a while later: the mistake is not a moment of a start-up.
        const before = await secretBytes(m.claim);
        expect(before.size, 'composed Secrets to compare').toBeGreaterThan(0);
        expect(claimState(await kubectl().get<Live>(objectArgs(m.claim))).ready).toBe(false);

        const t1 = Date.now();
        await kubectl().apply([m.missing]);
        await becomesReady(m.label);
        record(m.label, { heal: since(t1) });
        const after = await secretBytes(m.claim);
        for (const [k, v] of before) expect(after.get(k), k).toBe(v);
        applied.set(m.label, { ...applied.get(m.label)!, composed: (await xrOf(kubectl(), m.claim)).refs });
        await deleteClaim(m.label);
      }, 2 * READY_TIMEOUT + COMPOSE_TIMEOUT);
    });
  });

  step('a toggled option reaches the composed objects; generated passwords stay the same', async () => {
    const file = 'examples/application/claim.yaml';
    const entry = applied.get(file);
    expect(entry, `${file} composed first`).toBeDefined();
    const claim = structuredClone(entry!.claim);
    const before = await liveObjects(kubectl(), entry!.composed);
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
    expect(await liveObjects(kubectl(), removed.map(refOf))).toEqual([]);
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
        await deleteClaim(file);
      });
    });
  });

  // vela-core renders, applies and health-checks each OAM example, as in a cluster; side by side.
  describe.concurrent.each(readdirSync(join(ROOT, 'examples/oam')).sort().map((f) => `examples/oam/${f}`))('%s', (file) => {
    step('vela-core runs it: phase running, every component and trait healthy, every Pod startable; deleting it removes everything it applied', async () => {
      const app = readYaml(file) as KubeObject & { spec: { components: { name: string }[] } };
      const namespace = app.metadata!.namespace ?? 'default';
      // The Secrets an operator creates first (the file says which and why).
      const operator = parseAllDocuments(readFileSync(join(ROOT, OPERATOR_SECRETS), 'utf8')).map((d) => d.toJSON() as KubeObject);
      await ensureNamespaces(kubectl(), [namespace, ...operator.map((o) => o.metadata!.namespace)]);
      await kubectl().apply(operator.filter((o) => o.metadata!.namespace === namespace));
      const t0 = Date.now();
      await kubectl().apply([app]);
      let status: (AppStatus & { appliedResources?: Ref[] }) | undefined;
      await waitFor(`${file}: Application ${namespace}/${app.metadata!.name} running with every component and trait healthy`, async () => {
        status = (await kubectl().get<{ status?: AppStatus & { appliedResources?: Ref[] } }>(objectArgs(app)))?.status;
        const h = appHealth(status, app.spec.components.map((c) => c.name));
        return { done: h.ok, seen: h.why };
      }, READY_TIMEOUT, 1_000);
      const s = since(t0);
      record(file, { running: s, objects: status?.appliedResources?.length });
      log(`${file}: running and healthy ${s.toFixed(1)} s after apply`);

      // What vela-core applied, and what the claims among it composed.
      const appliedRefs = status?.appliedResources ?? [];
      const claims = appliedRefs.filter((r) => r.apiVersion.startsWith('platform.example.org/'));
      const composed: Ref[] = [];
      const namespaces = [namespace, ...appliedRefs.map((r) => r.namespace).filter((n): n is string => !!n)];
      for (const c of claims) {
        const claim = { apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name, namespace: c.namespace ?? namespace } } as KubeObject;
        const { xr, refs } = await xrOf(kubectl(), claim);
        composed.push(...(xr ? [refOf(xr)] : []), ...refs);
        namespaces.push(...(await namespacesOf(claim)));
      }
      expect(await missingPodReferences(kubectl(), namespaces), 'Secrets and ConfigMaps a kubelet would not find').toEqual([]);
      await deleteAndVanish(file, app, [...appliedRefs.map((r) => ({ ...r, namespace: r.namespace ?? undefined })), ...composed]);
    }, READY_TIMEOUT + COMPOSE_TIMEOUT + 60_000);
  });
});
