/**
 * The resource graph as a standalone SVG picture, laid out by dagre (the
 * layered layout Mermaid itself uses) with one box per namespace. Edges to a
 * whole namespace are drawn after the layout, to the namespace's box.
 */
import dagre from '@dagrejs/dagre';
import { namespacesOf, nodeLabel, nsGroupId, type Category, type Graph } from './graph.js';

const CHAR = 7.2; // width of a 12px monospace character
const LINE = 15;

const FILL: Record<Category, string> = {
  claim: '#dbeafe',
  composite: '#e0e7ff',
  application: '#dbeafe',
  workload: '#dcfce7',
  network: '#fef9c3',
  config: '#fce7f3',
  other: '#f3f4f6',
  external: '#ffffff',
};

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toSvg(g: Graph): string {
  const layout = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  layout.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 60, marginx: 20, marginy: 20 });
  layout.setDefaultEdgeLabel(() => ({}));
  for (const ns of namespacesOf(g)) layout.setNode(nsGroupId(ns), { label: ns ? `namespace ${ns}` : 'cluster-scoped' });
  for (const n of g.nodes) {
    const lines = nodeLabel(n);
    layout.setNode(n.id, { width: Math.max(...lines.map((l) => l.length)) * CHAR + 20, height: lines.length * LINE + 14 });
    layout.setParent(n.id, nsGroupId(n.namespace ?? ''));
  }
  g.edges.forEach((e, i) => {
    if (e.to.startsWith('namespace:')) return;
    layout.setEdge(e.from, e.to, { label: e.label, width: e.label.length * CHAR, height: LINE, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(layout);

  const out: string[] = [];
  const { width = 0, height = 0 } = layout.graph();
  for (const ns of namespacesOf(g)) {
    const c = layout.node(nsGroupId(ns));
    const x = c.x - c.width / 2;
    const y = c.y - c.height / 2;
    out.push(`<rect class="ns" x="${x}" y="${y - 18}" width="${c.width}" height="${c.height + 18}" rx="6"/>`);
    out.push(`<text class="ns" x="${x + 8}" y="${y - 4}">${xml(ns ? `namespace ${ns}` : 'cluster-scoped')}</text>`);
  }
  g.edges.forEach((e, i) => {
    let points: { x: number; y: number }[];
    let labelAt: { x: number; y: number };
    if (e.to.startsWith('namespace:')) {
      const from = layout.node(e.from);
      const c = layout.node(nsGroupId(e.to.slice('namespace:'.length)));
      const target = { x: c.x + (from.x < c.x ? -c.width / 2 : c.width / 2), y: Math.min(Math.max(from.y, c.y - c.height / 2), c.y + c.height / 2) };
      points = [{ x: from.x + (from.x < c.x ? from.width / 2 : -from.width / 2), y: from.y }, target];
      labelAt = { x: (points[0].x + target.x) / 2, y: (points[0].y + target.y) / 2 - 4 };
    } else {
      const edge = layout.edge(e.from, e.to, `e${i}`);
      points = edge.points ?? [];
      labelAt = { x: edge.x ?? points[0]?.x ?? 0, y: edge.y ?? points[0]?.y ?? 0 };
    }
    out.push(`<path class="edge" d="M${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' L')}" marker-end="url(#arrow)"/>`);
    out.push(`<text class="edge" x="${labelAt.x.toFixed(1)}" y="${labelAt.y.toFixed(1)}" text-anchor="middle">${xml(e.label)}</text>`);
  });
  for (const n of g.nodes) {
    const p = layout.node(n.id);
    const round = n.category === 'claim' || n.category === 'application' ? 14 : 3;
    const dash = n.category === 'external' ? ' stroke-dasharray="5 4"' : '';
    out.push(`<g class="node ${n.category}"><title>${xml(n.members.join('\n') || `${n.kinds[0]} ${n.name} (referenced, not created here)`)}</title>`);
    out.push(
      `<rect x="${(p.x - p.width / 2).toFixed(1)}" y="${(p.y - p.height / 2).toFixed(1)}" width="${p.width.toFixed(1)}" height="${p.height.toFixed(1)}" rx="${round}" fill="${FILL[n.category]}"${dash}/>`,
    );
    nodeLabel(n).forEach((line, j) => {
      const y = p.y - p.height / 2 + 7 + LINE * (j + 1) - 3;
      out.push(`<text x="${p.x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="middle"${j > 0 ? ' class="kinds"' : ''}>${xml(line)}</text>`);
    });
    out.push('</g>');
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 -20 ${Math.ceil(width)} ${Math.ceil(height) + 20}" font-family="monospace" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    '<style>rect{stroke:#555} rect.ns{fill:#fafafa;stroke:#bbb} text.ns{fill:#666} path.edge{fill:none;stroke:#555} text.edge{fill:#777;font-size:10px} text.kinds{fill:#555;font-size:10px}</style>',
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
