/**
 * `make bench`: each function as its image runs it (node + the bundle of
 * `make build`, the image's flags, a compile cache filled as the Dockerfile
 * fills it), over real gRPC (loopback, insecure), side by side in one run
 * with its floors on the same SDK, every figure printed with its ratio to its
 * floor measured in the same run:
 *  - the no-op floor: the empty SDK function, bundled and started the same
 *    way as the functions (same flags, compile cache filled by `--help`);
 *  - per function an encoding floor that answers with that function's
 *    response computed once (gRPC and protobuf encoding of the same output,
 *    no compose work).
 *
 * Figures:
 *  - cold start: spawn → first successful RunFunction, median of --starts
 *    starts (in rounds over every variant, so outside load spreads evenly),
 *    the CPU the process used until then, RSS once idle;
 *  - under load (--requests at --concurrency, after 300 warm-up calls):
 *    req/s, p50/p99 latency, CPU ms per request, GCs, GC pause and heap
 *    allocated per request (from --trace-gc), peak RSS (VmHWM);
 *  - realtime-platform under each V8 memory flag set of --memory-flags
 *    (peak RSS against CPU per request), for the DeploymentRuntimeConfig's
 *    memory request and limit (synth/runtime-config.ts).
 * The load average is printed at the start and the end: on this shared
 * machine absolute figures swing by tens of percent, ratios much less.
 *
 * `--before DIR` adds, in the same run, another checkout's bundles (built
 * with its own harness/bundle.ts; it needs its node_modules) started the
 * same way, for before/after tables.
 *
 *   tsx bench/run.ts [--requests N] [--concurrency C] [--starts S] [--before DIR] [--skip-load] [--memory-flags 'A;B C;...']
 */
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { composeOf, FUNCTIONS } from '../functions/catalog.js';
import { functionClient } from '../harness/grpc.js';
import { bundleAll, bundleFile, bundlePath, RUNTIME_FLAGS } from '../harness/bundle.js';
import { ROOT } from '../harness/tools.js';
import { convergedRequest } from '../harness/request.js';
import { call, coldStart, cpuMs, gcFigures, median, peakRssMiB, rssMiB, startProcess, type Launch } from './probe.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    starts: { type: 'string', default: '5' },
    before: { type: 'string' },
    'skip-load': { type: 'boolean', default: false },
    // V8 flag sets tried on realtime-platform under load, `;`-separated; '' is V8's defaults.
    'memory-flags': {
      type: 'string',
      default:
        ';--max-semi-space-size=4;--max-semi-space-size=2;--max-semi-space-size=1;--max-semi-space-size=4 --optimize-for-size;--max-semi-space-size=4 --single-threaded-gc;--max-semi-space-size=4 --max-old-space-size=48',
    },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const STARTS = Number(values.starts);
const BASE_PORT = 9540;
const OUT = join(ROOT, '.build/bench');
const NODE = process.execPath;
const load0 = loadavg();

interface Variant {
  name: string;
  launch: Launch;
  request: RunFunctionRequest;
  fn?: string;
}

/**
 * How the image starts a bundle: the runtime flags, and Node's compile cache
 * filled by one `--help` run (Dockerfile). A bundle whose --help fails (an
 * older checkout's) still leaves a cache when it loaded completely.
 */
function asImage(name: string, entry: string, request: RunFunctionRequest, fn?: string, flags = RUNTIME_FLAGS): Variant {
  const cache = join(OUT, 'compile-cache', name.replace(/[^a-z0-9-]+/gi, '_'));
  rmSync(cache, { recursive: true, force: true });
  const filled = spawnSync(NODE, [...flags, entry, '--help'], { env: { ...process.env, NODE_COMPILE_CACHE: cache }, encoding: 'utf8' });
  if (readdirSync(cache, { recursive: true }).length === 0) throw new Error(`${entry} --help left no compile cache (exit ${filled.status}): ${filled.stderr}`);
  return { name, fn, launch: { entry, nodeFlags: flags, env: { NODE_COMPILE_CACHE: cache } }, request };
}

