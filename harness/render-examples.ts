/**
 * `make render`: `crossplane render` for every example claim (with --xrd so
 * defaults apply, and again with observed resources where an example has
 * them). Starts the functions itself unless `make serve` already runs them.
 *   tsx harness/render-examples.ts [claim.yaml ...]
 */
import { basename } from 'node:path';
import { exampleClaims, renderClaim } from './render.js';
import { startAll, stopAll } from './servers.js';
import { ROOT } from './tools.js';

const requested = process.argv.slice(2);
const targets = requested.length ? requested.map((claim) => ({ claim, observed: undefined, required: undefined })) : exampleClaims();
const servers = await startAll();
let failed = 0;
try {
  for (const t of targets) {
    const label = `${t.claim.replace(ROOT + '/', '')}${t.observed ? ` (observed: ${basename(t.observed)})` : ''}`;
    console.log(`# ---- crossplane render ${label}`);
    const r = renderClaim(t.claim, { observed: t.observed, required: t.required });
    process.stdout.write(r.stdout);
    if (r.code !== 0) {
      const expected = basename(t.claim).startsWith('invalid');
      console.log(`# crossplane render exited ${r.code}${expected ? ' (expected: invalid example)' : ''}: ${r.stderr.trim()}`);
      if (!expected) failed++;
    }
  }
} finally {
  await stopAll(servers);
}
if (failed) process.exit(1);
