/**
 * The local control plane's processes: each started with its output in a log
 * file of the state directory, stopped by its PID (SIGTERM, then SIGKILL),
 * and killed by PID when this process exits or is interrupted, and by the
 * kernel when it is killed outright (harness/tied.ts), so a failed or
 * interrupted run leaves nothing listening. Each PID is also written to
 * NAME.pid in the state directory, for `make down`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tied } from '../tied.js';

export interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  /** Rejects when the process exits before stop() was called. */
  exited: Promise<never>;
  /** How it was started: fault tests start it again the same way (faults.ts). */
  launch?: { cmd: string; args: string[]; opts: StartOptions };
}

export interface StartOptions {
  dir: string;
  env?: Record<string, string>;
  cwd?: string;
}

const running = new Set<Proc>();

// A synchronous last resort: 'exit' handlers cannot wait, so SIGKILL by PID.
process.once('exit', () => {
  for (const p of running) if (p.child.pid && p.child.exitCode === null) process.kill(p.child.pid, 'SIGKILL');
});
// Stop the children, then die of the same signal. Not process.exit(): a
// vitest worker intercepts that and would stay alive with its parent gone.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    });
  });
}

/** The last lines of a log, for error messages. */
export function tail(log: string, lines = 30): string {
  try {
    return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function startProcess(name: string, cmd: string, args: string[], opts: StartOptions): Proc {
  const log = join(opts.dir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(...tied(cmd, args), { cwd: opts.cwd ?? opts.dir, env: { ...process.env, ...opts.env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  // For `make down` (state.ts): which PID runs what, should this process die without stopping it.
  if (child.pid) writeFileSync(join(opts.dir, `${name}.pid`), `${child.pid} ${cmd}\n`);
  const proc: Proc = {
    name,
    child,
    log,
    launch: { cmd, args, opts },
    exited: new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        running.delete(proc);
        reject(new Error(`${name} exited (${signal ?? code}); last lines of ${log}:\n${tail(log)}`));
      });
      child.once('error', (e) => reject(new Error(`${name} could not start: ${e.message}`)));
    }),
  };
  // Unobserved until someone waits on it; stopping is not a failure.
  proc.exited.catch(() => undefined);
  running.add(proc);
  return proc;
}

/** Stop a process started elsewhere (e.g. harness/servers.ts) with the others, also on a signal or exit. */
export function adopt(name: string, child: ChildProcess): void {
  const proc: Proc = { name, child, log: '', exited: new Promise<never>(() => undefined) };
  child.once('exit', () => running.delete(proc));
  running.add(proc);
}

/** SIGTERM by PID, SIGKILL after graceMs; resolves once it has exited. */
export function stopProcess(p: Proc, graceMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null || !p.child.pid) return Promise.resolve();
  const pid = p.child.pid;
  return new Promise<void>((done) => {
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(pid, s);
      } catch {
        // Already gone: its 'exit' event is on the way.
      }
    };
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    p.child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    signal('SIGTERM');
  });
}

/** The running process of that name (the last started), for fault tests (faults.ts). */
export function runningProcess(name: string): Proc | undefined {
  return [...running].reverse().find((p) => p.name === name);
}

/** Stop every process still running, the last started first. */
export async function stopAll(): Promise<void> {
  for (const p of [...running].reverse()) await stopProcess(p);
}

/**
 * CPU seconds and resident memory of each running process, from
 * /proc/PID/stat (utime + stime, in clock ticks of 100 Hz, the kernel's
 * USER_HZ on Linux) and /proc/PID/status (VmRSS): where a run's time went.
 */
export function usage(): { name: string; cpuSeconds: number; rssMiB: number }[] {
  const out: { name: string; cpuSeconds: number; rssMiB: number }[] = [];
  for (const p of running) {
    try {
      // Fields after the command name, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'));
      out.push({ name: p.name, cpuSeconds: ticks / 100, rssMiB: rss ? Math.round(Number(rss[1]) / 1024) : 0 });
    } catch {
      // Gone meanwhile.
    }
  }
  return out.sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}

/** A port nothing listens on now (the kernel's pick on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Poll until check() resolves true; throws with what() after timeoutMs. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Start one of the small loopback servers of tools/ (registry, redis): each is
 * given `127.0.0.1:0` and logs `listening on 127.0.0.1:PORT`; resolves with
 * that address once logged (or rejects when the process exits first).
 */
export async function startListener(name: string, cmd: string, dir: string): Promise<{ proc: Proc; address: string }> {
  const proc = startProcess(name, cmd, ['127.0.0.1:0'], { dir });
  let address = '';
  await Promise.race([
    proc.exited,
    until(
      `${name} to listen`,
      async () => {
        address = /listening on (127\.0\.0\.1:\d+)/.exec(readFileSync(proc.log, 'utf8'))?.[1] ?? '';
        return address !== '';
      },
      20_000,
      100,
    ),
  ]);
  return { proc, address };
}
