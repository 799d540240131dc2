/**
 * Starting the composition functions locally, as `make serve` and the
 * conformance tests do: insecure gRPC on the fixed ports of functions/catalog.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { tied } from './tied.js';
import { connect } from 'node:net';
import { join } from 'node:path';
import { FUNCTIONS, type FunctionEntry } from '../functions/catalog.js';
import { ROOT } from './tools.js';

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ port, host });
    s.once('connect', () => { s.destroy(); done(true); });
    s.once('error', () => done(false));
  });
}

// The bound is for a server that never starts; a busy 2-core machine may take long to start one (tsx compiles on load).
export async function waitForPort(port: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on localhost:${port} after ${timeoutMs} ms`);
}

/** Start one function (`--insecure`, localhost:port); resolves once it accepts connections. */
export async function startFunction(fn: FunctionEntry, port = fn.devPort, extraArgs: string[] = []): Promise<ChildProcess> {
  return startServer(join(ROOT, 'functions', fn.name, 'main.ts'), port, extraArgs);
}

/**
 * Start a function entry point (a .ts file serving with the SDK). One node
 * process with tsx's loader, so signals and /proc figures are the function's own.
 */
export async function startServer(main: string, port: number, extraArgs: string[] = []): Promise<ChildProcess> {
  // Tied to this process: a test worker killed outright leaves no function holding its port.
  const child = spawn(...tied(process.execPath, ['--import', 'tsx', main, '--insecure', '--address', `localhost:${port}`, ...extraArgs]), {
    cwd: ROOT,
    // stderr is kept for the error message; stdout (pino's logs) is not read, so not piped.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${main} exited with ${code}: ${stderr}`))),
  );
  await Promise.race([waitForPort(port), exited]);
  // From here on an exit is a normal stop, not a failure to start.
  exited.catch(() => undefined);
  return child;
}

/** Start every function whose port is free; returns the ones started here. */
export async function startAll(): Promise<ChildProcess[]> {
  const started: ChildProcess[] = [];
  for (const fn of FUNCTIONS) {
    if (!(await portOpen(fn.devPort))) started.push(await startFunction(fn));
  }
  return started;
}

/**
 * Stop functions and wait until they have exited. Functions shut down
 * gracefully, so a port stays open for a moment after SIGTERM; returning
 * earlier would let the next startAll() find the port busy and reuse a
 * server that is about to disappear.
 */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((c) =>
      c.exitCode !== null || c.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((done) => {
            c.once('exit', () => done());
            c.kill('SIGTERM');
          }),
    ),
  );
}
