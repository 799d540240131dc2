/**
 * Faults on a running local control plane (startPlane()), for the chaos
 * tests (test/chaos/): kill, freeze and restart its processes with the
 * arguments they were started with, read how Crossplane's function calls
 * went, and roll a function out to a new package revision and back.
 *
 * What is a fault here and what it stands for in a cluster:
 * - SIGKILL of a function: its Pod killed (OOM, node lost); starting it again
 *   is the kubelet's restart.
 * - SIGSTOP of a function: a network partition as Crossplane sees it. The
 *   kernel still accepts connections on its port, nothing is answered; a
 *   call waits until Crossplane's deadline. SIGCONT ends the partition.
 * - SIGTERM and start of Crossplane or kube-apiserver: a rollout or a node
 *   drain of that component; etcd (and its data) stays.
 * - A new package version: `spec.package` of the Function changed, Crossplane
 *   makes a new FunctionRevision and deactivates the old one; the harness, as
 *   Crossplane's `External` runtime, serves the new code and writes the new
 *   revision's endpoint (crossplane.ts says why), then stops the old server,
 *   as a Deployment rollout does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FUNCTIONS, type FunctionEntry } from '../../functions/catalog.js';
import { PLATFORM } from '../../functions/lib/platform.js';
import { functionCommand, functionMain, portOpen } from '../servers.js';
import { ROOT, runTool } from '../tools.js';
import { conditionOf, connectRevisions, type ServedFunction } from './crossplane.js';
import type { Kubectl } from './kubectl.js';
import { freePort, runningProcess, startProcess, stopProcess, until, type Proc } from './processes.js';

export function processNamed(name: string): Proc {
  const p = runningProcess(name);
  if (!p?.launch) throw new Error(`no running process ${name} started by the harness`);
  return p;
}

function flag(p: Proc, name: string): string {
  const args = p.launch!.args;
  const i = args.indexOf(name);
  if (i < 0 || i + 1 >= args.length) throw new Error(`${p.name} was started without ${name}`);
  return args[i + 1];
}

export const functionProcessName = (fn: FunctionEntry) => `function-${fn.name}`;

/** The functions as the harness serves them now: process and port (from its --address). */
export function servedFunctions(): ServedFunction[] {
  return FUNCTIONS.map((fn) => {
    const proc = processNamed(functionProcessName(fn));
    return { fn, proc, port: Number(flag(proc, '--address').split(':').pop()) };
  });
}

/** The catalog's lookup, here with the other fault helpers the chaos scenarios use. */
export { functionNamed } from '../../functions/catalog.js';

const running = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** SIGKILL by PID; resolves once it has exited. */
export async function kill(p: Proc): Promise<void> {
  if (!running(p)) return;
  const exited = new Promise<void>((done) => p.child.once('exit', () => done()));
  process.kill(p.child.pid!, 'SIGKILL');
  await exited;
}

/** SIGSTOP: connections are still accepted by the kernel, nothing answers. */
export function freeze(p: Proc): void {
  process.kill(p.child.pid!, 'SIGSTOP');
}

/** SIGCONT: the frozen process answers again. */
export function thaw(p: Proc): void {
  process.kill(p.child.pid!, 'SIGCONT');
}

/** Start an exited process again, with the arguments, environment and log file it had. */
export function startAgain(p: Proc): Proc {
  if (running(p)) throw new Error(`${p.name} is still running (PID ${p.child.pid})`);
  const { cmd, args, opts } = p.launch!;
  return startProcess(p.name, cmd, args, opts);
}

/** Wait until something accepts connections on 127.0.0.1:port; fails early if the process exits. */
export async function listening(p: Proc, port: number, timeoutMs = 120_000): Promise<void> {
  await Promise.race([p.exited, until(`${p.name} to listen on port ${port}`, () => portOpen(port), timeoutMs, 200)]);
}

/** A function killed with SIGKILL and started again; resolves once it listens. */
export async function killAndRestartFunction(fn: FunctionEntry): Promise<Proc> {
  const served = servedFunctions().find((s) => s.fn === fn)!;
  await kill(served.proc);
  const again = startAgain(served.proc);
  await listening(again, served.port);
  return again;
}

/** SIGTERM (SIGKILL after graceMs) and a start with the same arguments: a component restarted. */
export async function restart(name: string, graceMs = 30_000): Promise<Proc> {
  const p = processNamed(name);
  await stopProcess(p, graceMs);
  return startAgain(p);
}

/** kube-apiserver restarted (etcd and its data stay); resolves once /readyz says ok. */
export async function restartApiServer(kubectl: Kubectl, timeoutMs = 180_000): Promise<void> {
  const p = await restart('kube-apiserver');
  await Promise.race([p.exited, until('kube-apiserver /readyz after its restart', async () => (await kubectl.run(['get', '--raw', '/readyz'], undefined, 10_000)).stdout === 'ok', timeoutMs, 500)]);
}

/** Crossplane core restarted; resolves once its health probe answers /readyz. */
export async function restartCrossplane(timeoutMs = 180_000): Promise<void> {
  const p = await restart('crossplane');
  const port = flag(p, '--health-probe-port');
  await Promise.race([p.exited, until('Crossplane /readyz after its restart', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, timeoutMs, 500)]);
}

/** Crossplane's count of function calls: sent, and answered by gRPC code. */
export interface FunctionCalls {
  requests: number;
  responses: Record<string, number>;
}

/**
 * Crossplane's own function-call metrics, per Function object name:
 * `function_run_function_request_total` (counted when a call starts) and
 * `function_run_function_response_total` by `grpc_code` (when it ends),
 * internal/xfn/function_runner_metrics.go, v2.2.1. Requests minus responses
 * are the calls in flight. Counters restart with Crossplane.
 */
