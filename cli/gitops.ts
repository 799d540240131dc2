/**
 * `--out DIR`: write what `create` made into a GitOps repository checkout,
 * as a change to review and commit. OAM Applications go where the
 * application function writes them (`<gitops path>/<namespace>/<name>.yaml`,
 * from its Settings), claims under `claims/<namespace>/`. An existing
 * Application gets the new components added (never replaced: a component of
 * the same name is an error); an existing claim file is never overwritten.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { settingsOf } from '../functions/application/settings.js';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { isApplication } from './render.js';

type Components = { name: string }[];
const componentsOf = (o: KubeObject): Components => (o.spec as { components?: Components } | undefined)?.components ?? [];

export function pathOf(doc: KubeObject): string {
  const ns = doc.metadata?.namespace ?? 'default';
  const name = doc.metadata?.name ?? '';
  if (isApplication(doc)) return join(settingsOf({}).gitops.path, ns, `${name}.yaml`);
  return join('claims', ns, `${String(doc.kind).toLowerCase()}-${name}.yaml`);
}

/** Write each document; returns the paths written (relative to dir). */
export function writeToRepository(dir: string, docs: KubeObject[]): string[] {
  const written: string[] = [];
  for (const doc of docs) {
    const rel = pathOf(doc);
    const file = join(dir, rel);
    let out = doc;
    if (existsSync(file)) {
      const current = parse(readFileSync(file, 'utf8')) as KubeObject;
      if (!isApplication(doc) || !isApplication(current)) throw new Error(`${rel} exists already; not overwriting it`);
      const clash = componentsOf(doc).filter((c) => componentsOf(current).some((e) => e.name === c.name));
      if (clash.length > 0) throw new Error(`${rel} already has component ${clash.map((c) => c.name).join(', ')}; not changing it`);
      out = { ...current, spec: { ...(current.spec as object), components: [...componentsOf(current), ...componentsOf(doc)] } };
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, stringify(out));
    written.push(rel);
  }
  return written;
}
