/**
 * The GitOps loop on the local control plane: ArgoCD v3.6.2
 * (application-controller, repo-server) syncs this repository, served by a
 * loopback git daemon, into the plane through gitops/root.yaml with its
 * repoURL overridden (harness/controlplane/argocd.ts rootOverride, the same
 * override docs/gitops.md gives for a fork), the app-of-apps' third-party
 * charts from the plane's OCI registry. Then commits to that repository: a
 * claim changed, an OAM Application added and removed, a claim added and
 * removed (prune), an invalid claim (a sync error naming the field).
 *
 * After a push the suite does what a Git webhook does (ArgoCD's webhook
 * handler, util/webhook/webhook.go@v3.6.2: a normal refresh of every
 * Application of that repository), so the seconds reported are commit to
 * Synced/Healthy without the polling interval (docs/gitops.md has both).
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { SIZES } from '../../functions/event-driven-service/api.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { CHILDREN, ROOT_APP } from '../../synth/gitops.js';
import { applyRoot, localOverride, rootOverride, startArgoCD, type ArgoApp, type ArgoCD } from '../../harness/controlplane/argocd.js';
import { BIN, conditionOf, log, startPlane, type Plane } from '../../harness/controlplane/plane.js';
import { git } from '../../harness/controlplane/git.js';
import { ROOT } from '../../harness/tools.js';
import { liveObjects, refOf, waitFor, xrOf, type Live, type Ref } from './live.js';
import { steps } from './steps.js';

/** Generous bounds for a busy 2-core machine; timings go to the report, not into assertions. */
const CONVERGE = 300_000;
const CLAIM_FILE = 'examples/event-driven-service/claim.yaml';
const OAM_FILE = 'examples/oam/simple-app.yaml';

let plane: Plane;
let argo: ArgoCD;
/** Per app: seconds after the root was applied when it was first seen, Synced, Healthy. */
const bringUp: Record<string, { wave: number; created?: number; synced?: number; healthy?: number; ready?: number }> = {};
const converge: Record<string, number> = {};
let t0 = 0;

const kubectl = () => plane.kubectl;
const { run, step } = steps(CONVERGE + 60_000);
const childNames = () => CHILDREN.map((c) => c.name);
const allApps = () => [ROOT_APP, ...childNames()];

const summary = (a: ArgoApp) =>
  `${a.metadata.name}: ${a.status?.sync?.status ?? '-'}/${a.status?.health?.status ?? '-'}${a.status?.operationState ? ` (${a.status.operationState.phase}: ${a.status.operationState.message ?? ''})` : ''}${(a.status?.conditions ?? []).map((c) => ` [${c.type}: ${c.message}]`).join('')}`;

/** The named Applications that are not Synced and Healthy (at `revision` when given), with their state; '' when all are. */
function notYet(apps: ArgoApp[], names: string[], revision?: string): string {
  return names
    .flatMap((n) => {
      const a = apps.find((x) => x.metadata.name === n);
      if (!a) return [`${n}: not created`];
      const ok = a.status?.sync?.status === 'Synced' && a.status?.health?.status === 'Healthy' && (!revision || !a.spec.source.path || a.status.sync.revision === revision);
      return ok ? [] : [summary(a)];
    })
    .join('; ');
}

/** Wait until every named Application is Synced and Healthy (at `revision` when given); what is not, in the error. */
async function untilSyncedHealthy(names: string[], what: string, revision?: string, timeoutMs = CONVERGE): Promise<void> {
  await waitFor(
    what,
    async () => {
      const seen = notYet(await argo.applications(), names, revision);
      return { done: seen === '', seen };
    },
    timeoutMs,
    1_000,
  );
}

/** Push a commit, then do what ArgoCD's Git webhook handler does: a normal refresh of every Application of that repository. */
async function commit(message: string, change: (dir: string) => void): Promise<{ sha: string; at: number }> {
  const sha = argo.git.commit(message, change);
  const at = Date.now();
  for (const a of await argo.applications()) if (a.spec.source.repoURL === argo.git.url) await argo.refresh(a.metadata.name, 'normal');
  log(`committed ${sha.slice(0, 7)}: ${message}`);
  return { sha, at };
}

