/**
 * The steps of an example's life on the plane, each a wait on what the
 * cluster says (never a clock): a claim composes what `crossplane render`
 * gives and becomes Ready; an OAM Application becomes running and healthy by
 * vela-core's verdict; a kubelet would start every Pod involved (kwok does
 * not look); deleting removes everything. Each records seconds since apply.
 */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { conditionOf } from '../../harness/controlplane/crossplane.js';
import type { Kubectl } from '../../harness/controlplane/kubectl.js';
import { missingPodReferences } from '../../harness/controlplane/kubelet.js';
import { appHealth, type AppStatus } from '../../harness/controlplane/vela.js';
import { ROOT } from '../../harness/tools.js';
import { describeObject, sameName, type Expected } from './expect.js';
import { claimState, ensureNamespaces, key, liveObjects, objectArgs, refOf, waitFor, xrOf, type Live, type Ref } from './live.js';

/** Bounds for a hang, not measurements: the machine is a busy 2-core box (docs/controlplane.md has the timings). */
export const COMPOSE_TIMEOUT = 180_000;
export const READY_TIMEOUT = 300_000;

/** Seconds from apply (compose, ready, running), from the fix (heal), from delete (delete). */
export type Timing = { objects?: number; compose?: number; ready?: number; running?: number; heal?: number; delete?: number };

/** Secrets the OAM examples reference that no controller creates (the file says which and why). */
export const OPERATOR_SECRETS = 'examples/operator/required.yaml';

const since = (t0: number) => (Date.now() - t0) / 1000;
const resourceName = (o: Live) => o.metadata?.annotations?.['crossplane.io/composition-resource-name'];

