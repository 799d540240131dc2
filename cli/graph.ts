/**
 * `platform graph FILE`: the resource graph of a render. Objects are grouped
 * by namespace; edges say what references what (Secrets and ConfigMaps →
 * the workloads that read them, Services → the workloads they select,
 * claim → composite → composed objects, Application → what it renders).
 *
 * So that a whole realtime stack fits on one screen, the graph collapses:
 * objects of one namespace that share a name (a StatefulSet, its Service and
 * VirtualService; a ConfigMap and the Job named after it plus a content hash)
 * are one node listing their kinds, the NetworkPolicies of a namespace are
 * one node, and when one composite composes everything in a namespace the
 * edge goes to the namespace. `expand` turns collapsing off.
 */
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { podLabelsOf, referencesOf, type Reference } from './references.js';
import type { Node, Render } from './render.js';
import { FUNCTIONS } from '../functions/catalog.js';
import { kindOf } from './summary.js';

export type Category = 'claim' | 'composite' | 'application' | 'workload' | 'config' | 'network' | 'other' | 'external';

export interface GraphNode {
  id: string;
  /** Object name (or a count, for collapsed policies). */
  name: string;
  /** Kinds of the objects in the node, e.g. ['StatefulSet', 'Service']. */
  kinds: string[];
  /** Namespace; undefined for cluster-scoped objects. */
  namespace?: string;
  category: Category;
  /** Render node ids this node stands for. */
  members: string[];
}

export interface GraphEdge {
  from: string;
  /** A node id, or `namespace:<ns>` for an edge to a whole namespace group. */
  to: string;
  label: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const PLATFORM_KINDS = new Set(FUNCTIONS.flatMap((f) => f.apis.flatMap((a) => [a.claimKind, a.compositeKind])));
const CLAIM_KINDS = new Set(FUNCTIONS.flatMap((f) => f.apis.map((a) => a.claimKind)));
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'HelmRelease']);
const CONFIG = new Set(['Secret', 'ConfigMap', 'ServiceAccount']);
const NETWORK = new Set(['Service', 'Gateway', 'VirtualService', 'NetworkPolicy', 'Ingress']);

function categoryOf(o: KubeObject): Category {
  const kind = o.kind ?? '';
  if (CLAIM_KINDS.has(kind)) return 'claim';
  if (PLATFORM_KINDS.has(kind)) return 'composite';
  if (kind === 'Application' && o.apiVersion?.startsWith('core.oam.dev/')) return 'application';
  if (WORKLOADS.has(kind) || (kind === 'Service' && o.apiVersion?.startsWith('serving.knative.dev/'))) return 'workload';
  if (CONFIG.has(kind)) return 'config';
  if (NETWORK.has(kind)) return 'network';
  return 'other';
}

/** Which collapsed node an object belongs to. */
function collapseKey(n: Node, expand: boolean): string {
  const o = n.object;
  const ns = o.metadata?.namespace ?? '';
  const cat = categoryOf(o);
  if (expand || cat === 'claim' || cat === 'composite' || cat === 'application') return `${n.id}`;
  if (o.kind === 'NetworkPolicy') return `${ns}|NetworkPolicy|*`;
  // Jobs and their ConfigMaps carry a content hash: `postgres-setup-3adfd0a5`.
  const base = (o.metadata?.name ?? '').replace(/-[0-9a-f]{8}$/, '');
  return `${ns}|${base}`;
}

const RANK: Record<Category, number> = { claim: 0, composite: 1, application: 0, workload: 2, network: 3, config: 4, other: 5, external: 6 };

