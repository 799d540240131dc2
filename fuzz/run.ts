/**
 * `make fuzz`: mutated RunFunctionRequests against each function over real
 * gRPC on loopback (insecure, as `make serve`), plus raw random bytes where a
 * request should be. Per function it prints requests, crashes, non-OK statuses
 * by cause, outcomes, invalid specs not refused, Fatal messages without a
 * field, internal errors, secrets seen, p99/max latency and RSS before/after.
 * Exits 1 on any crash, invalid spec rendered, foreign kind rendered, internal
 * error, Fatal without a field or secret seen (in results, status or the
 * server's logs).
 *
 *   tsx fuzz/run.ts [--requests 100000] [--seed 13] [--concurrency 8] [--max-seconds 3600] [--only fn,fn]
 *
 * Bounded: --requests in all (split evenly across the functions) and
 * --max-seconds of wall time (a function that reaches it stops early and the
 * report says so). The functions are fuzzed in parallel, one client process
 * and one server per function, each on its own loopback port.
 */
import * as grpc from '@grpc/grpc-js';
import { FunctionRunnerServiceService, RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { functionClient, runFunction } from '../harness/grpc.js';
import { launchFunction } from '../harness/servers.js';
import { ROOT } from '../harness/tools.js';
import { mutate, prng, type Rand } from './mutate.js';
import { judge, requestSecrets, secretValues } from './oracle.js';
import { fuzzTargets, type FuzzTarget } from './targets.js';
import { FUNCTIONS } from '../functions/catalog.js';
import { rssKiB } from './proc.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '13' },
    concurrency: { type: 'string', default: '8' },
    'max-seconds': { type: 'string', default: '3600' },
    only: { type: 'string', default: '' },
    worker: { type: 'string', default: '' },
    port: { type: 'string', default: '0' },
  },
});
const SEED = Number(values.seed);
const CONCURRENCY = Number(values.concurrency);
const BASE_PORT = 9640;
/** Share of requests that are raw bytes instead of a protobuf message. */
const RAW_SHARE = 0.05;

/** A client that sends bytes as they are, for requests no encoder would produce. */
const RawClient = grpc.makeGenericClientConstructor(
  {
    runFunction: {
      ...FunctionRunnerServiceService.runFunction,
      requestSerialize: (b: Buffer) => b,
      responseDeserialize: (b: Buffer) => b,
    },
  },
  'FunctionRunnerService',
);

