/** Every generated Crossplane object validated against Crossplane's own CRDs (crossplane beta validate). */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, validate } from '../../tooling/tools.js';

const files = [
  ...readdirSync(join(ROOT, 'xrds')).map((f) => `xrds/${f}`),
  ...readdirSync(join(ROOT, 'compositions')).map((f) => `compositions/${f}`),
  'install/functions.yaml',
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
