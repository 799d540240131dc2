/**
 * `make bench`: each function over real gRPC (loopback, insecure), with
 * concurrent requests, against a no-op function on the same SDK (the floor).
 * Prints throughput, p50/p99 latency and the server's peak RSS, and the
 * ratio of each function to the floor. Figures vary between runs on a shared
 * machine; compare the ratios of one run.
 *   tsx bench/run.ts [--requests N] [--concurrency C]
 */
import * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FUNCTIONS } from '../functions/catalog.js';
import { startServer } from '../tooling/servers.js';
import { functionClient, runFunction } from '../tooling/grpc.js';
import { composeOf, convergedRequest } from './requests.js';
import { ROOT } from '../tooling/tools.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' } } });
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const BASE_PORT = 9540;

/** What each function is driven with. */
export interface BenchCase {
  name: string;
  main: string;
  request: RunFunctionRequest;
}

const call = (client: grpc.Client, req: RunFunctionRequest) => runFunction(client, req);

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

interface Figures { name: string; rps: number; p50: number; p99: number; rssMiB: number; resources: number }

async function measure(c: BenchCase, port: number): Promise<Figures> {
  const server = await startServer(c.main, port);
  const client = functionClient(`localhost:${port}`);
  try {
    const first = await call(client, c.request);
    const fatal = first.results.find((r) => r.severity === 1);
    if (fatal) throw new Error(`${c.name}: ${fatal.message}`);
    for (let i = 0; i < 300; i++) await call(client, c.request); // warm-up: JIT, connection
    const latencies: number[] = [];
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < REQUESTS) {
          const t = process.hrtime.bigint();
          await call(client, c.request);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    latencies.sort((a, b) => a - b);
    return {
      name: c.name,
      rps: REQUESTS / seconds,
      p50: latencies[Math.floor(latencies.length * 0.5)],
      p99: latencies[Math.floor(latencies.length * 0.99)],
      rssMiB: peakRssMiB(server.pid!),
      resources: Object.keys(first.desired?.resources ?? {}).length,
    };
  } finally {
    client.close();
    server.kill('SIGTERM');
  }
}

const requests = Object.fromEntries(
  await Promise.all(FUNCTIONS.map(async (fn) => [fn.name, await convergedRequest(fn.name, await composeOf(fn.name))] as const)),
);
const cases: BenchCase[] = [
  { name: 'noop (floor)', main: join(ROOT, 'bench/noop.ts'), request: requests['event-driven-service'] },
  { name: 'encode realtime (floor)', main: join(ROOT, 'bench/encode-floor.ts'), request: requests['realtime-platform'] },
  ...FUNCTIONS.map((fn) => ({ name: fn.name, main: join(ROOT, 'functions', fn.name, 'main.ts'), request: requests[fn.name] })),
];

console.log(`bench: ${REQUESTS} requests, concurrency ${CONCURRENCY}, ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
const results: Figures[] = [];
for (const [i, c] of cases.entries()) results.push(await measure(c, BASE_PORT + i));
const floor = results[0];
const encodeFloor = results[1];
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`${'function'.padEnd(26)}${pad('resources', 10)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('RSS MiB', 9)}${pad('rps/noop', 10)}${pad('rps/encode', 12)}`);
for (const r of results) {
  const vsEncode = r.name === 'realtime-platform' || r === encodeFloor ? (r.rps / encodeFloor.rps).toFixed(2) : '';
  console.log(
    `${r.name.padEnd(26)}${pad(r.resources, 10)}${pad(r.rps.toFixed(0), 9)}${pad(r.p50.toFixed(2), 9)}${pad(r.p99.toFixed(2), 9)}${pad(r.rssMiB.toFixed(0), 9)}${pad((r.rps / floor.rps).toFixed(2), 10)}${pad(vsEncode, 12)}`,
  );
}
