/**
 * `make soak`: every function served (loopback gRPC, insecure) and driven at a
 * steady rate for N minutes with the reconcile loop Crossplane runs in the
 * steady state: each request carries, as observed state, what the previous
 * response desired. Prints each server's RSS over time (flat is the goal) and
 * how many responses differed from the first converged one (generated
 * passwords and everything else must stay the same: a thousand reconciles and
 * more, with a time budget instead of a unit test's clock).
 *
 *   tsx fuzz/soak.ts [--minutes 10] [--rate 20] [--sample-seconds 15] [--only fn,fn]
 *
 * Exits 1 when a server dies or a response changes.
 */
import type { RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { FUNCTIONS } from '../functions/catalog.js';
import { functionClient, runFunction } from '../harness/grpc.js';
import { launchFunction } from '../harness/servers.js';
import { observedFrom } from '../harness/request.js';
import { fuzzTargets } from './targets.js';
import { rssKiB } from './proc.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    'sample-seconds': { type: 'string', default: '15' },
    only: { type: 'string', default: '' },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const SAMPLE_MS = Number(values['sample-seconds']) * 1000;
const BASE_PORT = 9740;

/** The next request of the reconcile loop: the previous response's desired resources, observed. */
function nextRequest(req: RunFunctionRequest, rsp: RunFunctionResponse): RunFunctionRequest {
  const resources = Object.fromEntries(Object.entries(observedFrom(rsp)).map(([n, resource]) => [n, { resource, connectionDetails: {}, ready: 0 }]));
  return { ...req, observed: { composite: req.observed!.composite, resources } } as RunFunctionRequest;
}

interface Soak {
  fn: string;
  server: ChildProcess;
  /** [seconds since the steady state began, RSS KiB] */
  samples: [number, number][];
  calls: number;
  late: number;
  changed: number;
  errors: number;
}

async function soak(fn: string, port: number, base: RunFunctionRequest): Promise<Soak> {
  const { child: server } = await launchFunction({ entry: fn, port });
  const s: Soak = { fn, server, samples: [], calls: 0, late: 0, changed: 0, errors: 0 };
  const client = functionClient(`localhost:${port}`);
  let req = base;
  let first = '';
  // Converge: two rounds, as Crossplane would before the steady state.
  for (let i = 0; i < 3; i++) req = nextRequest(req, await runFunction(client, req, 60_000));
  const start = Date.now();
  const at = () => Math.round((Date.now() - start) / 1000);
  s.samples.push([0, rssKiB(server.pid!)]);
  const end = start + MINUTES * 60_000;
  let busy = false;
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      if (Date.now() >= end) {
        clearInterval(tick);
        clearInterval(sample);
        done();
        return;
      }
      if (busy) {
        s.late++;
        return;
      }
      busy = true;
      runFunction(client, req, 60_000)
        .then((rsp) => {
          const text = JSON.stringify(rsp.desired);
          if (!first) first = text;
          else if (text !== first) s.changed++;
          req = nextRequest(req, rsp);
        })
        .catch(() => {
          s.errors++;
        })
        .finally(() => {
          s.calls++;
          busy = false;
        });
    }, 1000 / RATE);
    const sample = setInterval(() => {
      if (server.exitCode === null) s.samples.push([at(), rssKiB(server.pid!)]);
    }, SAMPLE_MS);
  });
  s.samples.push([at(), server.exitCode === null ? rssKiB(server.pid!) : 0]);
  client.close();
  return s;
}

const only = values.only ? values.only.split(',') : undefined;
const fns = FUNCTIONS.map((f) => f.name).filter((fn) => !only || only.includes(fn));
const targets = await fuzzTargets(fns);
console.log(`soak: ${fns.join(', ')} in parallel, ${RATE} req/s each for ${MINUTES} min, RSS every ${SAMPLE_MS / 1000} s (loopback gRPC)`);
const results = await Promise.all(targets.map((t, i) => soak(t.fn, BASE_PORT + i, t.bases[t.bases.length - 1])));

const mib = (k: number) => (k / 1024).toFixed(0);
console.log('\nRSS over time (seconds: MiB)');
for (const r of results) console.log(`  ${r.fn.padEnd(22)} ${r.samples.map(([t, k]) => `${t}: ${mib(k)}`).join(', ')}`);
let failed = false;
console.log('');
for (const r of results) {
  const rss = r.samples.map(([, k]) => k);
  const [firstRss, lastRss] = [rss[0], rss[rss.length - 1]];
  const alive = r.server.exitCode === null;
  console.log(
    `${r.fn}: ${r.calls} calls (${r.late} ticks skipped while a call was in flight), ${r.errors} errors, ${r.changed} responses changed; RSS ${mib(firstRss)} → ${mib(lastRss)} MiB (max ${mib(Math.max(...rss))})${alive ? '' : '; SERVER DIED'}`,
  );
  if (!alive || r.changed > 0 || r.errors > 0) failed = true;
  r.server.kill('SIGTERM');
}
process.exit(failed ? 1 : 0);
