/**
 * `make bench-plane`: how the platform's cost grows with the number of
 * claims, on the local control plane (harness/controlplane/: etcd,
 * kube-apiserver, kube-controller-manager, Crossplane core, the functions
 * served over mutual TLS). Per level (N EventDrivenServices and M realtime
 * platforms, each level on a fresh plane) it applies the claims at once and
 * records:
 *  - seconds from the apply until every composite is Synced (and Ready, which
 *    needs running pods: without simulated nodes none becomes Ready, and the
 *    count at the end says so);
 *  - RunFunction calls per claim until --first-minutes after the last claim
 *    was applied, and per minute at steady state (the --steady-minutes after
 *    both that window and the last Synced), from Crossplane's own counter
 *    function_run_function_request_total (internal/xfn/function_runner_metrics.go,
 *    v2.2.1) on its metrics port;
 *  - CPU seconds per minute and RSS of each function process, Crossplane,
 *    kube-apiserver and etcd, from /proc;
 *  - etcd's key count, etcd_debugging_mvcc_keys_total (server/storage/mvcc/
 *    metrics.go, etcd v3.6.16), served on its client URL's /metrics.
 * Then the realtime-platform function alone against the number of distinct
 * claims it serves, past what the plane holds here (bench/claims-scale.ts).
 * Every 10 s sample is kept in the JSON (bench/results/plane-*.json) that
 * bench/plane-report.ts turns into the tables and plot of docs/benchmarks.md.
 *
 *   tsx bench/plane.ts [--levels 10:1,100:10,500:50|none] [--append] [--first-minutes 5] [--steady-minutes 3] [--claims 16,64,128,256] [--out FILE]
 *
 * `--levels none` keeps the levels already in --out and only reruns the function-alone part.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { FUNCTIONS } from '../functions/catalog.js';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { PLATFORM } from '../functions/lib/platform.js';
import { apiOfClaim } from '../harness/claims.js';
import { log, startPlane, type Plane } from '../harness/controlplane/plane.js';
import { ROOT } from '../harness/tools.js';
import { cpuMs, rssMiB } from './probe.js';
import { renderReport } from './plane-report.js';
import { claimsScale, type ClaimsScale } from './claims-scale.js';
import type { LevelResult, Sample } from './plane-types.js';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '10:1,100:10,500:50' },
    'first-minutes': { type: 'string', default: '5' },
    'steady-minutes': { type: 'string', default: '3' },
    'sync-timeout-minutes': { type: 'string', default: '30' },
    claims: { type: 'string', default: '16,64,128,256' },
    // Keep the levels already in --out and add these (a level rerun after a failure).
    append: { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results', `plane-${new Date().toISOString().slice(0, 10)}.json`) },
  },
});
const LEVELS = values.levels === 'none' ? [] : values.levels.split(',').map((l) => l.split(':').map(Number) as [number, number]);
const FIRST_S = Number(values['first-minutes']) * 60;
const STEADY_S = Number(values['steady-minutes']) * 60;
const SYNC_TIMEOUT_S = Number(values['sync-timeout-minutes']) * 60;
const SAMPLE_MS = 10_000;

// ---- the processes of the plane, found in /proc among this process's descendants
type Role = 'crossplane' | 'kube-apiserver' | 'etcd' | `function ${string}`;

function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone since readdir.
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(root);
  return out;
}

function planeProcesses(): Map<Role, { pid: number; argv: string[] }> {
  const found = new Map<Role, { pid: number; argv: string[] }>();
  for (const pid of descendants(process.pid)) {
    const argv = cmdline(pid);
    const bin = argv[0]?.split('/').at(-1);
    if (bin === 'crossplane' && argv[1] === 'core' && argv[2] === 'start') found.set('crossplane', { pid, argv });
    else if (bin === 'kube-apiserver' || bin === 'etcd') found.set(bin, { pid, argv });
    else {
      const fn = FUNCTIONS.find((f) => argv.some((a) => a.endsWith(`functions/${f.name}/main.ts`)));
      if (fn) found.set(`function ${fn.name}`, { pid, argv });
    }
  }
  for (const role of ['crossplane', 'kube-apiserver', 'etcd', ...FUNCTIONS.map((f) => `function ${f.name}`)] as Role[]) {
    if (!found.has(role)) throw new Error(`no ${role} process among this process's descendants`);
  }
  return found;
}

const flag = (argv: string[], name: string) => argv[argv.indexOf(name) + 1];

/** Prometheus text: the sum of a metric's samples, grouped by one label (or all under ''). */
function metricSum(text: string, metric: string, byLabel?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const m = /^(\w+)(?:\{([^}]*)\})? ([0-9.eE+-]+)$/.exec(line);
    if (!m || m[1] !== metric) continue;
    const key = byLabel ? (new RegExp(`${byLabel}="([^"]*)"`).exec(m[2] ?? '')?.[1] ?? '') : '';
    out[key] = (out[key] ?? 0) + Number(m[3]);
  }
  return out;
}

