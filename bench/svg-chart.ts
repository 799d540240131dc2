/**
 * A small line-chart writer for the benchmark pages: panels of series on
 * logarithmic or linear axes, laid out in a grid, as one standalone SVG.
 * No dependency: the figures are a few points each.
 */

export interface Series {
  name: string;
  points: [number, number][];
  /** Dashed: a reference line rather than a measurement. */
  dashed?: boolean;
}

export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  series: Series[];
}

const W = 420;
const H = 300;
const M = { left: 62, right: 16, top: 34, bottom: 92 };
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (Math.abs(v) >= 1000 ? `${+(v / 1000).toPrecision(3)}k` : `${+v.toPrecision(3)}`);

/** Tick values: powers of 10 (and 2×, 5×) on a log axis, about five round steps on a linear one. */
function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
      }
    }
    return out;
  }
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 5 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + nice * 1e-9; v += nice) out.push(+v.toPrecision(12));
  return out;
}

function range(values: number[], log: boolean): [number, number] {
  const vs = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (vs.length === 0) return log ? [1, 10] : [0, 1];
  let [lo, hi] = [Math.min(...vs), Math.max(...vs)];
  if (log) return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))];
  lo = Math.min(0, lo);
  if (hi === lo) hi = lo + 1;
  return [lo, hi * 1.1];
}

function panelSvg(p: Panel, ox: number, oy: number): string {
  const xs = p.series.flatMap((s) => s.points.map((pt) => pt[0]));
  const ys = p.series.flatMap((s) => s.points.map((pt) => pt[1]));
  const [x0, x1] = range(xs, !!p.xLog);
  const [y0, y1] = range(ys, !!p.yLog);
  const f = (log: boolean, v: number, lo: number, hi: number) => (log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo));
  const px = (v: number) => ox + M.left + f(!!p.xLog, v, x0, x1) * (W - M.left - M.right);
  const py = (v: number) => oy + H - M.bottom - f(!!p.yLog, v, y0, y1) * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(`<text x="${ox + W / 2}" y="${oy + 18}" text-anchor="middle" font-weight="bold">${xml(p.title)}</text>`);
  for (const t of ticks(y0, y1, !!p.yLog)) {
    out.push(`<line x1="${ox + M.left}" x2="${ox + W - M.right}" y1="${py(t)}" y2="${py(t)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${ox + M.left - 4}" y="${py(t) + 4}" text-anchor="end" font-size="10">${fmt(t)}</text>`);
  }
  for (const t of ticks(x0, x1, !!p.xLog)) {
    out.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${oy + M.top}" y2="${oy + H - M.bottom}" stroke="#f3f4f6"/>`);
    out.push(`<text x="${px(t)}" y="${oy + H - M.bottom + 14}" text-anchor="middle" font-size="10">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${ox + M.left}" y="${oy + M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#9ca3af"/>`);
  out.push(`<text x="${ox + (W + M.left - M.right) / 2}" y="${oy + H - M.bottom + 30}" text-anchor="middle" font-size="11">${xml(p.xLabel)}</text>`);
  out.push(`<text transform="translate(${ox + 14},${oy + (H - M.bottom + M.top) / 2}) rotate(-90)" text-anchor="middle" font-size="11">${xml(p.yLabel)}</text>`);
  p.series.forEach((s, i) => {
    const color = s.dashed ? '#6b7280' : COLORS[i % COLORS.length];
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!p.xLog || x > 0) && (!p.yLog || y > 0));
    if (pts.length > 1)
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,4"' : ''} points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
      );
    if (!s.dashed) for (const [x, y] of pts) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"/>`);
    // Legend below the plot, two columns.
    const lx = ox + M.left + (i % 2) * ((W - M.left - M.right) / 2);
    const ly = oy + H - M.bottom + 46 + Math.floor(i / 2) * 14;
    out.push(`<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,4"' : ''}/>`);
    out.push(`<text x="${lx + 20}" y="${ly}" font-size="10">${xml(s.name)}</text>`);
  });
  return out.join('\n');
}

/** Panels in a grid of `columns`, as one SVG document. */
export function chartGrid(panels: Panel[], columns = 2, caption?: string): string {
  const rows = Math.ceil(panels.length / columns);
  const height = rows * H + (caption ? 24 : 0);
  const body = panels.map((p, i) => panelSvg(p, (i % columns) * W, Math.floor(i / columns) * H)).join('\n');
  const cap = caption ? `<text x="8" y="${rows * H + 16}" font-size="11" fill="#374151">${xml(caption)}</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${columns * W}" height="${height}" viewBox="0 0 ${columns * W} ${height}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n${cap}\n</svg>\n`;
}
