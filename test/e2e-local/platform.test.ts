/**
 * The platform on a real control plane made of local processes (no Docker,
 * harness/controlplane/): etcd, kube-apiserver, kube-controller-manager,
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
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { ChildProcess } from 'node:child_process';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { startAll, stopAll } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';
import { conditionOf, log, startPlane, type Plane } from '../../harness/controlplane/plane.js';
import { adopt, usage } from '../../harness/controlplane/processes.js';
import { render } from './expect.js';
import { COMPOSE_TIMEOUT, Lifecycle, READY_TIMEOUT, resourceName } from './lifecycle.js';
import { claimState, ensureNamespaces, key, liveObjects, objectArgs, refOf, resource, waitFor, xrOf, type Live } from './live.js';
import { MISTAKES } from './mistakes.js';
import { steps } from './steps.js';

const examples = (prefix: string) =>
  readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(ROOT, 'examples', d.name))
        .filter((f) => f.startsWith(prefix) && f.endsWith('.yaml'))
        .map((f) => `examples/${d.name}/${f}`),
    )
    .sort();
const requiredOf = (file: string) => {
  const r = join(ROOT, dirname(file), 'required.yaml');
  return existsSync(r) ? r : undefined;
};
const readYaml = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8')) as KubeObject;
const OAM_EXAMPLES = readdirSync(join(ROOT, 'examples/oam'))
  .sort()
  .map((f) => `examples/oam/${f}`);

/**
 * Examples that make the same objects cannot live side by side: each of
 * these waits until the other example's test has ended (it deletes what it
 * made). Both of this pair make the realtime platform `health-data` in
 * namespace health (Namespace health-data-realtime, Secrets health/health-data-*).
 */
const WAITS_FOR: Record<string, string> = {
  'examples/oam/realtime-health-platform.yaml': 'examples/realtime-platform/claim.yaml',
};

let plane: Plane;
let devServers: ChildProcess[] = [];
/** Every test records a failure, so the state dir (process logs) is kept for a look. */
const { run, step } = steps(COMPOSE_TIMEOUT);
const kubectl = () => plane.kubectl;
const life = new Lifecycle(kubectl, log);
/** One promise per example test, settled when it ends (WAITS_FOR). */
const ended = new Map(
  examples('claim').map((f) => {
    let done = () => undefined as void;
    const promise = new Promise<void>((resolve) => (done = resolve));
    return [f, { promise, done }] as const;
  }),
);

beforeAll(async () => {
  plane = await startPlane();
  // The same functions, insecure on their dev ports, for `crossplane render`.
  devServers = await startAll();
  devServers.forEach((c, i) => adopt(`render function ${i}`, c));
}, 900_000);

afterAll(async () => {
  const used = usage();
  log(`CPU seconds and RSS per process: ${used.map((u) => `${u.name} ${u.cpuSeconds.toFixed(0)} s ${u.rssMiB} MiB`).join(', ')}`);
  await stopAll(devServers);
  const reports = join(ROOT, '.build/reports');
  mkdirSync(reports, { recursive: true });
  writeFileSync(join(reports, 'e2e-local-timings.json'), JSON.stringify({ plane: plane?.timings, examples: life.timings, processes: used }, null, 2));
  log('timings (s): ' + JSON.stringify({ plane: plane?.timings.map(([n, s]) => `${n}: ${s.toFixed(1)}`), examples: life.timings }, null, 1));
  await plane?.stop(run.failed);
}, 120_000);

/**
 * A toggled option reaches the composed objects: the Redis cache of the
 * application example off removes its StatefulSet, Service and Secret
 * (expected: what the function returns for the changed claim with the live
 * objects observed, as Crossplane calls it), and every generated password
 * present before and after keeps its bytes.
 */
async function toggleCacheOff(file: string, claim: KubeObject): Promise<void> {
  const before = await life.composed(claim);
  const changed = structuredClone(claim);
  (changed.spec as Record<string, unknown>).cache = 'none';
  const expected = render(changed, requiredOf(file), before);
  const removed = before.filter((l) => !expected.objects.some((o) => o.resource === resourceName(l)));
  expect(removed.length, 'the toggle changes what is composed').toBeGreaterThan(0);
  const label = `${file} with cache: none`;
  // Waits until the live objects are render's again: the removed ones gone.
  await life.applyAndCompose(label, changed, expected);
  log(`${label}: ${removed.map(resourceName).join(', ')} removed`);
  expect(await liveObjects(kubectl(), removed.map(refOf))).toEqual([]);
  const after = await life.composed(changed);
  let compared = 0;
  for (const b of before.filter((l) => l.kind === 'Secret')) {
    const a = after.find((x) => key(x) === key(b));
    for (const [k, v] of Object.entries((b.data ?? {}) as Record<string, string>)) {
      const now = (a?.data as Record<string, string> | undefined)?.[k];
      if (now === undefined) continue;
      expect(now, `${key(b)} ${k}`).toBe(v);
      compared++;
    }
  }
  expect(compared, 'password keys compared').toBeGreaterThan(0);
}
const TOGGLED = 'examples/application/claim.yaml';