/** What differs between render's objects and the live ones, matched by composition resource name. */
export function mismatches(expected: Expected, live: Live[]): string[] {
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

export { resourceName };

export class Lifecycle {
  readonly timings: Record<string, Timing> = {};
  private readonly appliedAt = new Map<string, number>();

  constructor(
    private readonly kubectl: () => Kubectl,
    private readonly log: (m: string) => void,
  ) {}

  record(label: string, t: Timing): void {
    this.timings[label] = { ...this.timings[label], ...t };
  }

  /**
   * Apply a claim and wait until it is Synced and the API server holds every
   * object `crossplane render` says it composes, in the expected namespaces.
   * (A stack that composes its own Namespace needs two reconciles: the
   * objects in it wait for it, functions/lib/function/namespaces.ts.)
   */
  async applyAndCompose(label: string, claim: KubeObject, expected: Expected): Promise<Live[]> {
    const t0 = Date.now();
    await this.kubectl().apply([claim]);
    if (!this.appliedAt.has(label)) this.appliedAt.set(label, t0);
    await waitFor(
      `${label} to compose (claim and XR Synced, every rendered object there)`,
      async () => {
        // The claim's Synced says it is bound; the XR's says its composition applied.
        const { claim: live, xr, refs } = await xrOf(this.kubectl(), claim);
        const c = conditionOf(live, 'Synced');
        const x = conditionOf(xr, 'Synced');
        const synced = `claim Synced=${c?.status ?? 'unset'} ${c?.message ?? ''}; XR Synced=${x?.status ?? 'unset'} ${x?.message ?? ''}`;
        if (c?.status !== 'True' || x?.status !== 'True') return { done: false, seen: synced };
        const missing = mismatches(expected, await liveObjects(this.kubectl(), refs));
        return { done: missing.length === 0, seen: `${synced}; differences: ${missing.join(', ')}` };
      },
      COMPOSE_TIMEOUT,
    );
    const s = since(t0);
    this.record(label, { compose: s, objects: expected.objects.length });
    this.log(`${label}: Synced, ${expected.objects.length} objects composed in ${s.toFixed(1)} s`);
    return this.composed(claim);
  }

  /** Compose and check what the API server holds against render. */
  async checkComposed(label: string, claim: KubeObject, expected: Expected): Promise<void> {
    const live = await this.applyAndCompose(label, claim, expected);
    // Exactly what render composes, each in its namespace (cluster-scoped ones have none).
    expect(mismatches(expected, live)).toEqual([]);
    expect(live.length).toBe(expected.objects.length);
    // The claim carries the status the function writes on the XR (render's
    // first reconcile: a `message` saying what it waits for may be gone by now).
    const fields = expected.statusFields.filter((f) => f !== 'message');
    await waitFor(
      `${label} status fields ${fields.join(', ')}`,
      async () => {
        const c = await this.kubectl().get<Live>(objectArgs(claim));
        return { done: fields.every((f) => c?.status?.[f] !== undefined), seen: `status fields ${Object.keys(c?.status ?? {}).join(', ')}` };
      },
      COMPOSE_TIMEOUT,
    );
    // Connection details are Secrets the function composes into the claim's namespace.
    const secrets = expected.objects.filter((o) => o.kind === 'Secret' && o.namespace === claim.metadata!.namespace);
    for (const s of secrets)
      expect(
        live.some((l) => l.kind === 'Secret' && key(l) === key(s)),
        describeObject(s),
      ).toBe(true);
  }

  /** The live objects the claim's XR has composed (its resourceRefs). */
  async composed(claim: KubeObject): Promise<Live[]> {
    return liveObjects(this.kubectl(), (await xrOf(this.kubectl(), claim)).refs);
  }

  /** A kubelet would start every Pod of these objects' workloads: no Secret, ConfigMap or key they need is missing. */
  async podsStartable(objects: Ref[]): Promise<void> {
    expect(await missingPodReferences(this.kubectl(), objects), 'Secrets and ConfigMaps a kubelet would not find').toEqual([]);
  }

  /** Wait for the claim's Ready condition (time from its first apply), then check its Pods could start. */
  async becomesReady(label: string, claim: KubeObject): Promise<void> {
    await waitFor(
      `${label} Ready=True`,
      async () => {
        const state = claimState(await this.kubectl().get<Live>(objectArgs(claim)));
        return { done: state.ready, seen: state.seen };
      },
      READY_TIMEOUT,
    );
    const s = since(this.appliedAt.get(label) ?? Date.now());
    this.record(label, { ready: s });
    this.log(`${label}: Ready ${s.toFixed(1)} s after apply`);
    await this.podsStartable((await xrOf(this.kubectl(), claim)).refs);
  }

  /** Delete the root object, then wait until it and every object in `watched` are gone. */
  async deleteAndVanish(label: string, root: KubeObject, watched: Ref[]): Promise<void> {
    const t0 = Date.now();
    await this.kubectl().ok(['delete', ...objectArgs(root), '--wait=false']);
    await waitFor(
      `${label} and everything it made to be deleted`,
      async () => {
        const rootLeft = await this.kubectl().get(objectArgs(root));
        const left = (await liveObjects(this.kubectl(), watched)).map(key);
        return { done: !rootLeft && left.length === 0, seen: `${rootLeft ? `${key(root)}, ` : ''}${left.join(', ')} still there` };
      },
      COMPOSE_TIMEOUT,
      1_000,
    );
    const s = since(t0);
    this.record(label, { delete: s });
    this.log(`${label}: deleted with its ${watched.length} objects in ${s.toFixed(1)} s`);
  }

  /** A claim, its XR and what it composed. */
  async deleteClaim(label: string, claim: KubeObject): Promise<void> {
    const { xr, refs } = await xrOf(this.kubectl(), claim);
    await this.deleteAndVanish(label, claim, [...(xr ? [refOf(xr)] : []), ...refs]);
  }

  /** Every Secret a claim composed, key by key (base64 as stored). */
  async secretBytes(claim: KubeObject): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const l of await this.composed(claim)) {
      if (l.kind !== 'Secret') continue;
      for (const [k, v] of Object.entries((l.data ?? {}) as Record<string, string>)) out.set(`${key(l)} ${k}`, v);
    }
    return out;
  }

  /**
   * An OAM Application through vela-core: the operator's Secrets of its
   * namespace first, then the Application; running with every component
   * and trait healthy; every Pod of what it applied (and of what the claims
   * among it composed) startable; deleting it removes all of that.
   */
  async runApplication(file: string): Promise<void> {
    const app = parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))[0].toJSON() as KubeObject & { spec: { components: { name: string }[] } };
    const namespace = app.metadata!.namespace ?? 'default';
    const operator = parseAllDocuments(readFileSync(join(ROOT, OPERATOR_SECRETS), 'utf8')).map((d) => d.toJSON() as KubeObject);
    await ensureNamespaces(this.kubectl(), [namespace]);
    await this.kubectl().apply(operator.filter((o) => o.metadata!.namespace === namespace));
    const t0 = Date.now();
    await this.kubectl().apply([app]);
    type Status = AppStatus & { appliedResources?: Ref[] };
    let status: Status | undefined;
    await waitFor(
      `${file}: Application ${namespace}/${app.metadata!.name} running with every component and trait healthy`,
      async () => {
        status = (await this.kubectl().get<{ status?: Status }>(objectArgs(app)))?.status;
        const h = appHealth(
          status,
          app.spec.components.map((c) => c.name),
        );
        return { done: h.ok, seen: h.why };
      },
      READY_TIMEOUT,
      1_000,
    );
    const s = since(t0);
    this.record(file, { running: s, objects: status?.appliedResources?.length });
    this.log(`${file}: running and healthy ${s.toFixed(1)} s after apply`);

    // What vela-core applied, and what the claims among it composed.
    const applied = (status?.appliedResources ?? []).map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace: r.namespace || undefined }));
    const composed: Ref[] = [];
    for (const c of applied.filter((r) => r.apiVersion.startsWith('platform.example.org/'))) {
      const claim = { apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.name, namespace: c.namespace ?? namespace } } as KubeObject;
      const { xr, refs } = await xrOf(this.kubectl(), claim);
      composed.push(...(xr ? [refOf(xr)] : []), ...refs);
    }
    await this.podsStartable([...applied, ...composed]);
    await this.deleteAndVanish(file, app, [...applied, ...composed]);
  }
}
