/** Every generated Crossplane object validated against Crossplane's own CRDs (crossplane beta validate). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FUNCTIONS } from '../../functions/catalog.js';
import { join } from 'node:path';
import { ROOT, runTool, validate } from '../../harness/tools.js';

const files = [
  ...readdirSync(join(ROOT, 'xrds')).map((f) => `xrds/${f}`),
  ...readdirSync(join(ROOT, 'compositions')).map((f) => `compositions/${f}`),
  'install/functions.yaml',
  'install/runtime-configs.yaml',
  'install/providers.yaml',
  'examples/functions.yaml',
];

describe('generated Crossplane objects', () => {
  it(`XRDs, Compositions and Function objects (${files.length} files) are valid`, () => {
    const v = validate([join(ROOT, 'xrds'), join(ROOT, 'package/application/input')], files.map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n---\n'));
    expect(v.stdout).toMatch(/Total \d+ resources: 0 missing schemas, \d+ success cases, 0 failure cases/);
    expect(v.code).toBe(0);
  });

  it('every Composition calls a Function that install/functions.yaml installs', () => {
    const installed = [...readFileSync(join(ROOT, 'install/functions.yaml'), 'utf8').matchAll(/^ {2}name: (\S+)$/gm)].map((m) => m[1]);
    for (const f of files.filter((x) => x.startsWith('compositions/'))) {
      const ref = /functionRef:\n\s+name: (\S+)/.exec(readFileSync(join(ROOT, f), 'utf8'))![1];
      expect(installed, f).toContain(ref);
    }
  });
});

describe('function packages', () => {
  it.each(FUNCTIONS.map((f) => f.name))('package/%s builds with crossplane xpkg build (metadata and input CRDs parse)', (name) => {
    const out = join(mkdtempSync(join(tmpdir(), 'xpkg-')), `${name}.xpkg`);
    const r = runTool('crank', ['xpkg', 'build', '--package-root', join(ROOT, 'package', name), '--examples-root', join(ROOT, 'package', name, 'examples'), '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(1000);
  });

  it('a package whose metadata is not a Function is refused (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpkg-bad-'));
    writeFileSync(join(dir, 'crossplane.yaml'), readFileSync(join(ROOT, 'package/vcluster/crossplane.yaml'), 'utf8').replace(/^kind: Function$/m, 'kind: Functio'));
    const r = runTool('crank', ['xpkg', 'build', '--package-root', dir, '--examples-root', join(dir, 'examples'), '-o', join(dir, 'x.xpkg')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no kind "Functio" is registered');
  });
});
