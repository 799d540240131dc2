/**
 * The figures of `make bench-plane` (bench/plane.ts) from its JSON: a
 * Markdown table per run and the scale plot of docs/benchmarks.md
 * (docs/benchmarks-plane.svg), all computed from the saved samples.
 *
 *   tsx bench/plane-report.ts RUN.json [LABEL=RUN.json ...] [--svg FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LevelResult, Sample } from './plane-types.js';
import type { ClaimsScale } from './claims-scale.js';
import { chartGrid, type Panel, type Series } from './svg-chart.js';

interface Run {
  label: string;
  started: string;
  first: number;
  steady: number;
  levels: LevelResult[];
  /** The realtime-platform function alone against distinct claims (bench/claims-scale.ts). */
  functionScale?: ClaimsScale[];
}

export interface LevelFigures {
  eds: number;
  realtime: number;
  appliedSeconds?: number;
  syncedEds?: number;
  syncedRealtime?: number;
  readyAtEnd: string;
  /** RunFunction calls per claim in the first window, and per minute at steady state. */
  callsFirst: Record<'eds' | 'realtime', number>;
  callsSteadyPerMin: Record<'eds' | 'realtime', number>;
  /** CPU seconds per minute at steady state, and in the first window (total seconds). */
  cpuSteady: Record<string, number>;
  cpuFirst: Record<string, number>;
  rssEnd: Record<string, number>;
  rssMax: Record<string, number>;
  etcdKeys: number;
  load: number;
}

const FN = { eds: 'event-driven-service', realtime: 'realtime-platform' } as const;

/** The last sample at or before t. */
const at = (samples: Sample[], t: number) => samples.filter((s) => s.t <= t + 1e-6).at(-1) ?? samples[0];

export function figures(level: LevelResult): LevelFigures {
  const s = level.samples;
  const [f0, f1] = level.firstWindow;
  const [s0, s1] = level.steadyWindow;
  const a = at(s, f0),
    b = at(s, f1),
    c = at(s, s0),
    d = at(s, s1);
  const minutes = (d.t - c.t) / 60;
  const calls = (x: Sample, y: Sample, fn: string) => (y.calls[fn] ?? 0) - (x.calls[fn] ?? 0);
  const per = (v: number, n: number) => (n > 0 ? v / n : NaN);
  const roles = Object.keys(d.cpuMs);
  const last = s.at(-1)!;
  return {
    eds: level.eds,
    realtime: level.realtime,
    appliedSeconds: level.appliedSeconds,
    syncedEds: level.syncedSeconds[FN.eds],
    syncedRealtime: level.syncedSeconds[FN.realtime],
    readyAtEnd: `${last.ready[FN.eds] ?? 0}/${level.eds}, ${last.ready[FN.realtime] ?? 0}/${level.realtime}`,
    callsFirst: { eds: per(calls(a, b, FN.eds), level.eds), realtime: per(calls(a, b, FN.realtime), level.realtime) },
    callsSteadyPerMin: { eds: per(calls(c, d, FN.eds), level.eds) / minutes, realtime: per(calls(c, d, FN.realtime), level.realtime) / minutes },
    cpuSteady: Object.fromEntries(roles.map((r) => [r, (d.cpuMs[r] - c.cpuMs[r]) / 1000 / minutes])),
    cpuFirst: Object.fromEntries(roles.map((r) => [r, (b.cpuMs[r] - a.cpuMs[r]) / 1000])),
    rssEnd: last.rssMiB,
    rssMax: Object.fromEntries(roles.map((r) => [r, Math.max(...s.map((x) => x.rssMiB[r] ?? 0))])),
    etcdKeys: last.etcdKeys,
    load: s.reduce((n, x) => n + x.load1, 0) / s.length,
  };
}

const n1 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(1));
const n2 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2));

