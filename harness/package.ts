/**
 * `make image` and `make package`: one runtime image per function (the
 * Dockerfile) and one Crossplane package per function (`crossplane xpkg
 * build` of package/<fn>/ with that image embedded), tagged with the
 * registry and version of functions/lib/platform.ts, the same ones the
 * generated Function objects install.
 *
 *   tsx harness/package.ts image            build the images (needs a Docker engine)
 *   tsx harness/package.ts package [--push] build (and push) the packages (needs Docker and crank)
 *
 * Each says plainly which tool is missing instead of half-working.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS } from '../functions/catalog.js';
import { PLATFORM } from '../functions/lib/platform.js';
import { ROOT, toolPath } from './tools.js';

export function imageOf(fn: string): string {
  return `${PLATFORM.registry}/${PLATFORM.functionPrefix}-${fn}:${PLATFORM.packageVersion}`;
}

/** Why no Docker engine can be used here, or undefined when one answers. */
/**
 * `crank xpkg build` of a function's package (package/<fn> and its examples)
 * into `file`, with its runtime image embedded unless `embedImage` is false
 * (the local plane's packages: the harness serves the functions).
 */
export function xpkgBuildArgs(fn: string, file: string, embedImage = true): string[] {
  const image = embedImage ? ['--embed-runtime-image', imageOf(fn)] : [];
  return ['xpkg', 'build', '--package-root', join(ROOT, 'package', fn), '--examples-root', join(ROOT, 'package', fn, 'examples'), ...image, '-o', file];
}

export function dockerUnavailable(): string | undefined {
  const r = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (r.error) return `the docker CLI is not installed (${r.error.message})`;
  if (r.status !== 0) return `no Docker engine answers (${(r.stderr || r.stdout).trim().split('\n').pop()?.replace(/\.$/, '')})`;
  return undefined;
}

function run(cmd: string, args: string[]): void {
  console.log(`+ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function fail(message: string): never {
  console.error(`${process.argv[2]}: ${message}`);
  process.exit(2);
}

function main(command: string | undefined, flag: string | undefined): void {
  if (command !== 'image' && command !== 'package') fail('usage: tsx harness/package.ts image | package [--push]');

  const docker = dockerUnavailable();
  if (docker) fail(`building images needs a Docker engine, and ${docker}.`);

  for (const fn of FUNCTIONS) run('docker', ['build', '--build-arg', `FUNCTION=${fn.name}`, '-t', imageOf(fn.name), ROOT]);

  if (command === 'package') {
    let crank: string;
    try {
      crank = toolPath('crank');
    } catch (e) {
      fail(`building packages needs the Crossplane CLI: ${(e as Error).message}`);
    }
    const out = join(ROOT, '.build/packages');
    mkdirSync(out, { recursive: true });
    for (const fn of FUNCTIONS) {
      const file = join(out, `${PLATFORM.functionPrefix}-${fn.name}.xpkg`);
      run(crank, xpkgBuildArgs(fn.name, file));
      if (flag === '--push') run(crank, ['xpkg', 'push', '-f', file, imageOf(fn.name)]);
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv[2], process.argv[3]);
