/**
 * `platform render FILE`: what a claim or an OAM Application will create,
 * computed in-process (no Crossplane CLI, no cluster). A claim becomes its
 * composite and goes through its composition function the way Crossplane
 * calls it (requirements answered from the other documents of the file and
 * `--required`, and what it composed observed, until nothing changes). An OAM Application goes through
 * the generated KubeVela definitions with the real `cue` (harness/oam.ts);
 * the claims its components emit then go through the functions too.
 */
import { Severity, type ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import { parseAllDocuments } from 'yaml';
import { composeOf, FUNCTIONS } from '../functions/catalog.js';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { claimToXr } from '../harness/claims.js';
import { renderApplicationObject, type AppFile } from '../harness/oam.js';
import { settle } from '../harness/request.js';

export type Relation = 'binds' | 'composes' | 'renders';

export interface Node {
  /** Unique within a render: `kind/namespace/name`, with a suffix when repeated. */
  id: string;
  object: KubeObject;
  /** The object that made this one, and how. */
  parent?: { id: string; relation: Relation };
  /** Composition resource name or OAM component/trait that produced it. */
  origin?: string;
  /** Secrets and other objects the function reads (its resource requirements). */
  reads?: ResourceSelector[];
}

export interface Result {
  severity: 'fatal' | 'warning' | 'normal';
  message: string;
  /** The node (claim or composite) the result is about. */
  about: string;
}

export interface Render {
  nodes: Node[];
  results: Result[];
}

const OAM_APPLICATION = { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application' };

function platformApi(obj: KubeObject) {
  for (const fn of FUNCTIONS) {
    const api = fn.apis.find((a) => a.claimKind === obj.kind && a.apiVersion === obj.apiVersion);
    if (api) return { fn, api };
  }
  return undefined;
}

const SEVERITY: Record<number, Result['severity']> = {
  [Severity.SEVERITY_FATAL]: 'fatal',
  [Severity.SEVERITY_WARNING]: 'warning',
};

class Renderer {
  readonly nodes: Node[] = [];
  readonly results: Result[] = [];
  private readonly ids = new Map<string, number>();

  constructor(private readonly cluster: KubeObject[]) {}

  add(object: KubeObject, parent?: Node['parent'], origin?: string): Node {
    const base = `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    const n = (this.ids.get(base) ?? 0) + 1;
    this.ids.set(base, n);
    const node: Node = { id: n === 1 ? base : `${base}#${n}`, object, ...(parent ? { parent } : {}), ...(origin ? { origin } : {}) };
    this.nodes.push(node);
    return node;
  }

  async claim(claim: KubeObject, parent?: Node['parent'], origin?: string): Promise<void> {
    const found = platformApi(claim)!;
    const namespaced: KubeObject = { ...claim, metadata: { ...claim.metadata, namespace: claim.metadata?.namespace ?? 'default' } };
    const claimNode = this.add(namespaced, parent, origin);
    // The Composition's input (function settings), as `make synth` writes it.
    const { rsp, reads: asked } = await settle(await composeOf(found.fn.name), namespaced, this.cluster, found.fn.input);
    const xr = claimToXr(namespaced);
    const desiredXr = rsp.desired?.composite?.resource as KubeObject | undefined;
    const composite: KubeObject = { ...xr, ...(desiredXr?.status ? { status: desiredXr.status } : {}) };
    const xrNode = this.add(composite, { id: claimNode.id, relation: 'binds' });
    const reads = Object.values(asked);
    if (reads.length > 0) xrNode.reads = reads;
    for (const r of rsp.results) {
      this.results.push({ severity: SEVERITY[r.severity] ?? 'normal', message: r.message, about: claimNode.id });
    }
    for (const [name, r] of Object.entries(rsp.desired?.resources ?? {})) {
      this.add(r.resource as KubeObject, { id: xrNode.id, relation: 'composes' }, name);
    }
  }

  async application(app: KubeObject): Promise<void> {
    const namespace = app.metadata?.namespace ?? 'default';
    const appNode = this.add({ ...app, metadata: { ...app.metadata, namespace } });
    const rendered = renderApplicationObject({ ...(app as unknown as AppFile), metadata: { name: app.metadata?.name ?? '', namespace } });
    const outputs: { object: unknown; origin: string }[] = [];
    for (const c of rendered.components) {
      if (c.output) outputs.push({ object: c.output, origin: c.name });
      // KubeVela's render: the workload carries every trait's patch; auxiliary objects say which definition made them.
      for (const [k, o] of Object.entries(c.outputs)) {
        const from = c.outputFrom[k];
        outputs.push({ object: o, origin: from && from !== c.type ? `${c.name}/${from}/${k}` : `${c.name}/${k}` });
      }
    }
    for (const p of rendered.policies) {
      if (p.output) outputs.push({ object: p.output, origin: p.name });
      for (const [k, o] of Object.entries(p.outputs)) outputs.push({ object: o, origin: `${p.name}/${k}` });
    }
    for (const { object, origin } of outputs) {
      const obj = object as KubeObject;
      // KubeVela puts what a component renders into the Application's namespace.
      const placed: KubeObject = { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata?.namespace ?? namespace } };
      const parent = { id: appNode.id, relation: 'renders' as const };
      if (platformApi(placed)) await this.claim(placed, parent, origin);
      else this.add(placed, parent, origin);
    }
  }
}

export function isApplication(obj: KubeObject): boolean {
  return obj.apiVersion === OAM_APPLICATION.apiVersion && obj.kind === OAM_APPLICATION.kind;
}

/**
 * Render every claim and OAM Application among `docs`; the other documents
 * (Secrets, a live Application) are shown as they are and answer the
 * functions' requirements, together with `required`.
 */
export async function render(docs: KubeObject[], required: KubeObject[] = []): Promise<Render> {
  const rendered = docs.filter((d) => isApplication(d) || platformApi(d));
  const others = docs.filter((d) => !rendered.includes(d));
  const r = new Renderer([...others, ...required]);
  if (rendered.length === 0) {
    throw new Error(`nothing to render: no OAM Application and no platform claim (${FUNCTIONS.flatMap((f) => f.apis.map((a) => a.claimKind)).join(', ')}) in the file`);
  }
  for (const d of others) r.add(d);
  for (const d of rendered) {
    if (isApplication(d)) await r.application(d);
    else await r.claim(d);
  }
  return { nodes: r.nodes, results: r.results };
}

export function parseDocuments(text: string, file: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((d, i) => {
    if (d.errors.length > 0) throw new Error(`${file}: document ${i + 1}: ${d.errors[0].message}`);
    const v = d.toJS() as KubeObject | null;
    if (v === null) return [];
    if (typeof v !== 'object' || typeof v.kind !== 'string' || typeof v.apiVersion !== 'string') {
      throw new Error(`${file}: document ${i + 1} is not a Kubernetes object (apiVersion and kind are required)`);
    }
    return [v];
  });
}
