/**
 * Processes the harness starts die with it, even when it is killed outright
 * (SIGKILL: no exit handler runs), so a killed test run leaves nothing
 * listening (harness/tied.ts).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT } from '../../harness/tools.js';

/** Running (a zombie waiting to be reaped by init counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe.skipIf(!existsSync('/usr/bin/setpriv') && !existsSync('/bin/setpriv'))('tied child processes', () => {
  it('a child started through tied() is gone once its parent is SIGKILLed', async () => {
    // The parent: a node process that starts `sleep` through tied() and prints its PID.
    const script = `import { tied } from './harness/tied.ts'; import { spawn } from 'node:child_process';
      const c = spawn(...tied('sleep', ['600']), { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    // The kernel signals the child as the parent dies: wait for that, 30 s at most (a generous bound on a busy machine).
    const deadline = Date.now() + 30_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const survived = alive(pid);
    if (survived) process.kill(pid, 'SIGKILL'); // not tied after all: leave nothing behind
    expect(survived, `child ${pid} still running 30 s after its parent was SIGKILLed`).toBe(false);
  }, 60_000);
});
