/**
 * An OAM Application rendered the way vela-core renders it: the `override`
 * policies of its default workflow merged into the components first, then
 * each component through KubeVela's own code (`oam-render`, tools/kubevela):
 * the workload template, then every trait in order with the workload so far
 * in `context.output`, its patch merged by KubeVela's strategic unify
 * (`+patchKey`, `+patchStrategy`), its `errs` reported. The repository's own
 * policies (health, security-policy) are evaluated with cue.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { contextData, cueExport, loadDefinition, vcontext, type DefinitionCue } from './cue.js';
import { ROOT, runTool } from './tools.js';

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

/**
 * One template evaluated alone with cue (a policy, or a trait's own outputs
 * and patch before KubeVela merges it): parameters, context, and for traits
 * the component's output.
 */
export function evaluate(def: DefinitionCue, parameter: unknown, context: string, output?: unknown): Rendered {
  const ctx = output === undefined ? context : `${context}\ncontext: output: ${JSON.stringify(output)}`;
  const r = cueExport([def.template, ctx, `parameter: ${JSON.stringify(parameter ?? {})}`], '');
  if (!r.ok) throw new Error(r.error);
  const v = r.value as { output?: Obj; outputs?: Record<string, Obj>; patch?: Obj; errs?: unknown[] };
  // A trait's first non-empty `errs` string is its error, as vela-core's parseErrors reads it.
  const err = (v.errs ?? []).find((e) => typeof e === 'string' && e !== '');
  if (err !== undefined) throw new Error(err as string);
  return { output: v.output, outputs: v.outputs ?? {}, patch: v.patch };
}

export interface TraitRef {
  type: string;
  properties?: Obj;
  disable?: boolean;
}
export interface ComponentRef {
  name: string;
  type: string;
  properties?: Obj;
  traits?: TraitRef[];
}

export interface RenderedComponent {
  name: string;
  type: string;
  /** The workload after every trait's patch. */
  output: Obj;
  /** Auxiliary objects by name: the component's `outputs`, then each trait's. */
  outputs: Record<string, Obj>;
  /** Which definition emitted each auxiliary object (the component type or a trait type). */
  outputFrom: Record<string, string>;
  /** The types of the traits applied, in order. */
  traits: string[];
}

/**
 * A component and its traits through vela-core's render path. Throws
 * KubeVela's error (a failed template, a patch conflict, a trait's `errs`).
 */
export function renderComponent(c: ComponentRef, namespace = 'team-a', appName = 'shop'): RenderedComponent {
  const template = (kind: 'component' | 'trait', type: string) => definition(kind, type).template;
  const request = {
    component: { type: c.type, template: template('component', c.type), parameter: c.properties ?? {} },
    context: contextData(c.name, namespace, appName),
    traits: (c.traits ?? []).map((t) => ({ type: t.type, template: template('trait', t.type), parameter: t.properties ?? {} })),
  };
  const r = runTool('oam-render', [], JSON.stringify(request));
  if (r.code !== 0) throw new Error(`oam-render: ${r.stderr}`);
  const v = JSON.parse(r.stdout) as { output?: Obj; outputs: { name: string; from: string; object: Obj }[]; error?: string };
  if (v.error !== undefined) throw new Error(`component ${c.name}: ${v.error}`);
  return {
    name: c.name,
    type: c.type,
    output: v.output ?? {},
    outputs: Object.fromEntries(v.outputs.map((o) => [o.name, o.object])),
    outputFrom: Object.fromEntries(v.outputs.map((o) => [o.name, o.from === 'component' ? c.type : o.from])),
    traits: (c.traits ?? []).map((t) => t.type),
  };
}

/** Properties merged as an `override` policy merges them (vela-core envbinding.MergeRawExtension, mergo). */
function mergeProperties(base: Obj | undefined, patch: Obj | undefined): Obj {
  const r = runTool('oam-render', ['merge'], JSON.stringify({ base: base ?? {}, patch: patch ?? {} }));
  if (r.code !== 0) throw new Error(`oam-render merge: ${r.stderr}`);
  const v = JSON.parse(r.stdout) as { merged?: Obj; error?: string };
  if (v.error !== undefined) throw new Error(v.error);
  return v.merged ?? {};
}

interface OverridePatch {
  name?: string;
  type?: string;
  properties?: Obj;
  traits?: TraitRef[];
}

/** envbinding.MergeComponent: properties merged; traits merged by type, added, or removed (`disable`). */
function mergeComponent(base: ComponentRef, patch: OverridePatch): ComponentRef {
  const traits = new Map((base.traits ?? []).map((t) => [t.type, { ...t }]));
  for (const t of patch.traits ?? []) {
    const existing = traits.get(t.type);
    if (t.disable) traits.delete(t.type);
    else if (existing) existing.properties = mergeProperties(existing.properties, t.properties);
    else traits.set(t.type, { type: t.type, properties: t.properties });
  }
  return { ...base, properties: mergeProperties(base.properties, patch.properties), traits: [...traits.values()] };
}

/**
 * envbinding.PatchComponents: a patch without a name applies to every
 * component (of its type, if given); a name is a pattern (`*` any text, not
 * anchored, as vela-core's regexp), and a different type replaces the component.
 */
export function applyOverride(components: ComponentRef[], patches: OverridePatch[]): ComponentRef[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  for (const p of patches) {
    if (!p.name) {
      for (const [n, c] of byName) if (!p.type || p.type === c.type) byName.set(n, mergeComponent(c, p));
      continue;
    }
    const pattern = new RegExp(p.name.replaceAll('*', '.*'));
    let matched = false;
    for (const [n, c] of byName) {
      if (!pattern.test(n)) continue;
      matched = true;
      byName.set(n, p.type && p.type !== c.type ? { name: n, type: p.type, properties: p.properties, traits: p.traits } : mergeComponent(c, p));
    }
    if (!matched && /[a-z]([a-z-]{0,61}[a-z])?/.test(p.name)) byName.set(p.name, { name: p.name, type: p.type ?? '', properties: p.properties, traits: p.traits });
  }
  return [...byName.values()];
}

export interface AppFile {
  metadata: { name: string; namespace?: string };
  spec: {
    components: ComponentRef[];
    policies?: { name: string; type: string; properties?: Obj }[];
    workflow?: unknown;
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
  const policies = app.spec.policies ?? [];
  // vela-core's default workflow (pkg/workflow/step/generator.go) deploys with
  // every override policy when the Application has no workflow and no topology.
  if (app.spec.workflow !== undefined || policies.some((p) => p.type === 'topology')) {
    throw new Error(`Application ${app.metadata.name}: a workflow or topology policy is not rendered here; extend harness/oam.ts first`);
  }
  const overrides = policies.filter((p) => p.type === 'override').flatMap((p) => (p.properties?.components ?? []) as OverridePatch[]);
  const components = applyOverride(app.spec.components, overrides).map((c) => renderComponent(c, namespace, app.metadata.name));
  const own = policies
    .filter((p) => !BUILT_IN_POLICIES.has(p.type))
    .map((p) => ({ name: p.name, type: p.type, ...evaluate(definition('policy', p.type), p.properties, vcontext(p.name, namespace, app.metadata.name)) }));
  return { components, policies: own };
}
