/**
 * Rendering claims with the real Crossplane CLI (`crank render`), as
 * `make render` and the conformance tests do.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { apiFiles, claimToXr } from './claims.js';
import { ROOT, runTool, withTempDir, type RunResult } from './tools.js';

export interface RenderOptions {
  observed?: string;
  required?: string;
  /** Print the whole XR (-x), as `crossplane beta validate` needs. */
  fullXr?: boolean;
}

/** Render one claim file through crank, once; the claim's own XRD and Composition are used. */
function renderOnce(claimFile: string, opts: RenderOptions): RunResult {
  const claim = parse(readFileSync(claimFile, 'utf8')) as KubeObject;
  return withTempDir('render-', (dir) => {
    const xrFile = join(dir, 'xr.yaml');
    writeFileSync(xrFile, stringify(claimToXr(claim)));
    const files = apiFiles(claim);
    const args = ['render', xrFile, files.composition, join(ROOT, 'examples/functions.yaml'), '--xrd', files.xrd, '-r'];
    if (opts.observed) args.push('-o', opts.observed);
    if (opts.required) args.push('-e', opts.required);
    if (opts.fullXr) args.push('-x');
    return runTool('crank', args);
  });
}

const RESOURCE_NAME = 'crossplane.io/composition-resource-name';
const composedOf = (stdout: string) =>
  parseAllDocuments(stdout)
    .map((d) => d.toJSON() as KubeObject)
    .filter((o) => o?.metadata?.annotations?.[RESOURCE_NAME]);

/**
 * Render a claim as it stands once Crossplane has applied what it composes:
 * objects in a Namespace the function composes wait until that Namespace is
 * observed (functions/lib/function/namespaces.ts), so when a render composes a
 * Namespace that was not observed, it is rendered again with its own output
 * observed, as Crossplane's next reconcile would be.
 */
export function renderClaim(claimFile: string, opts: RenderOptions = {}): RunResult {
  let r = renderOnce(claimFile, opts);
  let observed = opts.observed ? composedOf(readFileSync(opts.observed, 'utf8')) : [];
  for (let round = 0; round < 3 && r.code === 0; round++) {
    const composed = composedOf(r.stdout);
    const seen = new Set(observed.filter((o) => o.kind === 'Namespace').map((o) => o.metadata!.name));
    if (!composed.some((o) => o.kind === 'Namespace' && !seen.has(o.metadata!.name))) break;
    observed = composed;
    const yaml = observed.map((o) => stringify(o)).join('---\n');
    r = withTempDir('render-observed-', (dir) => {
      const file = join(dir, 'observed.yaml');
      writeFileSync(file, yaml);
      return renderOnce(claimFile, { ...opts, observed: file });
    });
  }
  return r;
}

/**
 * Every example claim (`claim*.yaml`, `invalid*.yaml`), and once more with
 * its observed state where `observed<same suffix>.yaml` exists; with the
 * folder's `required.yaml`, if any.
 */
export function exampleClaims(): { claim: string; observed?: string; required?: string }[] {
  const out: { claim: string; observed?: string; required?: string }[] = [];
  for (const dir of readdirSync(join(ROOT, 'examples'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const base = join(ROOT, 'examples', dir.name);
    // Operator Secrets the claims reference, as `crossplane render -e` takes them.
    const required = existsSync(join(base, 'required.yaml')) ? join(base, 'required.yaml') : undefined;
    for (const f of readdirSync(base)
      .filter((n) => /^(claim|invalid).*\.yaml$/.test(n))
      .sort()) {
      out.push({ claim: join(base, f), required });
      const observed = join(base, f.replace(/^claim/, 'observed'));
      if (f.startsWith('claim') && existsSync(observed)) out.push({ claim: join(base, f), observed, required });
    }
  }
  return out;
}