describe('e2e-local: the generated platform on a local control plane', () => {
  step(
    'every XRD is Established and Offered; every Composition, Function and the RBAC are in the API server',
    async () => {
      const xrds = await kubectl().list<Live>(['compositeresourcedefinitions.apiextensions.crossplane.io']);
      expect(xrds.map((x) => x.metadata!.name).sort()).toEqual(
        readdirSync(join(ROOT, 'xrds'))
          .map((f) => basename(f, '.yaml'))
          .sort(),
      );
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
    },
    COMPOSE_TIMEOUT,
  );

  step(
    'the package dependency that cannot be pulled here is declared, and its CRDs are served instead',
    async () => {
      const meta = parse(readFileSync(join(ROOT, 'package/application/crossplane.yaml'), 'utf8')) as { spec: { dependsOn: { provider: string }[] } };
      expect(meta.spec.dependsOn.map((d) => d.provider)).toEqual(FUNCTIONS.flatMap((f) => f.dependsOn ?? []).map((d) => d.package));
      expect(plane.notInstalled.length).toBe(meta.spec.dependsOn.length);
      for (const plural of ['repositories', 'repositoryfiles']) expect(await kubectl().get(['crd', `${plural}.repo.github.upbound.io`])).toBeDefined();
    },
    COMPOSE_TIMEOUT,
  );

  describe.each(examples('invalid'))('%s', (file) => {
    step(
      'is refused by the API server, naming the field the function names',
      async () => {
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
      },
      COMPOSE_TIMEOUT,
    );
  });

  // Every example side by side, as a cluster would see them: each waits
  // only on what the cluster says about it (the timings say so too).
  describe.concurrent('every example, side by side', () => {
    describe.each(examples('claim'))('%s', (file) => {
      step(
        'composes the objects crossplane render gives, in their namespaces; Synced; status written; Secrets in the claim namespace; Ready, every Pod startable; deleting it removes everything it composed',
        async () => {
          try {
            const claim = readYaml(file);
            const required = requiredOf(file);
            const requiredDocs = required ? parseAllDocuments(readFileSync(required, 'utf8')).map((d) => d.toJSON() as KubeObject) : [];
            await ensureNamespaces(kubectl(), [claim.metadata!.namespace, ...requiredDocs.map((d) => d.metadata?.namespace)]);
            await kubectl().apply(requiredDocs);
            const expected = render(claim, required);
            expect(expected.fatal).toBeUndefined();
            expect(expected.objects.length).toBeGreaterThan(0);
            await life.checkComposed(file, claim, expected);
            await life.becomesReady(file, claim);
            if (file === TOGGLED) await toggleCacheOff(file, claim);
            await life.deleteClaim(file, claim);
          } finally {
            ended.get(file)!.done();
          }
        },
        COMPOSE_TIMEOUT * 3 + READY_TIMEOUT,
      );
    });

    describe.each(MISTAKES)('operator mistake: $label', (m) => {
      step(
        `status names ${m.says.join(' and ')}, not Ready; Ready once the Secret exists${m.composesSecrets ? ', every composed Secret byte the same' : ''}`,
        async () => {
          await ensureNamespaces(kubectl(), [m.claim.metadata!.namespace]);
          await kubectl().apply(m.present);
          await kubectl().apply([m.claim]);
          await waitFor(
            `${m.label}: status naming ${m.says.join(' and ')}, not Ready`,
            async () => {
              const live = await kubectl().get<Live>(objectArgs(m.claim));
              const state = claimState(live);
              const text = JSON.stringify(live?.status ?? {});
              return { done: !state.ready && m.says.every((w) => text.includes(w)), seen: state.seen };
            },
            READY_TIMEOUT,
          );
          const before = await life.secretBytes(m.claim);
          expect(before.size > 0, 'composed Secrets to compare').toBe(m.composesSecrets);
          expect(claimState(await kubectl().get<Live>(objectArgs(m.claim))).ready, 'Ready while the Secret is missing').toBe(false);

          const t1 = Date.now();
          await kubectl().apply([m.missing]);
          await waitFor(
            `${m.label}: Ready=True once Secret ${m.missing.metadata!.name} exists`,
            async () => {
              const state = claimState(await kubectl().get<Live>(objectArgs(m.claim)));
              return { done: state.ready, seen: state.seen };
            },
            READY_TIMEOUT,
          );
          life.record(m.label, { heal: (Date.now() - t1) / 1000 });
          log(`${m.label}: healed ${((Date.now() - t1) / 1000).toFixed(1)} s after the Secret was created`);
          await life.podsStartable((await xrOf(kubectl(), m.claim)).refs);
          const after = await life.secretBytes(m.claim);
          for (const [k, v] of before) expect(after.get(k), k).toBe(v);
          await life.deleteClaim(m.label, m.claim);
        },
        2 * READY_TIMEOUT + COMPOSE_TIMEOUT,
      );
    });

    // vela-core renders, applies and health-checks each OAM example, as in a cluster.
    describe.each(OAM_EXAMPLES)('%s', (file) => {
      step(
        'vela-core runs it: phase running, every component and trait healthy, every Pod startable; deleting it removes everything it applied',
        async () => {
          const first = WAITS_FOR[file];
          if (first) await ended.get(first)!.promise;
          await life.runApplication(file);
        },
        2 * COMPOSE_TIMEOUT * 3 + 2 * READY_TIMEOUT,
      );
    });
  });
});
