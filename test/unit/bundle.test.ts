/**
 * The function bundles (harness/bundle.ts) are what the images run: their
 * validators are compiled at build time and kubernetes-models' schemas are
 * left out. A bundled compose must answer exactly as the source does, for
 * every example claim (valid ones in their converged state, invalid ones with
 * the same Fatal message), and the runtime image must run the same Node major
 * the project pins.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import type { ComposeFunction } from '@crossplane-org/function-sdk-typescript';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { bundle, NODE_TARGET, RUNTIME_FLAGS } from '../../harness/bundle.js';
import { ROOT } from '../../harness/tools.js';
import { convergedRequest } from '../../harness/request.js';
import { fatals, requestFor, run } from '../support/request.js';

const OUT = join(ROOT, '.build/bundle-test');

describe.each(FUNCTIONS.map((f) => f.name))('the %s bundle', (fn) => {
  let bundled: ComposeFunction;
  let source: ComposeFunction;
  beforeAll(async () => {
    const file = join(OUT, fn, 'function.mjs');
    await bundle(fn, file, 'function');
    bundled = ((await import(pathToFileURL(file).href)) as { compose: ComposeFunction }).compose;
    source = ((await import(pathToFileURL(join(ROOT, 'functions', fn, 'function.ts')).href)) as { compose: ComposeFunction }).compose;
    return () => rmSync(join(OUT, fn), { recursive: true, force: true });
  }, 120_000);

  const claims = readdirSync(join(ROOT, 'examples', fn)).filter((f) => /^claim.*\.yaml$/.test(f));
  it.each(claims)('answers %s (converged) as the source does', async (claimFile) => {
    const req = await convergedRequest(fn, source, claimFile);
    const expected = await run(source, req);
    expect(fatals(expected)).toEqual([]);
    expect(JSON.stringify(await run(bundled, req))).toBe(JSON.stringify(expected));
  });

  it('rejects invalid-claim.yaml with the same Fatal result', async () => {
    const req = requestFor(parse(readFileSync(join(ROOT, 'examples', fn, 'invalid-claim.yaml'), 'utf8')) as KubeObject);
    const expected = await run(source, req);
    expect(fatals(expected)).toHaveLength(1);
    expect(fatals(await run(bundled, req))).toEqual(fatals(expected));
  });
});

describe('the Node runtime', () => {
  const pinned = readFileSync(join(ROOT, '.node-version'), 'utf8').trim();
  const major = pinned.split('.')[0];
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('is one Node major everywhere: .node-version, engines, the bundle target, the image', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
    expect(pkg.engines.node).toBe(`>=${major}`);
    expect(pkg.devDependencies['@types/node'].split('.')[0]).toBe(major);
    expect(NODE_TARGET).toBe(`node${major}`);
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_MAJOR=${major}$`, 'm'));
    expect(dockerfile).toContain('FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian13:nonroot');
  });

  it('starts the bundle with the flags the benchmark measured', () => {
    const entrypoint = /^ENTRYPOINT (.*)$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(entrypoint!)).toEqual(['/nodejs/bin/node', ...RUNTIME_FLAGS, '/app/main.mjs']);
  });
});