/** The Markdown table of one run. */
export function table(run: Run): string {
  const rows = run.levels.map(figures);
  const fnCpu = (f: LevelFigures, fn: string) => f.cpuSteady[`function ${fn}`];
  const lines = [
    `| N EDS / M realtime | s to apply the claims | s to all Synced (EDS / realtime) | Ready at end (EDS, realtime) | calls per claim until ${run.first / 60} min after the apply (EDS / realtime) | calls per claim per min, steady (EDS / realtime) | function CPU s/min, steady (EDS / realtime) | Crossplane CPU s/min · RSS MiB | kube-apiserver CPU s/min · RSS MiB | etcd CPU s/min · RSS MiB · keys | load avg |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (f) =>
        `| ${f.eds} / ${f.realtime} | ${n1(f.appliedSeconds)} | ${n1(f.syncedEds)} / ${n1(f.syncedRealtime)} | ${f.readyAtEnd} | ${n1(f.callsFirst.eds)} / ${n1(f.callsFirst.realtime)} | ${n2(f.callsSteadyPerMin.eds)} / ${n2(f.callsSteadyPerMin.realtime)} | ` +
        `${n2(fnCpu(f, FN.eds))} / ${n2(fnCpu(f, FN.realtime))} | ${n2(f.cpuSteady.crossplane)} · ${f.rssMax.crossplane.toFixed(0)} | ${n2(f.cpuSteady['kube-apiserver'])} · ${f.rssMax['kube-apiserver'].toFixed(0)} | ` +
        `${n2(f.cpuSteady.etcd)} · ${f.rssMax.etcd.toFixed(0)} · ${f.etcdKeys} | ${f.load.toFixed(1)} |`,
    ),
  ];
  return lines.join('\n');
}

/** The function-alone table: CPU per call against distinct claims, and each ÷ the smallest count's. */
export function functionTable(run: Run): string {
  const rows = run.functionScale ?? [];
  if (rows.length === 0) return '';
  const base = rows[0].steadyMsPerCall;
  return [
    "| distinct realtime claims | CPU ms per call, first round after a restart | CPU ms per call, steady | steady ÷ the smallest count's |",
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.claims} | ${r.firstRoundMsPerCall.toFixed(1)} | ${r.steadyMsPerCall.toFixed(2)} | ${(r.steadyMsPerCall / base).toFixed(2)} |`),
  ].join('\n');
}

