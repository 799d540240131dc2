/**
 * `make bench`: each function as its image runs it (node + the bundle of
 * `make build`), over real gRPC (loopback, insecure), side by side in one run
 * with two floors on the same SDK: a no-op function, and per function an
 * encoding floor that answers with that function's response computed once
 * (gRPC and protobuf encoding of the same output, no compose work).
 *
 * It reports, as figures and as ratios to the floors:
 *  - cold start: spawn → first successful RunFunction, median of --starts
 *    starts (and the CPU time the process spent until then), RSS once idle;
 *  - under load (--requests at --concurrency, after 300 warm-up calls):
 *    req/s, p50/p99 latency, CPU ms per request, GCs, GC pause and heap
 *    allocated per request (from --trace-gc), peak RSS (VmHWM).
 *
 * `--baseline DIR --baseline-node NODE` adds, in the same run, an older
 * checkout as its image ran it (tsc output + node_modules on its Node), for
 * before/after tables. Figures vary a lot on a shared machine: compare ratios
 * within one run, and run it twice.
 *
 *   tsx bench/run.ts [--requests N] [--concurrency C] [--starts S] [--baseline DIR --baseline-node NODE]
 */
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FUNCTIONS } from '../functions/catalog.js';
import { functionClient } from '../tooling/grpc.js';
import { bundleAll, bundleFile, bundlePath, RUNTIME_FLAGS } from '../tooling/bundle.js';
import { ROOT } from '../tooling/tools.js';
import { composeOf, convergedRequest } from './requests.js';
import { call, coldStart, cpuMs, gcFigures, median, peakRssMiB, rssMiB, startProcess, type Launch } from './probe.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '16' },
    starts: { type: 'string', default: '5' },
    baseline: { type: 'string' },
    'baseline-node': { type: 'string' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const STARTS = Number(values.starts);
const BASE_PORT = 9540;
const OUT = join(ROOT, '.tools/bench');
const NODE = process.execPath;

interface Variant { name: string; launch: Launch; request: RunFunctionRequest; fn?: string }

// ---- what runs: the bundles, the floors, optionally a baseline checkout
await bundleAll(join(OUT, 'dist'));
await bundleFile(join(ROOT, 'bench/noop.ts'), join(OUT, 'noop-bundled.mjs'));
// The no-op as an unbundled function: one file, the SDK loaded from node_modules.
await build({ entryPoints: [join(ROOT, 'bench/noop.ts')], outfile: join(OUT, 'noop-unbundled.mjs'), bundle: false, platform: 'node', format: 'esm', logLevel: 'warning' });

const requests = Object.fromEntries(
  await Promise.all(FUNCTIONS.map(async (fn) => [fn.name, await convergedRequest(fn.name, await composeOf(fn.name))] as const)),
);
const noopRequest = requests['event-driven-service'];
const noop: Variant = { name: 'noop (floor)', launch: { node: NODE, args: [join(OUT, 'noop-bundled.mjs')] }, request: noopRequest };
const noopUnbundled: Variant = { name: 'noop, unbundled', launch: { node: NODE, args: [join(OUT, 'noop-unbundled.mjs')] }, request: noopRequest };
// Each function as its image starts it: the entrypoint's flags, and the compile
// cache the Dockerfile fills by running the bundle with --help once.
const functions: Variant[] = FUNCTIONS.map((fn) => {
  const entry = bundlePath(fn.name, join(OUT, 'dist'));
  const cache = join(OUT, 'compile-cache', fn.name);
  rmSync(cache, { recursive: true, force: true });
  const filled = spawnSync(NODE, [...RUNTIME_FLAGS, entry, '--help'], { env: { ...process.env, NODE_COMPILE_CACHE: cache }, encoding: 'utf8' });
  if (filled.status !== 0) throw new Error(`${entry} --help: ${filled.stderr}`);
  return { name: fn.name, fn: fn.name, launch: { node: NODE, args: [...RUNTIME_FLAGS, entry], env: { NODE_COMPILE_CACHE: cache } }, request: requests[fn.name] };
});
// What the compile cache saves: the largest function started without it.
const realtime = functions.find((v) => v.fn === 'realtime-platform')!;
// What RUNTIME_FLAGS change: the largest function on V8's default heap sizes.
const defaultHeap: Variant = { ...realtime, name: 'realtime-platform, default heap', launch: { ...realtime.launch, args: [bundlePath('realtime-platform', join(OUT, 'dist'))] } };
const withoutCache: Variant = { ...realtime, name: 'realtime-platform, no cache', launch: { node: NODE, args: [...RUNTIME_FLAGS, bundlePath('realtime-platform', join(OUT, 'dist'))] } };
// Encoding floors run under tsx: only their steady-state cost is compared, not their start.
const encodeFloors: Variant[] = FUNCTIONS.map((fn) => ({
  name: `encode ${fn.name}`,
  fn: fn.name,
  launch: { node: NODE, args: ['--import', 'tsx', join(ROOT, 'bench/encode-floor.ts')], env: { ENCODE_FLOOR_FUNCTION: fn.name } },
  request: requests[fn.name],
}));

let baseline: Variant[] = [];
if (values.baseline) {
  const dir = resolve(values.baseline);
  const node = values['baseline-node'] ?? NODE;
  const outDir = join(dir, '.tools/bench-dist');
  const tsc = spawnSync(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: dir, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`baseline tsc: ${tsc.stdout}${tsc.stderr}`);
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  baseline = FUNCTIONS.map((fn) => ({ name: `before: ${fn.name}`, fn: fn.name, launch: { node, args: [join(outDir, 'functions', fn.name, 'main.js')] }, request: requests[fn.name] }));
  console.log(`baseline: ${dir} (${spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim()}), tsc output + node_modules on node ${version}`);
}

console.log(
  `bench: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}; ` +
    `${STARTS} cold starts each; ${REQUESTS} requests at concurrency ${CONCURRENCY} after 300 warm-up calls; functions run as the image runs them: node ${[...RUNTIME_FLAGS, '<bundle>'].join(' ')}`,
);

// ---- cold start: rounds over every variant, so load from elsewhere spreads evenly
interface Start { ms: number[]; cpu: number[]; idleMiB: number }
const startVariants = [noopUnbundled, noop, ...functions, withoutCache, ...baseline];
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
interface Load { rps: number; p50: number; p99: number; cpuPerReq: number; gcs: number; gcMsPerReq: number; allocKiBPerReq: number; peakMiB: number; resources: number }
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

const loadVariants = [noop, ...FUNCTIONS.flatMap((fn) => [encodeFloors.find((v) => v.fn === fn.name)!, functions.find((v) => v.fn === fn.name)!]), defaultHeap, ...baseline];
const loads = new Map<Variant, Load>();
for (const [i, v] of loadVariants.entries()) loads.set(v, await load(v, BASE_PORT + 20 + i));

// ---- tables
const pad = (s: string | number, n: number) => String(s).padStart(n);
const f = (x: number, d = 0) => x.toFixed(d);
const floorStart = starts.get(noopUnbundled)!;
const bundledStart = starts.get(noop)!;
console.log('\ncold start (spawn → first successful RunFunction), median of', STARTS);
console.log(`${'entrypoint'.padEnd(30)}${pad('ms', 7)}${pad('min-max', 12)}${pad('CPU ms', 8)}${pad('÷ noop', 8)}${pad('÷ noop bundled', 16)}${pad('RSS idle MiB', 14)}`);
for (const v of startVariants) {
  const s = starts.get(v)!;
  const ms = median(s.ms);
  console.log(
    `${v.name.padEnd(30)}${pad(f(ms), 7)}${pad(`${f(Math.min(...s.ms))}-${f(Math.max(...s.ms))}`, 12)}${pad(f(median(s.cpu)), 8)}` +
      `${pad(f(ms / median(floorStart.ms), 2), 8)}${pad(f(ms / median(bundledStart.ms), 2), 16)}${pad(f(s.idleMiB), 14)}`,
  );
}

const floor = loads.get(noop)!;
console.log(`\nunder load: ${REQUESTS} requests at concurrency ${CONCURRENCY}; ratios to the no-op floor and to the function's own encoding floor`);
console.log(
  `${'function'.padEnd(30)}${pad('res', 4)}${pad('req/s', 7)}${pad('p50', 7)}${pad('p99', 7)}${pad('CPU ms/req', 11)}${pad('GCs', 6)}${pad('GC ms/req', 10)}${pad('alloc KiB/req', 14)}` +
    `${pad('peak MiB', 9)}${pad('rps÷noop', 9)}${pad('cpu÷noop', 9)}${pad('rps÷enc', 8)}${pad('cpu÷enc', 8)}`,
);
for (const v of loadVariants) {
  const r = loads.get(v)!;
  const enc = v.fn && !v.name.startsWith('encode') ? loads.get(encodeFloors.find((e) => e.fn === v.fn)!) : undefined;
  console.log(
    `${v.name.padEnd(30)}${pad(r.resources, 4)}${pad(f(r.rps), 7)}${pad(f(r.p50, 1), 7)}${pad(f(r.p99, 1), 7)}${pad(f(r.cpuPerReq, 2), 11)}${pad(r.gcs, 6)}${pad(f(r.gcMsPerReq, 3), 10)}` +
      `${pad(f(r.allocKiBPerReq), 14)}${pad(f(r.peakMiB), 9)}${pad(f(r.rps / floor.rps, 2), 9)}${pad(f(r.cpuPerReq / floor.cpuPerReq, 2), 9)}` +
      `${pad(enc ? f(r.rps / enc.rps, 2) : '', 8)}${pad(enc ? f(r.cpuPerReq / enc.cpuPerReq, 2) : '', 8)}`,
  );
}