const edit = (dir: string, file: string, fn: (docs: KubeObject[]) => KubeObject[]) => {
  const path = join(dir, file);
  const docs = parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJSON() as KubeObject)
    .filter(Boolean);
  writeFileSync(
    path,
    fn(docs)
      .map((d) => stringify(d))
      .join('---\n'),
  );
};

/** A Kubernetes quantity as a number: the API server stores 4000m as 4 (canonical form). */
function quantity(q: string): number {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  const scale = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[m[2] as 'm'] ?? 1;
  return Number(m[1]) * scale;
}
const sameQuantities = (live: unknown, want: { requests: Record<string, string>; limits: Record<string, string> }) =>
  (['requests', 'limits'] as const).every((k) => {
    const l = (live as Record<string, Record<string, string>> | undefined)?.[k] ?? {};
    return Object.keys(l).length === Object.keys(want[k]).length && Object.entries(want[k]).every(([r, q]) => l[r] !== undefined && quantity(l[r]) === quantity(q));
  });

/** A claim, its XR and the live objects it composed. */
async function composition(claim: KubeObject): Promise<{ claim?: Live; xr?: Live; composed: Live[] }> {
  const { claim: live, xr, refs } = await xrOf(kubectl(), claim);
  return { claim: live, xr, composed: await liveObjects(kubectl(), refs) };
}

/** Which of these objects are still there, with their finalizers; '' when none is. */
async function stillThere(objects: Ref[]): Promise<string> {
  return (await liveObjects(kubectl(), objects))
    .map((o) => `${o.kind} ${o.metadata!.name}${(o.metadata as { finalizers?: string[] }).finalizers?.length ? ` (finalizers ${(o.metadata as { finalizers: string[] }).finalizers.join(', ')})` : ''}`)
    .join(', ');
}

/** The bring-up as a table, in the order the Applications were created. */
function waveTable(): string {
  const at = (s?: number) => (s === undefined ? '   -' : s.toFixed(0).padStart(4));
  return Object.entries(bringUp)
    .sort(([, a], [, b]) => (a.created ?? Infinity) - (b.created ?? Infinity) || a.wave - b.wave)
    .map(([n, b]) => `  wave ${String(b.wave).padStart(2)}  ${n.padEnd(22)} created ${at(b.created)}  Synced ${at(b.synced)}  Healthy ${at(b.healthy)} (by the controller: ${at(b.ready)})`)
    .join('\n');
}

beforeAll(async () => {
  plane = await startPlane();
  argo = await startArgoCD({ state: plane.state, bin: BIN, kubectl: plane.kubectl, registryHost: plane.registry, log });
  for (const s of argo.substituted) log(`SUBSTITUTED ${s}`);
  for (const c of CHILDREN) bringUp[c.name] = { wave: c.wave };
  // What the operator creates, not Git: the Secrets the sample claims read (required.yaml next to them).
  for (const c of CHILDREN.filter((x) => x.source?.path.startsWith('examples/'))) {
    const file = join(ROOT, c.source!.path, 'required.yaml');
    if (!existsSync(file)) continue;
    const docs = parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJSON() as KubeObject)
      .filter(Boolean);
    const namespaces = [...new Set(docs.map((d) => d.metadata?.namespace).filter((n): n is string => !!n))];
    await plane.kubectl.apply([...namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })), ...docs]);
    log(`as the operator would: ${docs.map((d) => `${d.kind} ${d.metadata?.namespace}/${d.metadata?.name}`).join(', ')} (${c.source!.path}/required.yaml)`);
  }
  t0 = Date.now();
  await applyRoot(plane.kubectl, rootOverride(argo.git.url, localOverride(argo)));
  log(`root Application applied: ${argo.git.url}, charts from ${argo.chartMirror}`);
}, 900_000);

afterAll(async () => {
  const reports = join(ROOT, '.build/reports');
  mkdirSync(reports, { recursive: true });
  writeFileSync(join(reports, 'e2e-local-gitops-timings.json'), JSON.stringify({ plane: plane?.timings, bringUp, converge, substituted: argo?.substituted }, null, 2));
  log(`gitops timings (s): ${JSON.stringify({ bringUp, converge })}`);
  await plane?.stop(run.failed);
}, 120_000);