/** The scale plot: per run, each figure against the number of claims. */
export function plot(runs: Run[]): string {
  const claims = (f: LevelFigures) => f.eds + f.realtime;
  // Runs with plane levels draw the first four panels; the function-alone part may come alone.
  const planeRuns = runs.filter((r) => r.levels.length > 0);
  const tag = (run: Run, name: string, among: Run[]) => (among.length > 1 ? `${name} (${run.label})` : name);
  const series = (name: string, pick: (f: LevelFigures) => number | undefined): Series[] =>
    planeRuns.map((run) => ({ name: tag(run, name, planeRuns), points: run.levels.map(figures).map((f) => [claims(f), pick(f) ?? NaN] as [number, number]) }));
  const all = planeRuns.flatMap((r) => r.levels.map(figures));
  // A line through the smallest level with slope 1: linear growth.
  const linear = (pick: (f: LevelFigures) => number | undefined): Series[] => {
    const pts = all.map((f) => [claims(f), pick(f)] as const).filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]) && p[1] > 0);
    if (pts.length === 0) return [];
    const [x0, y0] = pts.reduce((m, p) => (p[0] < m[0] ? p : m));
    const xs = [...new Set(pts.map((p) => p[0]))].sort((x, y) => x - y);
    return [{ name: 'linear in claims', dashed: true, points: xs.map((x) => [x, (y0 * x) / x0]) }];
  };
  const synced = (f: LevelFigures) => Math.max(f.syncedEds ?? NaN, f.syncedRealtime ?? NaN);
  const cpuAll = (f: LevelFigures) => Object.values(f.cpuSteady).reduce((n, v) => n + v, 0);
  const panels: Panel[] = [
    {
      title: 'Seconds until every composite is Synced',
      xLabel: 'claims (N EDS + M realtime)',
      yLabel: 'seconds',
      xLog: true,
      yLog: true,
      series: [...series('EDS', (f) => f.syncedEds), ...series('realtime', (f) => f.syncedRealtime), ...linear(synced)],
    },
    {
      title: 'RunFunction calls per claim',
      xLabel: 'claims (N EDS + M realtime)',
      yLabel: 'calls per claim',
      xLog: true,
      series: [
        ...series('EDS, until 5 min after apply', (f) => f.callsFirst.eds),
        ...series('realtime, until 5 min after apply', (f) => f.callsFirst.realtime),
        ...series('EDS, per min steady', (f) => f.callsSteadyPerMin.eds),
        ...series('realtime, per min steady', (f) => f.callsSteadyPerMin.realtime),
      ],
    },
    {
      title: 'CPU seconds per minute at steady state',
      xLabel: 'claims (N EDS + M realtime)',
      yLabel: 'CPU s/min',
      xLog: true,
      yLog: true,
      series: [
        ...series('Crossplane', (f) => f.cpuSteady.crossplane),
        ...series('kube-apiserver', (f) => f.cpuSteady['kube-apiserver']),
        ...series('etcd', (f) => f.cpuSteady.etcd),
        ...series('functions (all)', (f) =>
          Object.entries(f.cpuSteady)
            .filter(([k]) => k.startsWith('function '))
            .reduce((n, [, v]) => n + v, 0),
        ),
        ...linear(cpuAll),
      ],
    },
    {
      title: 'Memory and etcd objects at the end',
      xLabel: 'claims (N EDS + M realtime)',
      yLabel: 'MiB · keys/10',
      xLog: true,
      yLog: true,
      series: [
        ...series('Crossplane RSS MiB', (f) => f.rssMax.crossplane),
        ...series('kube-apiserver RSS MiB', (f) => f.rssMax['kube-apiserver']),
        ...series('etcd RSS MiB', (f) => f.rssMax.etcd),
        ...series('etcd keys / 10', (f) => f.etcdKeys / 10),
      ],
    },
  ];
  const withFunction = runs.filter((r) => r.functionScale?.length);
  if (withFunction.length > 0) {
    panels.push({
      title: 'realtime-platform function alone: CPU per call',
      xLabel: 'distinct realtime claims served',
      yLabel: 'CPU ms per call',
      xLog: true,
      yLog: true,
      series: withFunction.flatMap((r) => [
        { name: tag(r, 'steady', withFunction), points: r.functionScale!.map((x) => [x.claims, x.steadyMsPerCall] as [number, number]) },
        { name: tag(r, 'first round after a restart', withFunction), points: r.functionScale!.map((x) => [x.claims, x.firstRoundMsPerCall] as [number, number]) },
      ]),
    });
  }
  return chartGrid(
    panels,
    2,
    `make bench-plane, ${runs.map((r) => `${r.label}${r.started ? `: ${r.started.slice(0, 16)}Z` : ''}`).join('; ')}; each level on a fresh local control plane, 2 shared cores`,
  );
}

/** A run of bench/plane.ts, or bench/claims-scale.ts's output alone (an array). */
function load(spec: string): Run {
  const [label, file] = spec.includes('=') ? spec.split('=', 2) : [basename(spec, '.json'), spec];
  const data = JSON.parse(readFileSync(file, 'utf8')) as Omit<Run, 'label'> | ClaimsScale[];
  return Array.isArray(data) ? { label, started: '', first: 0, steady: 0, levels: [], functionScale: data } : { label, ...data };
}

/** The tables of runs, and the plot written to svg. */
export function renderReport(specs: string | string[], svg = resolve(fileURLToPath(import.meta.url), '../../docs/benchmarks-plane.svg')): string {
  const runs = (Array.isArray(specs) ? specs : [specs]).map(load);
  writeFileSync(svg, plot(runs));
  return runs.map((r) => [`${r.label}${r.started ? ` (${r.started})` : ''}`, r.levels.length ? table(r) : '', functionTable(r)].filter(Boolean).join('\n\n')).join('\n\n') + `\n\nplot: ${svg}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { svg: { type: 'string' } } });
  console.log(renderReport(positionals, values.svg ? resolve(values.svg) : undefined));
}
