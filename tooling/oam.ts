/**
 * An OAM Application evaluated the way KubeVela evaluates it, as far as CUE
 * goes: each component's template with its properties and context, each
 * trait's template with the component's output in `context.output`, and each
 * policy. Patches are returned, not applied (KubeVela's merge is not CUE).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cueExport, loadDefinition, vcontext, type DefinitionCue } from './cue.js';
import { ROOT } from './tools.js';

const FOLDERS = { component: 'components', trait: 'traits', policy: 'policies' } as const;

export function definition(kind: keyof typeof FOLDERS, type: string): DefinitionCue {
  const path = join(ROOT, 'definitions', FOLDERS[kind], `${type}.yaml`);
  if (!existsSync(path)) throw new Error(`no ${kind} definition ${type} in definitions/${FOLDERS[kind]}`);
  return loadDefinition(path);
}

type Obj = Record<string, unknown>;
export interface Rendered {
  output?: Obj;
  outputs: Record<string, Obj>;
  patch?: Obj;
}

/** Evaluate a template with parameters and a context (plus, for traits, the component's output). */
export function evaluate(def: DefinitionCue, parameter: unknown, context: string, output?: unknown): Rendered {
  const ctx = output === undefined ? context : `${context}\ncontext: output: ${JSON.stringify(output)}`;
  const r = cueExport([def.template, ctx, `parameter: ${JSON.stringify(parameter ?? {})}`], '');
  if (!r.ok) throw new Error(r.error);
  const v = r.value as { output?: Obj; outputs?: Record<string, Obj>; patch?: Obj };
  return { output: v.output, outputs: v.outputs ?? {}, patch: v.patch };
}

export interface AppFile {
  metadata: { name: string; namespace?: string };
  spec: {
    components: { name: string; type: string; properties?: Obj; traits?: { type: string; properties?: Obj }[] }[];
    policies?: { name: string; type: string; properties?: Obj }[];
  };
}

/** Built-in KubeVela policies this repository uses as they are. */
const BUILT_IN_POLICIES = new Set(['override', 'topology', 'apply-once', 'garbage-collect', 'shared-resource', 'take-over', 'read-only']);

export function renderApplication(file: string) {
  return renderApplicationObject(parse(readFileSync(join(ROOT, file), 'utf8')) as AppFile);
}

/** The same for an Application already parsed (`platform render` reads any file). */
export function renderApplicationObject(app: AppFile) {
  const namespace = app.metadata.namespace ?? 'default';
  const components = app.spec.components.map((c) => {
    const context = vcontext(c.name, namespace, app.metadata.name);
    const rendered = evaluate(definition('component', c.type), c.properties, context);
    const traits = (c.traits ?? []).map((t) => ({ type: t.type, ...evaluate(definition('trait', t.type), t.properties, context, rendered.output) }));
    return { name: c.name, type: c.type, ...rendered, traits };
  });
  const policies = (app.spec.policies ?? [])
    .filter((p) => !BUILT_IN_POLICIES.has(p.type))
    .map((p) => ({ name: p.name, type: p.type, ...evaluate(definition('policy', p.type), p.properties, vcontext(p.name, namespace, app.metadata.name)) }));
  return { components, policies };
}