// ---- what runs: the bundles, the floors, optionally another checkout's bundles
await bundleAll(join(OUT, 'dist'));
await bundleFile(join(ROOT, 'bench/noop.ts'), join(OUT, 'noop-bundled.mjs'));
// The no-op as an unbundled function: one file, the SDK loaded from node_modules.
await build({ entryPoints: [join(ROOT, 'bench/noop.ts')], outfile: join(OUT, 'noop-unbundled.mjs'), bundle: false, platform: 'node', format: 'esm', logLevel: 'warning' });

const requests = Object.fromEntries(await Promise.all(FUNCTIONS.map(async (fn) => [fn.name, await convergedRequest(fn.name, await composeOf(fn.name))] as const)));
const noopRequest = requests['event-driven-service'];
const noop = asImage('noop (floor)', join(OUT, 'noop-bundled.mjs'), noopRequest);
const noopUnbundled: Variant = { name: 'noop, unbundled, no cache', launch: { entry: join(OUT, 'noop-unbundled.mjs') }, request: noopRequest };
const functions: Variant[] = FUNCTIONS.map((fn) => asImage(fn.name, bundlePath(fn.name, join(OUT, 'dist')), requests[fn.name], fn.name));
const realtime = functions.find((v) => v.fn === 'realtime-platform')!;
// What the compile cache saves: the largest function started without it.
const withoutCache: Variant = { ...realtime, name: 'realtime-platform, no cache', launch: { ...realtime.launch, env: undefined } };
// Encoding floors run under tsx: only their steady-state cost is compared, not their start.
const encodeFloors: Variant[] = FUNCTIONS.map((fn) => ({
  name: `encode ${fn.name}`,
  fn: fn.name,
  launch: { entry: join(ROOT, 'bench/encode-floor.ts'), nodeFlags: RUNTIME_FLAGS, env: { ENCODE_FLOOR_FUNCTION: fn.name } },
  request: requests[fn.name],
}));