async function scrape(url: string): Promise<string> {
  const rsp = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!rsp.ok) throw new Error(`${url}: HTTP ${rsp.status}`);
  return rsp.text();
}

// ---- claims
const example = (dir: string, file: string) => parse(readFileSync(join(ROOT, 'examples', dir, file), 'utf8')) as KubeObject;
const pad = (i: number, n: number) => String(i).padStart(String(n).length, '0');

function edsClaims(n: number): KubeObject[] {
  const base = example('event-driven-service', 'claim.yaml');
  return Array.from({ length: n }, (_, i) => ({ ...base, metadata: { name: `eds-${pad(i, n)}`, namespace: 'bench-eds' } }));
}

/** The Secret the EventDrivenServices' spec.secretName names (examples/event-driven-service/required.yaml), as the operator provides it: without it no claim is Ready. */
function edsSecret(): KubeObject {
  const secret = example('event-driven-service', 'required.yaml');
  return { ...secret, metadata: { ...secret.metadata, namespace: 'bench-eds' } };
}

/** Each realtime platform in a namespace of its own, with the operator Secrets of examples/realtime-platform/required.yaml. */
function realtimeObjects(m: number): { namespaces: string[]; secrets: KubeObject[]; claims: KubeObject[] } {
  const base = example('realtime-platform', 'claim.yaml');
  const required = parseAllDocuments(readFileSync(join(ROOT, 'examples/realtime-platform/required.yaml'), 'utf8')).map((d) => d.toJSON() as KubeObject);
  const out = { namespaces: [] as string[], secrets: [] as KubeObject[], claims: [] as KubeObject[] };
  for (let i = 0; i < m; i++) {
    const name = `rt-${pad(i, m)}`;
    const ns = `bench-${name}`;
    out.namespaces.push(ns);
    out.secrets.push(...required.map((s) => ({ ...s, metadata: { ...s.metadata, namespace: ns } })));
    out.claims.push({ ...base, metadata: { name, namespace: ns }, spec: { ...(base.spec as object), name } });
  }
  return out;
}

// ---- one level
const KINDS = { eds: 'event-driven-service', realtime: 'realtime-platform' } as const;

async function compositeStates(plane: Plane, fn: string): Promise<{ synced: number; ready: number }> {
  const api = FUNCTIONS.find((f) => f.name === fn)!.apis[0];
  const out = await plane.kubectl.ok([
    'get',
    api.xrdName,
    '-o',
    'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Synced")].status}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
  ]);
  const rows = out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
  return { synced: rows.filter((r) => r[0] === 'True').length, ready: rows.filter((r) => r[1] === 'True').length };
}

