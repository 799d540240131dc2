/**
 * Evaluating KubeVela definitions with the real `cue` (v0.9.2, KubeVela
 * 1.10's CUE): the template, health policy or custom status of a generated
 * definition, with `parameter` and `context` values as KubeVela supplies them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runTool, withTempDir } from './tools.js';

export type CueResult = { ok: true; value: unknown } | { ok: false; error: string };

/** `cue export -e EXPR` of one CUE source made of the given parts (the whole value when expr is empty). */
export function cueExport(parts: string[], expr: string): CueResult {
  return withTempDir('cue-', (dir) => {
    const file = join(dir, 'eval.cue');
    // Imports must come first; the template part carries them.
    writeFileSync(file, parts.join('\n\n'));
    const r = runTool('cue', ['export', file, ...(expr ? ['-e', expr] : []), '--out', 'json']);
    return r.code === 0 ? { ok: true, value: JSON.parse(r.stdout) } : { ok: false, error: r.stderr };
  });
}

export interface DefinitionCue {
  template: string;
  healthPolicy?: string;
  customStatus?: string;
}

/** The CUE parts of a generated definition file. */
export function loadDefinition(path: string): DefinitionCue {
  const def = parse(readFileSync(path, 'utf8')) as {
    spec: { schematic: { cue: { template: string } }; status?: { healthPolicy?: string; customStatus?: string } };
  };
  return { template: def.spec.schematic.cue.template, ...def.spec.status };
}

/** A realistic KubeVela `context` for a component of an Application, as data. */
export function contextData(name: string, namespace = 'team-a', appName = 'shop'): Record<string, unknown> {
  return {
    name,
    namespace,
    appName,
    appRevision: `${appName}-v1`,
    appRevisionNum: 1,
    appLabels: { 'app.oam.dev/name': appName },
    appAnnotations: {},
    cluster: '',
    clusterVersion: { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' },
  };
}

/** The same context as a CUE field. */
export function vcontext(name: string, namespace = 'team-a', appName = 'shop'): string {
  return `context: ${JSON.stringify(contextData(name, namespace, appName))}`;
}

/** Evaluate a definition's output for the given parameters. */
export function renderComponent(def: DefinitionCue, parameter: unknown, context = vcontext('my-component')): CueResult {
  return cueExport([def.template, context, `parameter: ${JSON.stringify(parameter)}`], 'output');
}

/** Evaluate a definition's `output` and `outputs` (empty when it has none) together. */
export function renderOutputs(
  def: DefinitionCue,
  parameter: unknown,
  context = vcontext('my-component'),
): { ok: true; output: unknown; outputs: Record<string, unknown> } | { ok: false; error: string } {
  const all = cueExport([def.template, context, `parameter: ${JSON.stringify(parameter)}`], '');
  if (!all.ok) return all;
  const value = all.value as { output: unknown; outputs?: Record<string, unknown> };
  return { ok: true, output: value.output, outputs: value.outputs ?? {} };
}

/**
 * isHealth and the status message of a component against its live objects,
 * evaluated by vela-core's own health code (`oam-render status`): the
 * template compiled with `context: {name, appName, output, outputs, status}`
 * and `parameter`. vela-core only logs an evaluation error (the component
 * then reads unhealthy with no message); here it is an `ok: false` result.
 */
export function healthOf(def: DefinitionCue, output: unknown, outputs?: Record<string, unknown>, parameter: unknown = {}): { isHealth: CueResult; message: CueResult } {
  const context = { name: 'my-component', appName: 'shop', appRevision: 'shop-v1', output, ...(outputs ? { outputs } : {}) };
  const r = runTool('oam-render', ['status'], JSON.stringify({ healthPolicy: def.healthPolicy ?? '', customStatus: def.customStatus ?? '', context, parameter }));
  if (r.code !== 0) throw new Error(`oam-render status: ${r.stderr}`);
  const v = JSON.parse(r.stdout) as { healthy: boolean; message: string; healthError?: string; messageError?: string };
  return {
    isHealth: v.healthError ? { ok: false, error: v.healthError } : { ok: true, value: v.healthy },
    message: v.messageError ? { ok: false, error: v.messageError } : { ok: true, value: v.message },
  };
}

/**
 * The OpenAPI schema cue derives from a definition's `parameter` block, as
 * KubeVela does to store the UI schema of a definition.
 */
export function parameterOpenApi(def: DefinitionCue): CueResult {
  const block = /^parameter: \{[\s\S]*?^\}/m.exec(def.template)?.[0];
  if (!block) return { ok: false, error: 'no parameter block' };
  const imports = /^import (\([^)]*\)|"[^"]+")/m.exec(def.template)?.[0] ?? '';
  const r = withTempDir('cue-openapi-', (dir) => {
    const file = join(dir, 'parameter.cue');
    writeFileSync(file, `${imports}\n\n#${block}`);
    return runTool('cue', ['def', file, '--out', 'openapi']);
  });
  if (r.code !== 0) return { ok: false, error: r.stderr };
  return { ok: true, value: (JSON.parse(r.stdout) as { components: { schemas: Record<string, unknown> } }).components.schemas.parameter };
}
