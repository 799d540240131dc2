/**
 * A loopback Git server for ArgoCD on the local control plane: a bare
 * repository holding this checkout's tree (the files Git tracks, as they are
 * on disk, plus untracked files that are not ignored: on a fresh clone, the
 * current commit's tree) as one commit on `main`, served read-only by
 * `git daemon` on 127.0.0.1 over git://. Tests change it the way a user
 * would: commit in a clone and push (a local push, not through the daemon).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../tools.js';
import { freePort, startProcess, type Proc, until } from './processes.js';

export const REPO_NAME = 'platform-definitions.git';

export interface GitServer {
  /** What ArgoCD clones: git://127.0.0.1:PORT/platform-definitions.git */
  url: string;
  /** The commit the server started with. */
  initial: string;
  proc: Proc;
  /** Commit what change() does in a clone (or what it commits itself), push it to main; the new HEAD's SHA. */
  commit(message: string, change: (dir: string) => void): string;
}

/** git without the machine's or the user's configuration, failing loudly. */
export function git(args: string[], cwd: string): string {
  const r = spawnSync('git', ['-c', 'user.name=e2e-local', '-c', 'user.email=e2e-local@example.org', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

/** The checkout's files as Git sees them (tracked and not deleted, untracked and not ignored). */
function checkoutFiles(): string[] {
  const listed = git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT).split('\0').filter(Boolean);
  const deleted = new Set(git(['ls-files', '-z', '--deleted'], ROOT).split('\0').filter(Boolean));
  return [...new Set(listed)].filter((f) => !deleted.has(f));
}

export async function startGit(state: string): Promise<GitServer> {
  const base = join(state, 'git');
  const bare = join(base, REPO_NAME);
  const work = join(state, 'git-work');
  rmSync(base, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const f of checkoutFiles()) {
    mkdirSync(dirname(join(work, f)), { recursive: true });
    cpSync(join(ROOT, f), join(work, f));
  }
  const head = git(['rev-parse', 'HEAD'], ROOT);
  const dirty = git(['status', '--porcelain'], ROOT) !== '';
  git(['init', '-q'], work);
  git(['add', '-A'], work);
  git(['commit', '-q', '-m', `platform-definitions at ${head}${dirty ? ' with uncommitted changes' : ''}`], work);
  mkdirSync(base, { recursive: true });
  git(['clone', '-q', '--bare', work, bare], base);
  git(['remote', 'add', 'origin', bare], work);

  const port = await freePort();
  // git-daemon itself, not `git daemon`: git runs it as a child, which would
  // outlive the tied wrapper when the suite is killed (seen). --export-all:
  // serve without a git-daemon-export-ok file; only the base path is reachable.
  const daemon = join(git(['--exec-path'], base), 'git-daemon');
  const proc = startProcess('git-daemon', daemon, ['--export-all', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, '--reuseaddr', '--informative-errors', base], { dir: state });
  const url = `git://127.0.0.1:${port}/${REPO_NAME}`;
  await Promise.race([
    proc.exited,
    until(
      `git daemon to serve ${url}`,
      async () => {
        try {
          return git(['ls-remote', url, 'refs/heads/main'], base) !== '';
        } catch {
          return false;
        }
      },
      20_000,
      200,
    ),
  ]);
  return {
    url,
    initial: git(['rev-parse', 'HEAD'], work),
    proc,
    commit(message, change) {
      change(work);
      git(['add', '-A'], work);
      // change() may have committed itself (git revert).
      if (git(['status', '--porcelain'], work) !== '') git(['commit', '-q', '-m', message], work);
      git(['push', '-q', 'origin', 'HEAD:main'], work);
      return git(['rev-parse', 'HEAD'], work);
    },
  };
}

/** Write a file of the work clone (for commit()). */
export function writeIn(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}
