/**
 * `make up` / `make down`: the plane of `make e2e-local` left running.
 *
 * `up` starts a detached supervisor (this file, `supervise`), which starts
 * the plane with its state in .build/plane and stays alive as the parent of
 * every process (each tied to it: harness/tied.ts); `up` prints the
 * supervisor's log until the plane is ready, then how to use it, and exits.
 * `down` sends the supervisor SIGTERM (it stops its processes by PID:
 * processes.ts), waits for it, then kills anything still running from the
 * PID files the processes left in the state directory, and removes it.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../tools.js';
import { startPlane } from './plane.js';

export const PLANE_DIR = join(ROOT, '.build/plane');
const SUPERVISOR_PID = join(PLANE_DIR, 'supervisor.pid');
const SUPERVISOR_LOG = join(PLANE_DIR, 'supervisor.log');
const READY = join(PLANE_DIR, 'ready.json');
const SELF = fileURLToPath(import.meta.url);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The PID in a PID file if that process still runs the command it names (not a reused PID). */
function livePid(file: string, expect?: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const [pid, cmd] = readFileSync(file, 'utf8').trim().split(' ', 2);
  const want = expect ?? cmd;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return want && cmdline.includes(want) ? Number(pid) : undefined;
  } catch {
    return undefined;
  }
}

function usage(kubeconfig: string): string {
  const k = relative(process.cwd(), kubeconfig) || kubeconfig;
  return [
    'The plane is up: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok with fake Nodes,',
    "Crossplane with this repository's functions, XRDs and Compositions, vela-core with the definitions.",
    `  export KUBECONFIG=${k} PATH=${join(ROOT, '.build/bin')}:$PATH   # and the pinned kubectl`,
    '  kubectl get nodes',
    '  kubectl apply -f examples/oam/simple-app.yaml',
    '  kubectl get applications -A          # phase and health, by vela-core',
    '  kubectl get applicationclaims,realtimeplatformclaims,eventdrivenservices -A',
    `Logs of every process: ${relative(process.cwd(), PLANE_DIR) || PLANE_DIR}/*.log. \`make down\` stops it.`,
  ].join('\n');
}

async function up(): Promise<void> {
  if (livePid(SUPERVISOR_PID, SELF) !== undefined && existsSync(READY)) {
    process.stdout.write(`Already running.\n${usage((JSON.parse(readFileSync(READY, 'utf8')) as { kubeconfig: string }).kubeconfig)}\n`);
    return;
  }
  await down(true);
  mkdirSync(PLANE_DIR, { recursive: true });
  const fd = openSync(SUPERVISOR_LOG, 'a');
  // Detached, in its own session: it outlives `make up`, and no terminal's SIGHUP reaches it.
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, 'supervise'], { cwd: ROOT, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  let shown = 0;
  const show = () => {
    const text = readFileSync(SUPERVISOR_LOG, 'utf8');
    process.stdout.write(text.slice(shown));
    shown = text.length;
  };
  // Cold, on a busy machine, the plane can take minutes; the bound is for a hang.
  const deadline = Date.now() + 900_000;
  while (!existsSync(READY)) {
    show();
    if ((child.exitCode !== null || child.signalCode !== null) && !existsSync(READY)) {
      show();
      throw new Error(`the plane did not start (supervisor exited ${child.exitCode ?? child.signalCode}); see ${SUPERVISOR_LOG}`);
    }
    if (Date.now() > deadline) {
      await down(true);
      throw new Error(`the plane was not ready after 900 s; stopped it; see the logs in ${PLANE_DIR}`);
    }
    await sleep(500);
  }
  show();
  process.stdout.write(`${usage((JSON.parse(readFileSync(READY, 'utf8')) as { kubeconfig: string }).kubeconfig)}\n`);
}

/** The supervisor: start the plane in PLANE_DIR, then stay alive until SIGTERM (processes.ts stops the plane then). */
async function supervise(): Promise<void> {
  writeFileSync(SUPERVISOR_PID, `${process.pid} ${SELF}\n`);
  const plane = await startPlane({ state: PLANE_DIR });
  writeFileSync(READY, JSON.stringify({ kubeconfig: plane.kubeconfig, apiserver: plane.apiserverUrl, timings: plane.timings }, null, 1));
  setInterval(() => undefined, 1 << 30);
}

/** Stop a plane `up` started (quietly when there is none and `quiet`). */
async function down(quiet = false): Promise<void> {
  if (!existsSync(PLANE_DIR)) {
    if (!quiet) process.stdout.write('No plane is running (no .build/plane).\n');
    return;
  }
  const supervisor = livePid(SUPERVISOR_PID, SELF);
  if (supervisor !== undefined) {
    process.kill(supervisor, 'SIGTERM');
    // Each process gets 10 s to stop (processes.ts), one after the other.
    for (let i = 0; i < 240 && livePid(SUPERVISOR_PID, SELF) !== undefined; i++) await sleep(500);
    // Its processes die with it (setpriv --pdeathsig KILL).
    if (livePid(SUPERVISOR_PID, SELF) !== undefined) process.kill(supervisor, 'SIGKILL');
  }
  // Anything left (a supervisor killed before it could stop them and no pdeathsig here).
  const leftovers: string[] = [];
  for (const f of readdirSync(PLANE_DIR).filter((f) => f.endsWith('.pid') && f !== 'supervisor.pid')) {
    const pid = livePid(join(PLANE_DIR, f));
    if (pid === undefined) continue;
    process.kill(pid, 'SIGKILL');
    leftovers.push(`${f.replace(/\.pid$/, '')} (${pid})`);
  }
  rmSync(PLANE_DIR, { recursive: true, force: true });
  if (!quiet) process.stdout.write(`Plane stopped${supervisor ? ` (supervisor ${supervisor})` : ''}${leftovers.length ? `; killed leftovers: ${leftovers.join(', ')}` : ''}; removed ${PLANE_DIR}.\n`);
}

const command = process.argv[2] ?? 'up';
const commands: Record<string, () => Promise<void>> = { up, down: () => down(), supervise };
if (!commands[command]) {
  process.stderr.write(`usage: up.ts up|down\n`);
  process.exit(2);
}
commands[command]().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
