/**
 * Starting a composition function process: the one way `make serve`, `make
 * render`, the conformance tests, the benchmark, the fuzzer and the soak do it
 * (the local control plane builds its command line here too and runs it with
 * its other processes: harness/controlplane/processes.ts). One node process
 * (a .ts entry point under tsx's loader, a bundle as it is), so signals and
 * /proc figures are the function's own; tied to this process (tied.ts), so a
 * test worker or a bench killed outright leaves no function holding a port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FUNCTIONS, type FunctionEntry } from '../functions/catalog.js';
import { tied } from './tied.js';
import { ROOT } from './tools.js';

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

// The bound is for a server that never starts; a busy 2-core machine may take long to start one (tsx compiles on load).
export async function waitForPort(port: number, timeoutMs = 120_000, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`nothing listens on localhost:${port} after ${timeoutMs} ms`);
}

export interface FunctionLaunch {
  /**
   * What runs: a function of functions/catalog.ts by name (its main.ts), or
   * an entry file: a .ts file under tsx's loader, anything else (a bundle of
   * harness/bundle.ts) as it is.
   */
  entry: string;
  port: number;
  /** Host of --address. */
  host?: string;
  /** The directory of tls.crt, tls.key and ca.crt, as Crossplane mounts it: mutual TLS. Without it the function serves --insecure. */
  tlsCertsDir?: string;
  /** Node flags, before the entry (the image's runtime flags, --trace-gc). */
  nodeFlags?: string[];
  /** The function's own flags, after --address (--shutdown-grace …). */
  args?: string[];
  env?: Record<string, string>;
}

/** A function's own entry point (what its image runs, unbundled). */
export const functionMain = (name: string) => join(ROOT, 'functions', name, 'main.ts');

/** The command line of a launch: node, then its arguments. */
export function functionCommand(l: FunctionLaunch): [string, string[]] {
  const file = FUNCTIONS.some((f) => f.name === l.entry) ? functionMain(l.entry) : l.entry;
  const serving = l.tlsCertsDir ? ['--tls-server-certs-dir', l.tlsCertsDir] : ['--insecure'];
  return [process.execPath, [...(l.nodeFlags ?? []), ...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file, '--address', `${l.host ?? 'localhost'}:${l.port}`, ...serving, ...(l.args ?? [])]];
}

export interface StartOptions {
  /**
   * What is kept of its output (logs()): 'stderr' (stdout, pino's logs, is
   * dropped), 'all' (stdout and stderr, in memory), 'file' (both, through a
   * temporary file: a log pipe read too slowly would block pino's synchronous
   * write, and the server could then not even be stopped), or a function
   * given each stdout line (stderr kept).
   */
  output?: 'stderr' | 'all' | 'file' | ((line: string) => void);
  /** How long to wait for its port: a bound for a server that never starts, not a race. */
  timeoutMs?: number;
  /** How often to look at the port (the benchmark's cold start wants it often). */
  pollMs?: number;
}

export interface FunctionProcess {
  child: ChildProcess;
  port: number;
  /** process.hrtime.bigint() just before the spawn. */
  spawnedAt: bigint;
  /** What it wrote, as StartOptions.output keeps it. */
  logs(): string;
  exited(): boolean;
  /** SIGTERM; resolves once it has exited (functions finish their calls first). */
  stop(): Promise<void>;
}

/** Start a function process; resolves once its port accepts connections, rejects (saying what it wrote) when it exits first. */
export async function launchFunction(l: FunctionLaunch, o: StartOptions = {}): Promise<FunctionProcess> {
  const output = o.output ?? 'stderr';
  // Waiting for the port would take a server left over from an earlier run (other code, other certificates) for this one.
  if (await portOpen(l.port)) throw new Error(`port ${l.port} is already in use: a function left over from an earlier run?`);
  const [cmd, args] = functionCommand(l);
  let text = '';
  let logFile: string | undefined;
  let fd: number | undefined;
  if (output === 'file') {
    logFile = join(mkdtempSync(join(tmpdir(), 'function-')), 'server.log');
    fd = openSync(logFile, 'w');
  }
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(...tied(cmd, args), {
    cwd: ROOT,
    env: { ...process.env, ...l.env },
    stdio: fd !== undefined ? ['ignore', fd, fd] : ['ignore', output === 'stderr' ? 'ignore' : 'pipe', 'pipe'],
  });
  if (fd !== undefined) closeSync(fd);
  const readLog = () => (logFile ? readFileSync(logFile, 'utf8') : text);
  child.stderr?.on('data', (d) => {
    text += String(d);
  });
  if (typeof output === 'function') {
    let partial = '';
    child.stdout?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      lines.forEach(output);
    });
  } else {
    child.stdout?.on('data', (d) => {
      text += String(d);
    });
  }
  let gone = false;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => {
      // The log file goes with the process; what it held stays readable.
      if (logFile) {
        text = readLog();
        rmSync(dirname(logFile), { recursive: true, force: true });
        logFile = undefined;
      }
      gone = true;
      reject(new Error(`${args.join(' ')} exited (${signal ?? code}): ${text}`));
    }),
  );
  const fp: FunctionProcess = {
    child,
    port: l.port,
    spawnedAt,
    logs: readLog,
    exited: () => gone,
    stop: () => stopChild(child),
  };
  try {
    await Promise.race([waitForPort(l.port, o.timeoutMs, o.pollMs), exited]);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}${gone ? '' : `; it wrote: ${readLog()}`}`);
  }
  // From here on an exit is a normal stop, not a failure to start.
  exited.catch(() => undefined);
  return fp;
}

/** Start one function of the catalog (`--insecure`, localhost:port); resolves once it accepts connections. */
export async function startFunction(fn: FunctionEntry, port = fn.devPort, extraArgs: string[] = []): Promise<ChildProcess> {
  return (await launchFunction({ entry: fn.name, port, args: extraArgs })).child;
}

/** Start every function whose port is free; returns the ones started here. */
export async function startAll(): Promise<ChildProcess[]> {
  const started: ChildProcess[] = [];
  for (const fn of FUNCTIONS) {
    if (!(await portOpen(fn.devPort))) started.push(await startFunction(fn));
  }
  return started;
}

/** SIGTERM; resolves once it has exited. */
function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise<void>((done) => {
    c.once('exit', () => done());
    c.kill('SIGTERM');
  });
}

/**
 * Stop functions and wait until they have exited. Functions shut down
 * gracefully, so a port stays open for a moment after SIGTERM; returning
 * earlier would let the next startAll() find the port busy and reuse a
 * server that is about to disappear.
 */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map(stopChild));
}