function rawCall(client: grpc.Client, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    (client as unknown as { runFunction: (b: Buffer, o: grpc.CallOptions, cb: (e: Error | null) => void) => void }).runFunction(bytes, { deadline: Date.now() + 30_000 }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

function randomBytes(r: Rand, valid: Uint8Array): Buffer {
  switch (Math.floor(r() * 3)) {
    case 0: // noise
      return Buffer.from(Array.from({ length: 1 + Math.floor(r() * 4096) }, () => Math.floor(r() * 256)));
    case 1: {
      // a valid request with bytes flipped
      const b = Buffer.from(valid);
      for (let i = 0; i < 1 + Math.floor(r() * 16); i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      return b;
    }
    default: // a valid request cut short
      return Buffer.from(valid.subarray(0, Math.floor(r() * valid.length)));
  }
}

/**
 * Start a function with its logs in a file (not a pipe: a server whose log
 * pipe nobody reads blocks in pino's synchronous write, and could then not
 * even be stopped).
 */
const startServer = (fn: string, port: number) => launchFunction({ entry: fn, port, host: '127.0.0.1' }, { output: 'file' });

/** Every decoded value of the examples' operator Secrets (required.yaml): none may appear in results, status or logs. */
function exampleSecrets(): string[] {
  // Only secret-looking keys (oracle.ts' secretValues): the EventDrivenService example's NATS_USER
  // is the service's own name, which its status shows by design.
  const out: string[] = [];
  for (const dir of readdirSync(join(ROOT, 'examples'))) {
    let text: string;
    try {
      text = readFileSync(join(ROOT, 'examples', dir, 'required.yaml'), 'utf8');
    } catch {
      continue;
    }
    out.push(...secretValues(parseAllDocuments(text).map((d) => d.toJSON())));
  }
  return out;
}

interface Report {
  fn: string;
  requests: number;
  crashes: number;
  statuses: Map<string, number>;
  outcomes: { rendered: number; fatal: number };
  problems: Map<string, number>;
  examples: Map<string, string>;
  latencies: number[];
  rssBefore: number;
  rssAfter: number;
  stoppedEarly: boolean;
  logSecrets: number;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

async function fuzz(t: FuzzTarget, port: number, count: number, seconds: number, known: string[]): Promise<Report> {
  const rep: Report = {
    fn: t.fn,
    requests: 0,
    crashes: 0,
    statuses: new Map(),
    outcomes: { rendered: 0, fatal: 0 },
    problems: new Map(),
    examples: new Map(),
    latencies: [],
    rssBefore: 0,
    rssAfter: 0,
    stoppedEarly: false,
    logSecrets: 0,
  };
  let server = await startServer(t.fn, port);
  let client = functionClient(`127.0.0.1:${port}`);
  let raw = new RawClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  await runFunction(client, t.bases[0]);
  rep.rssBefore = rssKiB(server.child.pid!);
  const r = prng(SEED ^ port);
  const encoded = t.bases.map((b) => RunFunctionRequest.encode(b).finish());
  // Secrets the base requests carry; mutations only take things away or add garbage.
  const baseSecrets = t.bases.map((b) => [...known, ...requestSecrets(b)]);
  const generated = new Set<string>();
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  const logs: string[] = [];

  const one = async () => {
    const i = next++;
    const base = i % t.bases.length;
    const started = process.hrtime.bigint();
    try {
      if (r() < RAW_SHARE) {
        await rawCall(raw, randomBytes(r, encoded[base]));
        bump(rep.statuses, 'OK (raw bytes accepted as a request)');
      } else {
        const m = mutate(r, t.bases[base], t);
        const rsp: RunFunctionResponse = await runFunction(client, m.req, 30_000);
        const v = judge(m, rsp, baseSecrets[base]);
        rep.outcomes[v.outcome]++;
        for (const p of v.problems) {
          bump(rep.problems, p);
          if (!rep.examples.has(p)) rep.examples.set(p, `${m.mutations.join(', ')} → ${rsp.results.map((x) => x.message.slice(0, 160)).join(' | ')}`);
        }
        if (generated.size < 2000) for (const s of secretValues(Object.values(rsp.desired?.resources ?? {}).map((x) => x?.resource))) generated.add(s);
      }
    } catch (e) {
      const err = e as grpc.ServiceError;
      bump(rep.statuses, `${grpc.status[err.code] ?? 'ERROR'}: ${String(err.details ?? err.message).slice(0, 70)}`);
    }
    rep.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    rep.requests++;
    if (rep.requests % 2500 === 0) process.stderr.write(`fuzz ${t.fn}: ${rep.requests} requests, ${rep.crashes} crashes, ${[...rep.problems.values()].reduce((a, b) => a + b, 0)} problems\n`);
    if (server.exited()) {
      // A crash: count it, keep what it logged, start again.
      rep.crashes++;
      logs.push(server.logs());
      client.close();
      raw.close();
      server = await startServer(t.fn, port);
      client = functionClient(`127.0.0.1:${port}`);
      raw = new RawClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }
  };

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        if (Date.now() > deadline) {
          rep.stoppedEarly = true;
          return;
        }
        await one();
      }
    }),
  );
  rep.rssAfter = rssKiB(server.child.pid!);
  client.close();
  raw.close();
  await server.stop();
  logs.push(server.logs());
  const text = logs.join('\n');
  for (const s of [...known, ...generated, ...t.bases.flatMap(requestSecrets)]) if (text.includes(s)) rep.logSecrets++;
  if (rep.logSecrets > 0) rep.problems.set('secret seen in logs', rep.logSecrets);
  return rep;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** A report as JSON, for the worker → parent hand-over. */
const toJson = (r: Report) => JSON.stringify({ ...r, statuses: [...r.statuses], problems: [...r.problems], examples: [...r.examples] });
const fromJson = (s: string): Report => {
  const o = JSON.parse(s) as Report & { statuses: [string, number][]; problems: [string, number][]; examples: [string, string][] };
  return { ...o, statuses: new Map(o.statuses), problems: new Map(o.problems), examples: new Map(o.examples) };
};

function print(rep: Report, seconds: number): void {
  const bad = [...rep.problems.values()].reduce((a, b) => a + b, 0) + rep.crashes;
  console.log(`\n## ${rep.fn}: ${rep.requests} requests in ${seconds.toFixed(0)} s${rep.stoppedEarly ? ' (stopped at the time bound)' : ''}`);
  console.log(`  crashes: ${rep.crashes}`);
  console.log(`  responses: ${rep.outcomes.rendered} rendered, ${rep.outcomes.fatal} Fatal`);
  console.log('  other statuses by cause:');
  for (const [k, v] of [...rep.statuses].sort((a, b) => b[1] - a[1])) console.log(`    ${v}\t${k}`);
  for (const k of ['invalid spec rendered', 'foreign kind rendered', 'internal error', 'fatal without field', 'secret seen', 'secret seen in logs']) {
    console.log(`  ${k}: ${rep.problems.get(k) ?? 0}${rep.examples.has(k) ? `  (e.g. ${rep.examples.get(k)})` : ''}`);
  }
  // The worker hands over [p99, max] (see worker()).
  console.log(`  latency: p99 ${rep.latencies[0].toFixed(1)} ms, max ${rep.latencies[1].toFixed(1)} ms`);
  console.log(`  RSS: ${(rep.rssBefore / 1024).toFixed(0)} MiB before, ${(rep.rssAfter / 1024).toFixed(0)} MiB after`);
  console.log(`  verdict: ${bad === 0 ? 'ok' : 'FAILED'}`);
}

async function worker(fn: string) {
  const [t] = await fuzzTargets([fn]);
  if (!t) throw new Error(`no function ${fn}`);
  const rep = await fuzz(t, Number(values.port), Number(values.requests), Number(values['max-seconds']), exampleSecrets());
  rep.latencies = [pct(rep.latencies, 99), pct(rep.latencies, 100)];
  process.stdout.write(`REPORT ${toJson(rep)}\n`);
}

function runWorker(fn: string, port: number, requests: number): Promise<{ rep: Report; seconds: number }> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'fuzz/run.ts'),
      '--worker',
      fn,
      '--port',
      String(port),
      '--requests',
      String(requests),
      '--seed',
      String(SEED),
      '--concurrency',
      String(CONCURRENCY),
      '--max-seconds',
      String(values['max-seconds']),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('REPORT '));
      if (!line) reject(new Error(`fuzz worker ${fn} exited ${code} without a report:\n${out.slice(-2000)}`));
      else resolve({ rep: fromJson(line.slice('REPORT '.length)), seconds: (Date.now() - t0) / 1000 });
    }),
  );
}

async function main() {
  if (values.worker) return worker(values.worker);
  const only = values.only ? values.only.split(',') : undefined;
  const fns = FUNCTIONS.map((f) => f.name).filter((fn) => !only || only.includes(fn));
  const total = Number(values.requests);
  const perFn = Math.ceil(total / fns.length);
  console.log(`fuzz: ${total} requests (${perFn} per function, in parallel), seed ${SEED}, concurrency ${CONCURRENCY} per function, at most ${values['max-seconds']} s, loopback gRPC`);
  const results = await Promise.all(fns.map((fn, i) => runWorker(fn, BASE_PORT + i, perFn)));
  for (const { rep, seconds } of results) print(rep, seconds);
  const sum = results.reduce((a, r) => a + r.rep.requests, 0);
  const failed = results.filter(({ rep }) => rep.crashes > 0 || rep.problems.size > 0).map(({ rep }) => rep.fn);
  console.log(`\nfuzz: ${sum} requests in all; ${failed.length === 0 ? 'no crash, no invalid spec rendered, no internal error, no secret seen' : `FAILED: ${failed.join(', ')}`}`);
  process.exit(failed.length === 0 ? 0 : 1);
}

await main();