export function buildGraph(r: Render, opts: { expand?: boolean } = {}): Graph {
  const expand = opts.expand ?? false;
  const byKey = new Map<string, GraphNode>();
  const nodeOf = new Map<string, GraphNode>();
  for (const n of r.nodes) {
    const key = collapseKey(n, expand);
    let g = byKey.get(key);
    const o = n.object;
    if (!g) {
      g = {
        id: `n${byKey.size + 1}`,
        name: o.metadata?.name ?? '?',
        kinds: [],
        ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
        category: categoryOf(o),
        members: [],
      };
      byKey.set(key, g);
    }
    g.members.push(n.id);
    if (!g.kinds.includes(kindOf(o))) g.kinds.push(kindOf(o));
    // A collapsed node is named after its main object: the workload, else the first.
    if (RANK[categoryOf(o)] < RANK[g.category]) {
      g.category = categoryOf(o);
      g.name = o.metadata?.name ?? g.name;
    }
    nodeOf.set(n.id, g);
  }
  for (const g of byKey.values()) {
    if (g.kinds.length === 1 && g.kinds[0] === 'NetworkPolicy' && g.members.length > 1) g.name = `${g.members.length} policies`;
    else if (!expand) g.name = g.name.replace(/-[0-9a-f]{8}$/, '');
  }

  const edges: GraphEdge[] = [];
  const edgeKeys = new Set<string>();
  const addEdge = (from: GraphNode, to: GraphNode | string, label: string) => {
    const toId = typeof to === 'string' ? to : to.id;
    if (from.id === toId) return;
    const k = `${from.id}>${toId}>${label}`;
    if (edgeKeys.has(k)) return;
    edgeKeys.add(k);
    edges.push({ from: from.id, to: toId, label });
  };
  const nodes = [...byKey.values()];
  const externals = new Map<string, GraphNode>();
  const external = (kind: string, name: string, namespace: string | undefined): GraphNode => {
    const key = `${kind}/${namespace ?? ''}/${name}`;
    let g = externals.get(key);
    if (!g) {
      g = { id: `x${externals.size + 1}`, name, kinds: [kind], ...(namespace ? { namespace } : {}), category: 'external', members: [] };
      externals.set(key, g);
    }
    return g;
  };
  const find = (kind: string, name: string, namespace: string | undefined): GraphNode | undefined => {
    const n = r.nodes.find((x) => x.object.kind === kind && x.object.metadata?.name === name && (x.object.metadata?.namespace ?? undefined) === namespace);
    return n ? nodeOf.get(n.id) : undefined;
  };

  // claim → composite → composed; Application → rendered. When one parent made
  // every object of a namespace, one edge to the namespace says it.
  const children = new Map<string, Node[]>();
  for (const n of r.nodes) if (n.parent) children.set(n.parent.id, [...(children.get(n.parent.id) ?? []), n]);
  for (const [parentId, kids] of children) {
    const parent = nodeOf.get(parentId)!;
    const byNs = new Map<string, Node[]>();
    for (const k of kids) byNs.set(k.object.metadata?.namespace ?? '', [...(byNs.get(k.object.metadata?.namespace ?? '') ?? []), k]);
    for (const [ns, group] of byNs) {
      const inNs = r.nodes.filter((x) => (x.object.metadata?.namespace ?? '') === ns);
      const whole = !expand && ns !== '' && group.length >= 4 && inNs.every((x) => group.includes(x));
      if (whole) addEdge(parent, `namespace:${ns}`, group[0].parent!.relation);
      else for (const k of group) addEdge(parent, nodeOf.get(k.id)!, k.parent!.relation);
    }
  }

  const resolve = (from: Node, ref: Reference): GraphNode[] => {
    const ns = ref.namespace ?? from.object.metadata?.namespace;
    if (ref.selector) {
      const sel = Object.entries(ref.selector);
      return r.nodes
        .filter((x) => x.object.metadata?.namespace === ns && categoryOf(x.object) === 'workload')
        .filter((x) => sel.every(([k, v]) => podLabelsOf(x.object)[k] === v))
        .map((x) => nodeOf.get(x.id)!);
    }
    const found = find(ref.kind, ref.name, ns);
    if (found) return [found];
    return ['Secret', 'ConfigMap', 'Service'].includes(ref.kind) ? [external(ref.kind, ref.name, ns)] : [];
  };
  // Data flows into the workload: draw Secrets → workloads; the others point at what they use.
  const INWARD = new Set(['env', 'volume', 'kubeconfig', 'gateway', 'after']);
  for (const n of r.nodes) {
    const self = nodeOf.get(n.id)!;
    for (const ref of referencesOf(n.object)) {
      for (const target of resolve(n, ref)) {
        if (INWARD.has(ref.relation)) addEdge(target, self, ref.relation);
        else addEdge(self, target, ref.relation);
      }
    }
    // What the function reads through its requirements (operator Secrets, a live Application).
    for (const sel of n.reads ?? []) {
      if (!sel.matchName) continue;
      const target = find(sel.kind, sel.matchName, sel.namespace) ?? external(sel.kind, sel.matchName, sel.namespace);
      addEdge(target, self, 'read by function');
    }
  }
  return { nodes: [...nodes, ...externals.values()], edges };
}

/** Namespaces in first-seen order; '' (cluster-scoped) first. */
export function namespacesOf(g: Graph): string[] {
  const seen = [...new Set(g.nodes.map((n) => n.namespace ?? ''))];
  return seen.sort((a, b) => (a === '' ? -1 : b === '' ? 1 : 0));
}

// ---- Mermaid -----------------------------------------------------------------

const SHAPES: Record<Category, [string, string]> = {
  claim: ['([', '])'],
  composite: ['[[', ']]'],
  application: ['([', '])'],
  workload: ['[', ']'],
  network: ['{{', '}}'],
  config: ['[/', '/]'],
  other: ['[', ']'],
  external: ['[/', '/]'],
};

const esc = (s: string) => s.replace(/"/g, '#quot;');
export const nsGroupId = (ns: string) => `ns_${ns.replace(/[^A-Za-z0-9]/g, '_') || 'cluster'}`;

export function nodeLabel(n: GraphNode): string[] {
  return [n.name, n.kinds.join(' · ') + (n.category === 'external' ? ' (not created here)' : '')];
}

export function toMermaid(g: Graph): string {
  const lines = ['flowchart LR'];
  for (const ns of namespacesOf(g)) {
    const members = g.nodes.filter((n) => (n.namespace ?? '') === ns);
    lines.push(`  subgraph ${nsGroupId(ns)}["${ns ? `namespace ${esc(ns)}` : 'cluster-scoped'}"]`);
    for (const n of members) {
      const [open, close] = SHAPES[n.category];
      const [name, kinds] = nodeLabel(n);
      lines.push(`    ${n.id}${open}"${esc(name)}<br/><small>${esc(kinds)}</small>"${close}`);
    }
    lines.push('  end');
  }
  for (const e of g.edges) {
    const to = e.to.startsWith('namespace:') ? nsGroupId(e.to.slice('namespace:'.length)) : e.to;
    lines.push(`  ${e.from} -->|${esc(e.label)}| ${to}`);
  }
  const ext = g.nodes.filter((n) => n.category === 'external').map((n) => n.id);
  if (ext.length > 0) {
    lines.push('  classDef external stroke-dasharray: 5 5');
    lines.push(`  class ${ext.join(',')} external`);
  }
  return lines.join('\n') + '\n';
}
