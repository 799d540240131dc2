/**
 * Child processes that die with the process that started them, even when it
 * is killed with SIGKILL (a vitest worker stopped by its pool, a CI job
 * cancelled), where no exit handler runs: Linux's parent-death signal
 * (prctl PR_SET_PDEATHSIG), set by util-linux's `setpriv --pdeathsig KILL`
 * before it execs the command, so the PID is still the command's (setpriv(1);
 * Debian's util-linux here lists `--pdeathsig keep|clear|<signame>` in
 * `setpriv --help`). Where `setpriv` is missing, the command runs as
 * it is and the exit and signal handlers are the only cleanup.
 */
import { existsSync } from 'node:fs';

export const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

/** The command and arguments to spawn for `cmd args` tied to this process's life. */
export function tied(cmd: string, args: string[]): [string, string[]] {
  return SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', '--', cmd, ...args]] : [cmd, args];
}
