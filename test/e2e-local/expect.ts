/**
 * What a claim should compose, from the real Crossplane CLI: `crossplane
 * render` of the same claim through the same functions (insecure, on their
 * dev ports), with the same required resources. The control plane must then
 * hold exactly these objects.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { renderClaim } from '../../harness/render.js';

export interface Composed {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** crossplane.io/composition-resource-name: how Crossplane and render both identify it. */
  resource: string;
}

export interface Expected {
  /** apiVersion, kind, namespace and name of each composed object, and its composition resource name. */
  objects: Composed[];
  /** Top-level status fields the function writes on the XR (besides conditions). */
  statusFields: string[];
  /** The Fatal result's message when the function refuses the claim. */
  fatal?: string;
}

/** Render a claim; `observed` are the composed objects Crossplane would pass along (a claim that changes). */
export function render(claim: KubeObject, required?: string, observed?: KubeObject[]): Expected {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-claim-'));
  const file = join(dir, 'claim.yaml');
  writeFileSync(file, stringify(claim));
  let observedFile: string | undefined;
  if (observed?.length) {
    observedFile = join(dir, 'observed.yaml');
    writeFileSync(observedFile, observed.map((o) => stringify(o)).join('---\n'));
  }
  const r = renderClaim(file, { required, observed: observedFile });
  if (r.code !== 0) return { objects: [], statusFields: [], fatal: r.stderr.trim() };
  const docs = parseAllDocuments(r.stdout)
    .map((d) => d.toJSON() as KubeObject)
    .filter(Boolean);
  const [xr, ...rest] = docs;
  const composed = rest.filter((d) => d.metadata?.annotations?.['crossplane.io/composition-resource-name']);
  return {
    objects: composed.map((d) => ({
      apiVersion: d.apiVersion!,
      kind: d.kind!,
      namespace: d.metadata?.namespace,
      name: d.metadata!.name!,
      resource: d.metadata!.annotations!['crossplane.io/composition-resource-name'],
    })),
    statusFields: Object.keys((xr.status as object | undefined) ?? {})
      .filter((k) => k !== 'conditions')
      .sort(),
  };
}

export const describeObject = (o: { apiVersion: string; kind: string; namespace?: string; name: string }) =>
  `${o.kind}.${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : 'core'} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/**
 * A Job's name ends in a digest of its content (functions/lib/k8s/workloads.ts),
 * and its content holds generated passwords, random in every render: compare
 * Job names without the digest.
 */
export function sameName(o: { kind: string; name: string }, live: string): boolean {
  const strip = (n: string) => (o.kind === 'Job' ? n.replace(/-[0-9a-f]{8}$/, '') : n);
  return strip(o.name) === strip(live);
}