describe('e2e-local: ArgoCD syncs this repository into the plane', () => {
  step(
    'the app-of-apps: every Application Synced and Healthy, each wave created only after the one before is Healthy',
    async () => {
      // Watch the bring-up: when each child appears, is Synced, is Healthy (1 s resolution).
      await waitFor(
        'every Application of the app-of-apps Synced and Healthy',
        async () => {
          const apps = await argo.applications();
          const now = (Date.now() - t0) / 1000;
          for (const a of apps) {
            const b = bringUp[a.metadata.name];
            if (!b) continue;
            const at = (ts?: string) => (ts ? (Date.parse(ts) - t0) / 1000 : 0);
            b.created ??= at(a.metadata.creationTimestamp);
            if (a.status?.sync?.status === 'Synced') b.synced ??= now;
            if (a.status?.health?.status === 'Healthy' && a.status?.sync?.status === 'Synced' && !a.status.operationState?.phase?.startsWith('Running')) {
              b.healthy ??= now;
              // When the controller itself wrote it: the later of its health turning Healthy and its sync finishing.
              b.ready ??= Math.max(at(a.status.health.lastTransitionTime), at(a.status.operationState?.finishedAt));
            }
          }
          const seen = notYet(apps, allApps());
          return { done: seen === '', seen };
        },
        2 * CONVERGE,
        1_000,
      ).finally(() => log(`waves as ArgoCD applied them (seconds after the root Application was applied):\n${waveTable()}`));
      // All from the API server's timestamps (1 s resolution): a wave's Applications were created no
      // earlier than the last of the previous wave turned Healthy with its sync finished.
      const waves = [...new Set(CHILDREN.map((c) => c.wave))].sort((a, b) => a - b);
      for (let i = 1; i < waves.length; i++) {
        const prevReady = Math.max(
          ...Object.values(bringUp)
            .filter((b) => b.wave === waves[i - 1])
            .map((b) => b.ready!),
        );
        for (const [n, b] of Object.entries(bringUp).filter(([, b]) => b.wave === waves[i])) {
          expect(b.created!, `${n} (wave ${waves[i]}) created before wave ${waves[i - 1]} was Healthy and synced (${prevReady} s)`).toBeGreaterThanOrEqual(prevReady);
        }
      }
    },
    2 * CONVERGE + 60_000,
  );

  step("the children follow the root's repoURL; the controller charts come from the mirror", async () => {
    const apps = await argo.applications();
    for (const c of CHILDREN) {
      const a = apps.find((x) => x.metadata.name === c.name)!;
      expect(a.spec.source.repoURL, c.name).toBe(c.chart ? argo.chartMirror : argo.git.url);
    }
  });

  step(
    'no perpetual diff: three hard refreshes, every Application stays Synced',
    async () => {
      for (let round = 1; round <= 3; round++) {
        const before = new Map((await argo.applications()).map((a) => [a.metadata.name, a.status?.reconciledAt ?? '']));
        for (const n of allApps()) await argo.refresh(n, 'hard');
        await waitFor(
          `hard refresh ${round} of every Application`,
          async () => {
            // The controller removes the annotation once it has compared again.
            const pending = (await argo.applications()).filter((a) => a.metadata.annotations?.['argocd.argoproj.io/refresh'] || a.status?.reconciledAt === before.get(a.metadata.name));
            return { done: pending.length === 0, seen: `still refreshing: ${pending.map((a) => a.metadata.name).join(', ')}` };
          },
          CONVERGE,
          1_000,
        );
        const apps = await argo.applications();
        for (const a of apps) {
          expect(
            a.status?.sync?.status,
            `round ${round}: ${summary(a)}; out of sync: ${(a.status?.resources ?? [])
              .filter((r) => r.status !== 'Synced')
              .map((r) => `${r.kind} ${r.namespace ?? ''}/${r.name}`)
              .join(', ')}`,
          ).toBe('Synced');
        }
        log(`hard refresh ${round}: all ${apps.length} Applications Synced`);
      }
    },
    3 * CONVERGE,
  );

  step('a commit that changes the example claim converges: size and maxReplicas reach the Deployment and the ScaledObject', async () => {
    const claim = parse(readFileSync(join(ROOT, CLAIM_FILE), 'utf8')) as KubeObject & { spec: { size: keyof typeof SIZES; scaling: { maxReplicas: number } } };
    const size = claim.spec.size === 'large' ? 'small' : 'large';
    const maxReplicas = claim.spec.scaling.maxReplicas + 5;
    const { sha, at } = await commit(`${CLAIM_FILE}: size ${size}, maxReplicas ${maxReplicas}`, (dir) =>
      edit(dir, CLAIM_FILE, ([c]) => [{ ...c, spec: { ...(c.spec as object), size, scaling: { ...(c.spec as { scaling: object }).scaling, maxReplicas } } }]),
    );
    await untilSyncedHealthy(['sample-claims'], `sample-claims Synced and Healthy at ${sha.slice(0, 7)}`, sha);
    await waitFor(
      'the composed Deployment and ScaledObject to follow the claim',
      async () => {
        const { composed } = await composition(claim);
        const deploy = composed.find((o) => o.kind === 'Deployment') as { spec: { template: { spec: { containers: { resources: object }[] } } } } | undefined;
        const scaler = composed.find((o) => o.kind === 'ScaledObject') as { spec: { maxReplicaCount: number } } | undefined;
        const resources = deploy?.spec.template.spec.containers[0].resources;
        return { done: sameQuantities(resources, SIZES[size]) && scaler?.spec.maxReplicaCount === maxReplicas, seen: JSON.stringify({ resources, maxReplicaCount: scaler?.spec.maxReplicaCount }) };
      },
      CONVERGE,
      1_000,
    );
    converge['claim changed: commit → sample-claims Synced+Healthy, composed objects changed'] = (Date.now() - at) / 1000;
  });

  const addedClaim = { name: 'gitops-added', file: CLAIM_FILE };
  step('prune: a commit adds a second claim, the next removes it: the claim, its XR and everything composed are deleted', async () => {
    const base = parse(readFileSync(join(ROOT, CLAIM_FILE), 'utf8')) as KubeObject;
    const extra = { ...base, metadata: { ...base.metadata, name: addedClaim.name } } as KubeObject;
    const added = await commit(`${CLAIM_FILE}: add ${addedClaim.name}`, (dir) => edit(dir, CLAIM_FILE, (docs) => [...docs, extra]));
    await untilSyncedHealthy(['sample-claims'], `sample-claims Synced and Healthy with ${addedClaim.name}`, added.sha);
    converge[`claim added: commit → Synced+Healthy`] = (Date.now() - added.at) / 1000;
    const before = await composition(extra);
    expect(before.claim, 'the added claim').toBeDefined();
    expect(before.composed.length, 'objects composed for the added claim').toBeGreaterThan(0);
    const removed = await commit(`${CLAIM_FILE}: remove ${addedClaim.name}`, (dir) => edit(dir, CLAIM_FILE, (docs) => docs.filter((d) => d.metadata?.name !== addedClaim.name)));
    const gone = [before.claim!, before.xr!, ...before.composed].map(refOf);
    await waitFor(
      `${addedClaim.name}, its XR and its ${before.composed.length} composed objects to be deleted`,
      async () => {
        const left = await stillThere(gone);
        return { done: left === '', seen: `left: ${left}` };
      },
      CONVERGE,
      1_000,
    );
    await untilSyncedHealthy(['sample-claims'], 'sample-claims Synced after the prune', removed.sha);
    converge['claim removed: commit → claim, XR and composed objects gone'] = (Date.now() - removed.at) / 1000;
    const app = (await argo.applications()).find((a) => a.metadata.name === 'sample-claims')!;
    expect(app.status?.resources?.map((r) => r.name)).not.toContain(addedClaim.name);
  });

  step('a commit with an invalid claim is a sync error naming the field; the live claim and its objects stay as they were', async () => {
    const claim = parse(readFileSync(join(ROOT, CLAIM_FILE), 'utf8')) as KubeObject;
    const before = await composition(claim);
    expect(before.claim).toBeDefined();
    // nats.stream is required by the XRD (examples/event-driven-service/invalid-claim.yaml is the same mistake).
    const bad = await commit(`${CLAIM_FILE}: without spec.nats.stream`, (dir) =>
      edit(dir, CLAIM_FILE, (docs) =>
        docs.map((c) => {
          if (c.metadata?.name !== claim.metadata!.name) return c;
          const spec = structuredClone(c.spec) as { nats: Record<string, unknown> };
          delete spec.nats.stream;
          return { ...c, spec };
        }),
      ),
    );
    let msg = '';
    await waitFor(
      'sample-claims to report the failed sync',
      async () => {
        const a = (await argo.applications()).find((x) => x.metadata.name === 'sample-claims')!;
        const op = a.status?.operationState;
        msg = `${summary(a)}; ${JSON.stringify(op?.syncResult?.resources?.filter((r) => r.status !== 'Synced') ?? [])}`;
        const done = a.status?.sync?.status === 'OutOfSync' && a.status?.sync?.revision === bad.sha && !!op && op.syncResult?.revision === bad.sha && /spec\.nats\.stream/.test(JSON.stringify(op));
        return { done, seen: msg };
      },
      CONVERGE,
      1_000,
    );
    log(`invalid claim: ${msg}`);
    converge['invalid claim: commit → sync error naming spec.nats.stream'] = (Date.now() - bad.at) / 1000;
    const after = await composition(claim);
    expect(after.claim?.metadata?.generation).toBe(before.claim!.metadata!.generation);
    expect((after.claim!.spec as { nats: { stream?: string } }).nats.stream).toBe((before.claim!.spec as { nats: { stream: string } }).nats.stream);
    expect(after.composed.map((o) => `${o.kind}/${o.metadata!.name}@${o.metadata!.generation ?? ''}`).sort()).toEqual(
      before.composed.map((o) => `${o.kind}/${o.metadata!.name}@${o.metadata!.generation ?? ''}`).sort(),
    );
    // Revert: back to Synced and Healthy.
    const fixed = await commit(`${CLAIM_FILE}: revert the invalid change`, (dir) => git(['revert', '--no-edit', bad.sha], dir));
    await untilSyncedHealthy(['sample-claims'], 'sample-claims Synced and Healthy after the revert', fixed.sha);
  });

  const oamName = 'gitops-added-worker';
  step('a commit adding an OAM Application converges: KubeVela renders its claim, Crossplane composes it; removing it deletes them all', async () => {
    const oam: KubeObject = {
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: oamName },
      spec: {
        components: [
          {
            name: oamName,
            type: 'event-driven-service',
            properties: { image: 'ghcr.io/example-org/worker:1.0.0', nats: { url: 'nats://nats.nats.svc:4222', stream: 'ORDERS', consumer: 'workers' } },
          },
        ],
      },
    };
    const added = await commit(`${OAM_FILE}: add the OAM Application ${oamName}`, (dir) => edit(dir, OAM_FILE, (docs) => [...docs, oam]));
    await untilSyncedHealthy(['sample-applications'], `sample-applications Synced and Healthy with ${oamName}`, added.sha);
    converge['OAM Application added: commit → sample-applications Synced+Healthy'] = (Date.now() - added.at) / 1000;
    const ns = (await argo.applications()).find((a) => a.metadata.name === 'sample-applications')!.status!.resources!.find((r) => r.name === oamName)!.namespace!;
    const claim = { apiVersion: 'platform.example.org/v1alpha1', kind: 'EventDrivenService', metadata: { name: oamName, namespace: ns } } as KubeObject;
    const made = await composition(claim);
    expect(made.claim, `KubeVela's claim ${ns}/${oamName}`).toBeDefined();
    expect(conditionOf(made.claim, 'Ready')?.status).toBe('True');
    expect(made.composed.map((o) => o.kind).sort()).toEqual(expect.arrayContaining(['Deployment', 'ScaledObject']));

    const removed = await commit(`${OAM_FILE}: remove ${oamName}`, (dir) => edit(dir, OAM_FILE, (docs) => docs.filter((d) => d.metadata?.name !== oamName)));
    const gone = [{ ...oam, metadata: { name: oamName, namespace: ns } } as KubeObject, made.claim!, made.xr!, ...made.composed].map(refOf);
    await waitFor(
      `the OAM Application ${oamName}, its claim, XR and composed objects to be deleted`,
      async () => {
        const left = await stillThere(gone);
        return { done: left === '', seen: `left: ${left}` };
      },
      CONVERGE,
      1_000,
    );
    converge['OAM Application removed: commit → Application, claim and composed objects gone'] = (Date.now() - removed.at) / 1000;
    await untilSyncedHealthy(['sample-applications'], 'sample-applications Synced and Healthy after the prune', removed.sha);
  });
});