let before: Variant[] = [];
if (values.before) {
  const dir = resolve(values.before);
  const outDir = join(OUT, 'before-dist');
  const built = spawnSync(join(dir, 'node_modules/.bin/tsx'), ['harness/bundle.ts', '--outdir', outDir], { cwd: dir, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bundling ${dir}: ${built.stdout}${built.stderr}`);
  const rev = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  before = FUNCTIONS.map((fn) => asImage(`before (${rev}): ${fn.name}`, bundlePath(fn.name, outDir), requests[fn.name], fn.name));
  console.log(`before: ${dir} (${rev}), its bundles started the same way`);
}

console.log(
  `bench: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}; load average ${load0.map((l) => l.toFixed(1)).join(' ')}; ` +
    `${STARTS} cold starts each; ${REQUESTS} requests at concurrency ${CONCURRENCY} after 300 warm-up calls; functions and the no-op floor run as the image runs them: node ${[...RUNTIME_FLAGS, '<bundle>'].join(' ')} with a compile cache`,
);

// ---- cold start: rounds over every variant, so load from elsewhere spreads evenly
interface Start {
  ms: number[];
  cpu: number[];
  idleMiB: number;
}
const startVariants = [noop, noopUnbundled, ...functions, withoutCache, ...before];
const starts = new Map<Variant, Start>(startVariants.map((v) => [v, { ms: [], cpu: [], idleMiB: 0 }]));
for (let round = 0; round < STARTS; round++) {
  for (const [i, v] of startVariants.entries()) {
    const { ms, server } = await coldStart(v.launch, BASE_PORT + i, v.request);
    const s = starts.get(v)!;
    s.ms.push(ms);
    s.cpu.push(cpuMs(server.child.pid!));
    if (round === STARTS - 1) {
      await new Promise((r) => setTimeout(r, 1000)); // let start-up garbage be collected
      s.idleMiB = rssMiB(server.child.pid!);
    }
    await server.stop();
  }
}

// ---- under load
interface Load {
  rps: number;
  p50: number;
  p99: number;
  cpuPerReq: number;
  gcs: number;
  gcMsPerReq: number;
  allocKiBPerReq: number;
  peakMiB: number;
  resources: number;
}
async function load(v: Variant, port: number): Promise<Load> {
  const { server } = await startProcess(v.launch, port);
  const client = functionClient(`localhost:${port}`);
  try {
    const first = await call(client, v.request);
    for (let i = 0; i < 300; i++) await call(client, v.request); // warm-up: JIT, connection
    const pid = server.child.pid!;
    const gcFrom = server.gcs.length;
    const cpu0 = cpuMs(pid);
    const latencies: number[] = [];
    let next = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < REQUESTS) {
          const t = process.hrtime.bigint();
          await call(client, v.request);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = cpuMs(pid) - cpu0;
    await new Promise((r) => setTimeout(r, 100)); // the last --trace-gc lines
    const gc = gcFigures(server.gcs.slice(gcFrom), server.gcs[gcFrom - 1]);
    latencies.sort((a, b) => a - b);
    return {
      rps: REQUESTS / seconds,
      p50: latencies[Math.floor(latencies.length * 0.5)],
      p99: latencies[Math.floor(latencies.length * 0.99)],
      cpuPerReq: cpu / REQUESTS,
      gcs: gc.count,
      gcMsPerReq: gc.pauseMs / REQUESTS,
      allocKiBPerReq: (gc.allocatedMiB * 1024) / REQUESTS,
      peakMiB: peakRssMiB(pid),
      resources: Object.keys(first.desired?.resources ?? {}).length,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

// ---- tables
const pad = (s: string | number, n: number) => String(s).padStart(n);
const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '');
const ratio = (x: number, floor: number | undefined) => (floor ? f(x / floor, 2) : '');
const floorStart = starts.get(noop)!;
console.log(`\ncold start (spawn → first successful RunFunction), median of ${STARTS}; ratios to the no-op floor started the same way`);
console.log(`${'entrypoint'.padEnd(36)}${pad('ms', 7)}${pad('min-max', 12)}${pad('÷ floor', 9)}${pad('CPU ms', 8)}${pad('÷ floor', 9)}${pad('RSS idle MiB', 14)}${pad('÷ floor', 9)}`);
for (const v of startVariants) {
  const s = starts.get(v)!;
  const [ms, cpu] = [median(s.ms), median(s.cpu)];
  console.log(
    `${v.name.padEnd(36)}${pad(f(ms), 7)}${pad(`${f(Math.min(...s.ms))}-${f(Math.max(...s.ms))}`, 12)}${pad(ratio(ms, median(floorStart.ms)), 9)}` +
      `${pad(f(cpu), 8)}${pad(ratio(cpu, median(floorStart.cpu)), 9)}${pad(f(s.idleMiB), 14)}${pad(ratio(s.idleMiB, floorStart.idleMiB), 9)}`,
  );
}

if (!values['skip-load']) {
  const loadVariants = [noop, ...FUNCTIONS.flatMap((fn) => [encodeFloors.find((v) => v.fn === fn.name)!, functions.find((v) => v.fn === fn.name)!]), ...before];
  const loads = new Map<Variant, Load>();
  for (const [i, v] of loadVariants.entries()) loads.set(v, await load(v, BASE_PORT + 20 + i));
  const floor = loads.get(noop)!;
  const encOf = (v: Variant) => (v.fn && !v.name.startsWith('encode') ? loads.get(encodeFloors.find((e) => e.fn === v.fn)!) : undefined);
  console.log(`\nunder load: ${REQUESTS} requests at concurrency ${CONCURRENCY}; each figure ÷ the no-op floor (noop) and ÷ the function's own encoding floor (enc)`);
  console.log(
    `${'function'.padEnd(36)}${pad('res', 4)}${pad('req/s', 7)}${pad('÷noop', 7)}${pad('÷enc', 6)}${pad('p50', 7)}${pad('÷noop', 7)}${pad('p99', 7)}${pad('÷noop', 7)}` +
      `${pad('CPU ms/req', 11)}${pad('÷noop', 7)}${pad('÷enc', 6)}${pad('GCs', 5)}${pad('GC ms/req', 10)}${pad('alloc KiB/req', 14)}${pad('÷enc', 6)}${pad('peak MiB', 9)}${pad('÷noop', 7)}${pad('÷enc', 6)}`,
  );
  for (const v of loadVariants) {
    const r = loads.get(v)!;
    const enc = encOf(v);
    console.log(
      `${v.name.padEnd(36)}${pad(r.resources, 4)}${pad(f(r.rps), 7)}${pad(ratio(r.rps, floor.rps), 7)}${pad(ratio(r.rps, enc?.rps), 6)}` +
        `${pad(f(r.p50, 1), 7)}${pad(ratio(r.p50, floor.p50), 7)}${pad(f(r.p99, 1), 7)}${pad(ratio(r.p99, floor.p99), 7)}` +
        `${pad(f(r.cpuPerReq, 2), 11)}${pad(ratio(r.cpuPerReq, floor.cpuPerReq), 7)}${pad(ratio(r.cpuPerReq, enc?.cpuPerReq), 6)}${pad(r.gcs, 5)}${pad(f(r.gcMsPerReq, 3), 10)}` +
        `${pad(f(r.allocKiBPerReq), 14)}${pad(ratio(r.allocKiBPerReq, enc?.allocKiBPerReq), 6)}${pad(f(r.peakMiB), 9)}${pad(ratio(r.peakMiB, floor.peakMiB), 7)}${pad(ratio(r.peakMiB, enc?.peakMiB), 6)}`,
    );
  }

  // ---- V8 memory flags on the largest function (and the floor under the same flags)
  const flagSets = values['memory-flags'].split(';').map((s) => s.trim().split(/\s+/).filter(Boolean));
  const realtimeEntry = bundlePath('realtime-platform', join(OUT, 'dist'));
  const realtimeEnc = loads.get(encodeFloors.find((e) => e.fn === 'realtime-platform')!)!;
  console.log(`\nrealtime-platform under V8 memory flags (${REQUESTS} requests at concurrency ${CONCURRENCY}); the no-op floor under the same flags; CPU ÷ the encoding floor (image flags)`);
  console.log(`${'flags'.padEnd(52)}${pad('peak MiB', 9)}${pad('floor MiB', 10)}${pad('CPU ms/req', 11)}${pad('÷enc', 6)}${pad('p99', 7)}${pad('GCs', 5)}${pad('GC ms/req', 10)}`);
  for (const [i, flags] of flagSets.entries()) {
    const name = (flags.join(' ') || '(V8 defaults)').padEnd(52);
    let r: Load, fl: Load;
    try {
      r = await load(asImage(`realtime ${i}`, realtimeEntry, requests['realtime-platform'], 'realtime-platform', flags), BASE_PORT + 60 + i);
      fl = await load(asImage(`noop ${i}`, join(OUT, 'noop-bundled.mjs'), noopRequest, undefined, flags), BASE_PORT + 80 + i);
    } catch (e) {
      // A limit too small is a finding (V8 aborts with "heap out of memory"), not the end of the run.
      console.log(`${name}failed: ${(e as Error).message.split('\n').find((l) => /heap|memory|exited|fatal/i.test(l)) ?? (e as Error).message.slice(0, 200)}`);
      continue;
    }
    console.log(
      `${name}${pad(f(r.peakMiB), 9)}${pad(f(fl.peakMiB), 10)}${pad(f(r.cpuPerReq, 2), 11)}${pad(ratio(r.cpuPerReq, realtimeEnc.cpuPerReq), 6)}` +
        `${pad(f(r.p99, 1), 7)}${pad(r.gcs, 5)}${pad(f(r.gcMsPerReq, 3), 10)}`,
    );
  }
}
console.log(
  `\nload average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (at the start: ${load0.map((l) => l.toFixed(1)).join(' ')})`,
);
