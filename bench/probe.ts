/**
 * What `make bench` reads from a function process: how long it takes from
 * spawn to its first successful RunFunction (cold start), its CPU time and
 * memory from /proc, and its garbage collections from V8's --trace-gc lines.
 * Every wait here has a timeout; nothing is asserted on time.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { functionClient, runFunction } from '../harness/grpc.js';
import { launchFunction, type FunctionLaunch } from '../harness/servers.js';

/** How a function process is started (harness/servers.ts), but for its port. */
export type Launch = Omit<FunctionLaunch, 'port'>;

/** One GC as --trace-gc prints it: heap MiB before and after (V8 prints MiB as "MB"), pause ms. */
interface GcEvent {
  before: number;
  after: number;
  pauseMs: number;
}

const GC_LINE = /: (?:Scavenge|Mark-Compact|Mark-Sweep|Minor Mark-Sweep|Mark-sweep)[^\d]*([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB,.*?([\d.]+) \/ [\d.]+ ms/;

export interface Server {
  child: ChildProcess;
  port: number;
  /** GCs seen so far (a window is a slice of it). */
  gcs: GcEvent[];
  stop(): Promise<void>;
}

/** Start a function process with --trace-gc; resolves once its port accepts connections (20 s at most). */
export async function startProcess(launch: Launch, port: number): Promise<{ server: Server; spawnedAt: bigint }> {
  const gcs: GcEvent[] = [];
  const onLine = (line: string) => {
    const m = GC_LINE.exec(line);
    if (m) gcs.push({ before: Number(m[1]), after: Number(m[2]), pauseMs: Number(m[3]) });
  };
  const p = await launchFunction({ ...launch, port, nodeFlags: ['--trace-gc', ...(launch.nodeFlags ?? [])] }, { output: onLine, timeoutMs: 20_000, pollMs: 2 });
  return { server: { child: p.child, port, gcs, stop: p.stop }, spawnedAt: p.spawnedAt };
}

export async function call(client: grpc.Client, req: RunFunctionRequest) {
  const rsp = await runFunction(client, req);
  const fatal = rsp.results.find((r) => r.severity === 1);
  if (fatal) throw new Error(`fatal result: ${fatal.message}`);
  return rsp;
}

/** Milliseconds from spawn to the first successful RunFunction, and the process, still running. */
export async function coldStart(launch: Launch, port: number, req: RunFunctionRequest): Promise<{ ms: number; server: Server }> {
  const { server, spawnedAt } = await startProcess(launch, port);
  const client = functionClient(`localhost:${port}`);
  try {
    await call(client, req);
    return { ms: Number(process.hrtime.bigint() - spawnedAt) / 1e6, server };
  } finally {
    client.close();
  }
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

/** Resident memory now and its peak (VmHWM), MiB. */
export const rssMiB = (pid: number) => procStatus(pid, 'VmRSS');
export const peakRssMiB = (pid: number) => procStatus(pid, 'VmHWM');

/** User + system CPU time of a process so far, ms (from /proc/<pid>/stat, in clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5), utime and stime; the slice starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** GC count, total pause and an estimate of bytes allocated (heap growth between GCs) over a window of GCs. */
export function gcFigures(window: GcEvent[], previous?: GcEvent): { count: number; pauseMs: number; allocatedMiB: number } {
  let allocated = 0;
  let last = previous?.after;
  for (const g of window) {
    if (last !== undefined) allocated += Math.max(0, g.before - last);
    last = g.after;
  }
  return { count: window.length, pauseMs: window.reduce((n, g) => n + g.pauseMs, 0), allocatedMiB: allocated };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
