/**
 * The KubeVela catalog: every definition that is not a Crossplane API of
 * this repository. Each entry is written once (TypeBox parameters, CUE body,
 * what it outputs, an example) and gives the definition YAML and its
 * reference page; the conformance tests evaluate each with cue.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TObject } from '../../functions/lib/schema/types.js';
import { cueParameter } from '../../functions/lib/schema/cue.js';
import { toOpenApi } from '../../functions/lib/schema/openapi.js';
import { definitionPage } from '../docs.js';
import type { OutputFile } from '../output.js';
import { cueTemplate, definitionObject, type DefinitionKind } from './definitions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface CatalogEntry {
  name: string;
  kind: DefinitionKind;
  description: string;
  parameters: TObject;
  /** CUE parts of the template other than the parameter block. */
  body: string[];
  /** CUE packages the body uses (`strings` is added when the parameter block needs it). */
  imports?: string[];
  /** Components (and traits with outputs): how health and the status message are computed. */
  status?: { healthPolicy: string; customStatus: string };
  appliesToWorkloads?: string[];
  podDisruptive?: boolean;
  /** Reference page: what it outputs or patches, one bullet each. */
  outputs: string[];
  health?: string;
  /** An OAM Application using it (path under the repository). */
  example: string;
  notes?: string;
}

/**
 * A trait's user-facing errors: each rule adds a `_errs` entry, and KubeVela
 * fails the trait with the first string of `errs` (traitDef.Complete,
 * pkg/cue/definition/template.go in vela-core 1.10; components have no such field).
 */
export const TRAIT_ERRS = `_errs: [string]: string
errs: [for m in _errs {m}]`;

export function emitCatalogEntry(e: CatalogEntry): OutputFile[] {
  const schema = toOpenApi(e.parameters);
  const trait = e.kind === 'TraitDefinition';
  return [
    definitionObject({
      kind: e.kind,
      name: e.name,
      description: e.description,
      template: cueTemplate([...e.body, cueParameter(schema, trait ? 'errs' : 'conflict'), ...(trait ? [TRAIT_ERRS] : [])], schema, e.imports ?? []),
      status: e.status,
      appliesToWorkloads: e.appliesToWorkloads,
      podDisruptive: e.podDisruptive,
    }),
    definitionPage({
      name: e.name,
      kind: e.kind,
      description: e.description,
      parameters: schema,
      outputs: e.outputs,
      health: e.health,
      example: readFileSync(join(root, e.example), 'utf8'),
      notes: [...(e.appliesToWorkloads ? [`Applies to workloads: ${e.appliesToWorkloads.map((w) => `\`${w}\``).join(', ')}.`] : []), ...(e.notes ? [e.notes] : [])].join('\n\n') || undefined,
    }),
  ];
}
