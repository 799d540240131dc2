/**
 * Builds the Dockerfile's images without Docker (harness/dockerfile.ts reads
 * it): each stage is a directory standing for its filesystem, COPY copies
 * into it, and every RUN runs as a process with the stage's working
 * directory, environment, build arguments and user, so a step that would fail
 * `docker build` fails here. The one thing not reproduced is the base images:
 * BASES says what each provides (the Node binary here is the pinned release
 * of the same major, checked by test/unit/bundle.test.ts).
 *
 * Docker's layer cache is kept where it changes nothing: a stage's steps
 * before `ARG <build arg>` do not depend on that argument (Docker reuses them
 * across builds too), so they run once and the rest runs once per value.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { dockerignore, expand, readDockerfile, splitAssignment, type Dockerfile, type Instruction, type Stage } from '../../harness/dockerfile.js';
import { SETPRIV, tied } from '../../harness/tied.js';

/** What a base image provides that the Dockerfile relies on. */
interface Base {
  /** Has /bin/sh (the shell form of RUN, CMD and ENTRYPOINT needs it). */
  shell: boolean;
  /** Files of the image the recipe names, mapped to the ones here. */
  files: Record<string, string>;
  /** PATH inside the image (directories here). */
  path: string[];
  /** The image's default user (uid). */
  user: string;
}

const NODE_DIR = dirname(process.execPath);

/**
 * The bases, by name pattern (after ARG expansion). node:<major>-trixie-slim
 * is Debian with node and npm on PATH, run as root (nodejs/docker-node
 * Dockerfile-slim.template); distroless nodejs<major>-debian13:nonroot has no
 * shell, node at /nodejs/bin/node and uid 65532 (GoogleContainerTools/
 * distroless nodejs/BUILD and README: "no shell", the nonroot tags).
 */
const BASES: [RegExp, Base][] = [
  [/^node:\d+-trixie-slim$/, { shell: true, files: {}, path: [NODE_DIR, '/usr/local/bin', '/usr/bin', '/bin'], user: '0' }],
  [/^gcr\.io\/distroless\/nodejs\d+-debian13:nonroot$/, { shell: false, files: { '/nodejs/bin/node': process.execPath }, path: [], user: '65532' }],
];