async function runLevel(n: number, m: number): Promise<LevelResult> {
  log(`bench-plane: level ${n} EventDrivenServices, ${m} realtime platforms`);
  const plane = await startPlane();
  try {
    const procs = planeProcesses();
    const crossplaneMetrics = `http://127.0.0.1:${flag(procs.get('crossplane')!.argv, '--metrics-port')}/metrics`;
    const etcdMetrics = `${flag(procs.get('etcd')!.argv, '--listen-client-urls')}/metrics`;
    const functionName = (label: string) => FUNCTIONS.find((f) => label === `${PLATFORM.functionPrefix}-${f.name}`)?.name ?? label;

    const rt = realtimeObjects(m);
    await plane.kubectl.apply(['bench-eds', ...rt.namespaces].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    await plane.kubectl.apply([...(n > 0 ? [edsSecret()] : []), ...rt.secrets]);
    const claims = [...edsClaims(n), ...rt.claims];
    for (const c of claims) apiOfClaim(c); // every claim is of a platform API

    const counts = { [KINDS.eds]: n, [KINDS.realtime]: m };
    const samples: Sample[] = [];
    const t0 = Date.now();
    const sample = async (): Promise<Sample> => {
      const [xp, etcd] = await Promise.all([scrape(crossplaneMetrics), scrape(etcdMetrics)]);
      const states = Object.fromEntries(await Promise.all(Object.values(KINDS).map(async (k) => [k, await compositeStates(plane, k)] as const)));
      const s: Sample = {
        t: (Date.now() - t0) / 1000,
        load1: loadavg()[0],
        cpuMs: Object.fromEntries([...procs].map(([role, p]) => [role, cpuMs(p.pid)])),
        rssMiB: Object.fromEntries([...procs].map(([role, p]) => [role, rssMiB(p.pid)])),
        calls: Object.fromEntries(Object.entries(metricSum(xp, 'function_run_function_request_total', 'function_name')).map(([k, v]) => [functionName(k), v])),
        etcdKeys: metricSum(etcd, 'etcd_debugging_mvcc_keys_total')[''] ?? 0,
        synced: Object.fromEntries(Object.entries(states).map(([k, v]) => [k, v.synced])),
        ready: Object.fromEntries(Object.entries(states).map(([k, v]) => [k, v.ready])),
      };
      samples.push(s);
      return s;
    };
    // Sampled every 10 s from before the apply on, also while claims are still being applied.
    const syncedSeconds: Record<string, number | undefined> = {};
    const readySeconds: Record<string, number | undefined> = {};
    let applying = true;
    let end = FIRST_S + STEADY_S;
    const sampling = (async () => {
      for (;;) {
        const s = await sample();
        for (const k of Object.values(KINDS)) {
          if (syncedSeconds[k] === undefined && s.synced[k] >= counts[k]) syncedSeconds[k] = s.t;
          if (readySeconds[k] === undefined && s.ready[k] >= counts[k]) readySeconds[k] = s.t;
        }
        const allSynced = Object.values(KINDS).every((k) => syncedSeconds[k] !== undefined);
        if (allSynced) end = Math.max(end, Math.max(...Object.values(syncedSeconds).map(Number)) + STEADY_S);
        log(`t=${s.t.toFixed(0)} s synced ${JSON.stringify(s.synced)} ready ${JSON.stringify(s.ready)} calls ${JSON.stringify(s.calls)} etcd keys ${s.etcdKeys} load ${s.load1.toFixed(1)}`);
        if (!applying && s.t >= end && (allSynced || s.t >= SYNC_TIMEOUT_S)) return;
        await new Promise((r) => setTimeout(r, Math.max(0, t0 + samples.length * SAMPLE_MS - Date.now())));
      }
    })();
    // In chunks, each with 10 minutes for kubectl (Kubectl.apply gives 120 s): with hundreds of
    // claims composing, a busy 2-core server took from 1 s to more than 9 s per claim.
    for (let i = 0; i < claims.length; i += 50) {
      const chunk = claims
        .slice(i, i + 50)
        .map((c) => stringify(c))
        .join('---\n');
      const r = await plane.kubectl.run(['apply', '--server-side', '--force-conflicts', '--field-manager', 'e2e-local', '-f', '-'], chunk, 600_000);
      if (r.code !== 0) throw new Error(`kubectl apply of claims ${i}-${i + 49}: ${r.stderr.trim()}`);
      log(`applied ${Math.min(i + 50, claims.length)} of ${claims.length} claims after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    const appliedSeconds = (Date.now() - t0) / 1000;
    end = Math.max(end, appliedSeconds + FIRST_S + STEADY_S);
    applying = false;
    await sampling;
    const last = samples.at(-1)!.t;
    // The first window ends FIRST_S after the last claim was applied (the apply itself takes minutes at 500 claims).
    return { eds: n, realtime: m, appliedSeconds, syncedSeconds, readySeconds, firstWindow: [0, appliedSeconds + FIRST_S], steadyWindow: [last - STEADY_S, last], samples };
  } finally {
    await plane.stop();
  }
}

// With --levels none, the plane's part of --out is kept as it is.
const kept =
  (LEVELS.length === 0 || values.append) && existsSync(values.out)
    ? (JSON.parse(readFileSync(values.out, 'utf8')) as { started: string; first: number; steady: number; levels: LevelResult[] })
    : undefined;
const results: LevelResult[] = kept?.levels ?? [];
const started = kept?.started ?? new Date().toISOString();
let functionScale: ClaimsScale[] = [];
const save = () =>
  writeFileSync(
    values.out,
    JSON.stringify(
      { started, machine: { cores: cpus().length, model: cpus()[0]?.model, node: process.version }, first: kept?.first ?? FIRST_S, steady: kept?.steady ?? STEADY_S, levels: results, functionScale },
      null,
      1,
    ) + '\n',
  );
for (const [n, m] of LEVELS) {
  results.push(await runLevel(n, m));
  // Saved after every level: a later level that fails keeps the earlier ones.
  save();
}
functionScale = await claimsScale(values.claims.split(',').map(Number), 4);
save();
log(`wrote ${values.out}`);
console.log(renderReport(values.out));
