/**
 * The real KubeVela engine against the suite's: every OAM example goes
 * through `vela dry-run --offline` (the vela CLI of vela-core v1.10.9, with
 * vela-core's built-in definitions beside ours, as on a cluster) and through
 * harness/oam.ts, and both must render, to the same objects. The suite's
 * other OAM tests rely on harness/oam.ts; this holds it to vela.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderApplication } from '../../harness/oam.js';
import { ROOT } from '../../harness/tools.js';
import { definitionsDir, dryRun } from '../../harness/vela.js';

type Obj = Record<string, unknown>;

/** What both engines decide: kind, name and content. Labels and the namespace are KubeVela's bookkeeping. */
function essence(o: Obj) {
  const rest = { ...o };
  delete rest.metadata;
  delete rest.status;
  return { ...rest, name: (o.metadata as { name?: string } | undefined)?.name };
}
const byKindAndName = (a: { kind?: unknown; name?: string }, b: { kind?: unknown; name?: string }) => `${String(a.kind)}/${a.name}`.localeCompare(`${String(b.kind)}/${b.name}`);

const EXAMPLES = readdirSync(join(ROOT, 'examples/oam')).filter((f) => f.endsWith('.yaml'));

describe('vela dry-run --offline and the suite render every OAM example alike', () => {
  let defs: string;
  beforeAll(() => {
    defs = definitionsDir();
  });

  it("covers every example: the seed's five and the PRD's", () => {
    expect(EXAMPLES).toHaveLength(10);
  });

  it.each(EXAMPLES)('%s', (f) => {
    const file = `examples/oam/${f}`;
    const app = parse(readFileSync(join(ROOT, file), 'utf8')) as { metadata: { namespace?: string } };
    const vela = dryRun(file, app.metadata.namespace ?? 'default', defs);
    expect(vela.code, vela.stderr || vela.stdout).toBe(0);
    const ours = renderApplication(file);

    const components = vela.sections.filter((s) => s.kind === 'Component');
    expect(components.map((s) => s.name)).toEqual(ours.components.map((c) => c.name));
    for (const c of ours.components) {
      const section = components.find((s) => s.name === c.name)!;
      const workload = section.objects.filter((o) => o.from === 'workload');
      expect(
        workload.map((o) => essence(o.object)),
        `${f} ${c.name}: workload`,
      ).toEqual([essence(c.output)]);
      const velaAux = section.objects
        .filter((o) => o.from !== 'workload')
        .map((o) => essence(o.object))
        .sort(byKindAndName);
      const ourAux = Object.values(c.outputs).map(essence).sort(byKindAndName);
      expect(velaAux, `${f} ${c.name}: outputs`).toEqual(ourAux);
    }

    const velaPolicies = vela.sections.filter((s) => s.kind === 'Policy').flatMap((s) => s.objects.map((o) => essence(o.object)));
    const ourPolicies = ours.policies.flatMap((p) => [...(p.output ? [p.output] : []), ...Object.values(p.outputs)]).map(essence);
    expect(velaPolicies.sort(byKindAndName), `${f}: policies`).toEqual(ourPolicies.sort(byKindAndName));
  });
});
