/** A process's memory figures from /proc (Linux), for the fuzz and soak reports. */
import { readFileSync } from 'node:fs';

/** Resident set size now, in KiB. */
export function rssKiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}