export interface RunRecord {
  instruction: Instruction;
  argv: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stage as built: its filesystem root here, and what the image keeps for run time. */
export interface BuiltStage {
  stage: Stage;
  base: Base;
  /** Directory standing for the stage's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  args: Record<string, string | undefined>;
  user: string;
  expose: string[];
  entrypoint?: Instruction;
  cmd?: Instruction;
  runs: RunRecord[];
}

function baseOf(from: string): Base {
  const found = BASES.find(([re]) => re.test(from));
  if (!found) throw new Error(`base image ${from} is not described in test/support/image.ts BASES: say what it provides`);
  return found[1];
}

/** A path inside the image, as a path here. */
export function hostPath(s: BuiltStage, p: string): string {
  return s.base.files[p] ?? join(s.root, p);
}

/**
 * The argv a RUN/CMD/ENTRYPOINT runs: the exec form with absolute paths of the
 * image mapped here, or the shell form through /bin/sh -c.
 */
export function argvOf(s: BuiltStage, ins: Instruction): string[] {
  if (ins.exec) return ins.exec.map((a) => (a.startsWith('/') && (s.base.files[a] || existsSync(join(s.root, a.split('/')[1] ?? ''))) ? hostPath(s, a) : a));
  if (!s.base.shell) throw new Error(`Dockerfile line ${ins.line}: ${ins.keyword} in the shell form needs /bin/sh, which ${s.stage.from} does not have`);
  return ['/bin/sh', '-c', ins.text];
}

/** The environment of a process in the stage: ARGs (RUN sees them) and ENV, absolute paths mapped here. */
export function envOf(s: BuiltStage, withArgs: boolean): Record<string, string> {
  // root keeps this machine's HOME, so npm finds its cache (filled by `make install` from the same lock).
  const env: Record<string, string> = { PATH: s.base.path.join(':'), HOME: s.user === '0' ? (process.env.HOME ?? '/root') : '/nonexistent' };
  if (withArgs) for (const [k, v] of Object.entries(s.args)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(s.env)) env[k] = v.startsWith('/') ? hostPath(s, v) : v;
  return env;
}

/** The command prefix that runs as the stage's user (setpriv, util-linux), or none as root. */
export function asUser(s: BuiltStage): string[] {
  if (s.user === '0' || s.user === 'root') return [];
  const [uid, gid = uid] = s.user.split(':');
  if (!SETPRIV) throw new Error(`USER ${s.user}: util-linux setpriv is needed to run as that user`);
  return [SETPRIV, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'];
}

/** Run a RUN step; asynchronous, so a test worker stays responsive during a long npm ci. */
async function run(s: BuiltStage, ins: Instruction, extraEnv: Record<string, string>): Promise<void> {
  const argv = [...asUser(s), ...argvOf(s, ins)];
  const child = spawn(...tied(argv[0], argv.slice(1)), { cwd: hostPath(s, s.workdir), env: { ...envOf(s, true), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', (c) => done(c));
  });
  s.runs.push({ instruction: ins, argv, code, stdout, stderr });
  if (code !== 0) throw new Error(`Dockerfile line ${ins.line}: RUN ${ins.text} exited ${code}:\n${stdout}${stderr}`);
}

/** A .dockerignore pattern against a context path: `*` within a name, and a directory excludes what is under it. */
function globMatches(pattern: string, path: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/\/$/, '')
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}(/.*)?$`,
  );
  return re.test(path);
}

function copy(s: BuiltStage, ins: Instruction, context: string, built: BuiltStage[], ignored: string[]): void {
  const words = ins.text.split(/\s+/).map((w) => expand(w, { ...s.args, ...s.env }));
  let from: BuiltStage | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    const m = /^--from=(.+)$/.exec(flag);
    if (!m) throw new Error(`Dockerfile line ${ins.line}: COPY ${flag} is not emulated`);
    from = built.find((b) => b.stage.name === m[1]);
    if (!from) throw new Error(`Dockerfile line ${ins.line}: no stage named ${m[1]} before it`);
  }
  const dest = words.pop()!;
  const target = posix.resolve(s.workdir, dest);
  const intoDir = dest.endsWith('/') || words.length > 1;
  for (const src of words) {
    let source: string;
    if (from) {
      source = hostPath(from, src);
    } else {
      const rel = posix.normalize(src);
      if (ignored.some((p) => globMatches(p, rel))) {
        throw new Error(`Dockerfile line ${ins.line}: COPY ${src} is excluded by .dockerignore`);
      }
      source = join(context, rel);
    }
    if (!existsSync(source)) throw new Error(`Dockerfile line ${ins.line}: COPY ${src}: no such file in ${from ? `stage ${from.stage.name}` : 'the build context'}`);
    // A directory's contents are copied, not the directory itself.
    const to = intoDir && !statSync(source).isDirectory() ? posix.join(target, posix.basename(src)) : target;
    mkdirSync(dirname(hostPath(s, to)), { recursive: true });
    cpSync(source, hostPath(s, to), { recursive: true });
  }
}

async function step(
  s: BuiltStage,
  ins: Instruction,
  context: string,
  built: BuiltStage[],
  ignored: string[],
  buildArgs: Record<string, string>,
  extraEnv: Record<string, string>,
  globalArgs: Dockerfile['globalArgs'],
): Promise<void> {
  const vars = { ...s.args, ...s.env };
  switch (ins.keyword) {
    case 'ARG': {
      const [k, v] = splitAssignment(ins.text);
      s.args[k] = buildArgs[k] ?? (v === undefined ? globalArgs[k] : expand(v, vars));
      return;
    }
    case 'ENV': {
      const [k, v] = splitAssignment(ins.text);
      s.env[k] = expand(v ?? '', vars);
      return;
    }
    case 'WORKDIR':
      s.workdir = posix.resolve(s.workdir, expand(ins.text, vars));
      mkdirSync(hostPath(s, s.workdir), { recursive: true });
      return;
    case 'USER':
      s.user = expand(ins.text, vars);
      return;
    case 'COPY':
      return copy(s, ins, context, built, ignored);
    case 'RUN':
      return run(s, ins, extraEnv);
    case 'EXPOSE':
      s.expose.push(...ins.text.split(/\s+/));
      return;
    case 'ENTRYPOINT':
      s.entrypoint = ins;
      return;
    case 'CMD':
      s.cmd = ins;
      return;
    default:
      throw new Error(`Dockerfile line ${ins.line}: ${ins.keyword} is not emulated by test/support/image.ts`);
  }
}

function newStage(stage: Stage, df: Dockerfile, buildArgs: Record<string, string>, dir: string): BuiltStage {
  const from = expand(stage.from, { ...df.globalArgs, ...buildArgs });
  const base = baseOf(from);
  const root = mkdtempSync(join(dir, `${stage.name ?? 'stage'}-`));
  // Every user of the image may traverse it; /tmp is world-writable (sticky), as in both bases.
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'tmp'), { mode: 0o1777 });
  chmodSync(join(root, 'tmp'), 0o1777);
  return { stage: { ...stage, from }, base, root, workdir: '/', env: {}, args: {}, user: base.user, expose: [], runs: [] };
}

/**
 * Build the image once per value of `perBuild` (e.g. every function):
 * the stages of the Dockerfile in order; returns the last stage of each build.
 * `extraEnv` reaches RUN steps only (e.g. npm's offline preference).
 */
export async function buildImages(context: string, perBuild: { arg: string; values: string[] }, extraEnv: Record<string, string> = {}): Promise<Map<string, BuiltStage>> {
  const df = readDockerfile(context);
  const ignored = dockerignore(context);
  const dir = mkdtempSync(join(tmpdir(), 'image-'));
  chmodSync(dir, 0o755);
  const images = new Map<string, BuiltStage>();
  // The steps of each stage before `ARG <perBuild.arg>`, shared by every build.
  const shared = new Map<Stage, BuiltStage>();
  for (const value of perBuild.values) {
    const buildArgs = { [perBuild.arg]: value };
    const built: BuiltStage[] = [];
    for (const stage of df.stages) {
      // The last stage is the image: never shared, each build has its own filesystem.
      const split = stage === df.stages.at(-1) ? -1 : stage.instructions.findIndex((i) => i.keyword === 'ARG' && splitAssignment(i.text)[0] === perBuild.arg);
      let s = split > 0 ? shared.get(stage) : undefined;
      if (!s) {
        s = newStage(stage, df, buildArgs, dir);
        for (const ins of stage.instructions.slice(0, Math.max(split, 0))) await step(s, ins, context, built, ignored, buildArgs, extraEnv, df.globalArgs);
        if (split > 0) shared.set(stage, s);
      }
      if (split > 0) s = { ...s, args: { ...s.args }, env: { ...s.env }, expose: [...s.expose], runs: [...s.runs] };
      for (const ins of stage.instructions.slice(Math.max(split, 0))) await step(s, ins, context, built, ignored, buildArgs, extraEnv, df.globalArgs);
      built.push(s);
    }
    images.set(value, built.at(-1)!);
  }
  return images;
}

/**
 * The image's ENTRYPOINT (+ CMD) with extra arguments, started with its environment as the
 * image's user, or as `user` (uid:gid) the way a pod's securityContext overrides it.
 */
export function startImage(image: BuiltStage, extraArgs: string[], extraEnv: Record<string, string> = {}, user = image.user) {
  if (!image.entrypoint) throw new Error('the image has no ENTRYPOINT');
  const argv = [...asUser({ ...image, user }), ...argvOf(image, image.entrypoint), ...(image.cmd ? argvOf(image, image.cmd) : []), ...extraArgs];
  return spawn(...tied(argv[0], argv.slice(1)), { cwd: hostPath(image, image.workdir), env: { ...envOf(image, false), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
}