export async function functionCalls(): Promise<Record<string, FunctionCalls>> {
  const port = flag(processNamed('crossplane'), '--metrics-port');
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, FunctionCalls> = {};
  for (const m of text.matchAll(/^function_run_function_(request|response)_total\{([^}]*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/gm)) {
    const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const calls = (out[labels.function_name] ??= { requests: 0, responses: {} });
    if (m[1] === 'request') calls.requests += Number(m[3]);
    else calls.responses[labels.grpc_code] = (calls.responses[labels.grpc_code] ?? 0) + Number(m[3]);
  }
  return out;
}

export const inFlight = (c: FunctionCalls | undefined) => (c ? c.requests - Object.values(c.responses).reduce((a, b) => a + b, 0) : 0);

/** Calls answered with another code than OK. */
export const failedCalls = (c: FunctionCalls | undefined) =>
  c
    ? Object.entries(c.responses)
        .filter(([code]) => code !== 'OK')
        .reduce((a, [, n]) => a + n, 0)
    : 0;

const functionObjectName = (fn: FunctionEntry) => `${PLATFORM.functionPrefix}-${fn.name}`;

/** Where the ImageConfig of startPlane() sends packages: the local registry's repository prefix. */
async function registryPrefix(kubectl: Kubectl): Promise<string> {
  const config = await kubectl.get<{ spec: { rewriteImage: { prefix: string } } }>(['imageconfigs.pkg.crossplane.io', 'e2e-local-registry']);
  if (!config) throw new Error('ImageConfig e2e-local-registry is missing (startPlane() makes it)');
  return config.spec.rewriteImage.prefix;
}

/**
 * Build and push the function's package under a new tag. Its metadata gets
 * an annotation naming the tag, so the package (and its digest, from which
 * Crossplane names the FunctionRevision) differs from the released one.
 */
export async function pushPackageVersion(kubectl: Kubectl, state: string, fn: FunctionEntry, tag: string): Promise<void> {
  const root = mkdtempSync(join(state, `package-${fn.name}-`));
  try {
    const meta = parse(readFileSync(join(ROOT, 'package', fn.name, 'crossplane.yaml'), 'utf8')) as { metadata: { annotations?: Record<string, string> } };
    meta.metadata.annotations = { ...meta.metadata.annotations, [`${PLATFORM.group}/chaos-version`]: tag };
    writeFileSync(join(root, 'crossplane.yaml'), stringify(meta));
    const file = join(state, `${fn.name}-${tag}.xpkg`);
    // As crossplane.ts's pushPackages builds the released one (metadata only).
    const built = runTool('crank', ['xpkg', 'build', '--package-root', root, '--examples-root', join(root, 'examples'), '-o', file]);
    if (built.code !== 0) throw new Error(`crossplane xpkg build ${fn.name}:${tag}: ${built.stderr}`);
    const pushed = runTool('crank', ['xpkg', 'push', '-f', file, `${await registryPrefix(kubectl)}/${functionObjectName(fn)}:${tag}`]);
    if (pushed.code !== 0) throw new Error(`crossplane xpkg push ${fn.name}:${tag}: ${pushed.stderr}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

interface RevisionObject {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { desiredState: string; image?: string };
  status?: { endpoint?: string; conditions?: { type: string; status: string }[] };
}

/**
 * Point the Function at another package tag and serve `main` for it: the
 * new revision becomes the active one, the harness starts the new server
 * (same TLS certificates, a new port), writes the endpoint into the
 * revision's status, waits for the Function to be Healthy, then stops the
 * old server. Used for an upgrade and for the rollback (tag and main of the
 * release). Resolves with the new server.
 */
export async function rollOut(kubectl: Kubectl, fn: FunctionEntry, to: { tag: string; main: string; env?: Record<string, string> }, timeoutMs = 300_000): Promise<Proc> {
  const name = functionObjectName(fn);
  const current = servedFunctions();
  const old = current.find((s) => s.fn === fn)!;
  const reference = `${PLATFORM.registry}/${name}:${to.tag}`;
  await kubectl.ok(['patch', 'functions.pkg.crossplane.io', name, '--type=merge', '-p', JSON.stringify({ spec: { package: reference } })]);
  let revisions = '';
  await until(
    `the FunctionRevision of ${reference} to be the only active one of ${name}`,
    async () => {
      const all = (await kubectl.list<RevisionObject>(['functionrevisions.pkg.crossplane.io'])).filter((r) => r.metadata.labels?.['pkg.crossplane.io/package'] === name);
      revisions = all.map((r) => `${r.metadata.name} ${r.spec.image} ${r.spec.desiredState}`).join('; ');
      const active = all.filter((r) => r.spec.desiredState === 'Active');
      return active.length === 1 && active[0].spec.image?.endsWith(`:${to.tag}`) === true;
    },
    timeoutMs,
    1_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message} (revisions: ${revisions})`);
  });

  const port = await freePort();
  const { opts } = old.proc.launch!;
  const next = startProcess(old.proc.name, ...functionCommand({ entry: to.main, port, tlsCertsDir: flag(old.proc, '--tls-server-certs-dir') }), {
    ...opts,
    env: { ...opts.env, ...to.env },
  });
  await listening(next, port);
  await connectRevisions(
    kubectl,
    current.map((s) => (s.fn === fn ? { fn, port, proc: next } : s)),
    timeoutMs,
  );
  await until(`${name} to be Healthy on its new revision`, async () => conditionOf(await kubectl.get(['functions.pkg.crossplane.io', name]), 'Healthy')?.status === 'True', timeoutMs, 1_000);
  await stopProcess(old.proc);
  return next;
}

/** The function's own entry point (what the released package runs). */
export const releasedMain = (fn: FunctionEntry) => functionMain(fn.name);
