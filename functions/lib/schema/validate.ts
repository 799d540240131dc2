/**
 * Request validation in the function, from the same OpenAPI schema the XRD
 * carries. Defaults are applied here too, so a function behaves the same
 * whether the API server defaulted the spec (a real cluster) or not
 * (`crossplane render` without --xrd, an XR created by hand).
 *
 * Messages name the field and the rule, never the offending value: a value
 * may be a credential.
 */
import type { ErrorObject } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { toOpenApi } from './openapi.js';
import type { SchemaNode } from './walk.js';
import type { CrossFieldRule } from './types.js';
import { compileSchema } from './compile.js';

export interface FieldError {
  /** Dotted path from the XR root, e.g. `spec.nats.stream`. */
  field: string;
  rule: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function formatErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.rule}`).join('; ');
}

/** A path segment as written in a message: a map key the user chose is not repeated when it is long or unusual. */
const segment = (p: string) => (/^[A-Za-z0-9_.-]{1,63}$/.test(p) ? p : '<key>');

function dotted(root: string, instancePath: string): string {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => segment(p.replace(/~1/g, '/').replace(/~0/g, '~')));
  return [root, ...parts].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

function describe(error: ErrorObject, root: string): FieldError {
  const field = dotted(root, error.instancePath);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: `${field}.${String(p.missingProperty)}`, rule: 'is required' };
    case 'enum':
      return { field, rule: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'type':
      return { field, rule: `must be of type ${String(p.type)}` };
    case 'pattern':
      return { field, rule: `must match ${String(p.pattern)}` };
    case 'minimum':
      return { field, rule: `must be >= ${String(p.limit)}` };
    case 'maximum':
      return { field, rule: `must be <= ${String(p.limit)}` };
    case 'minLength':
      return { field, rule: p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { field, rule: `must have at most ${String(p.limit)} characters` };
    case 'minItems':
      return { field, rule: `must have at least ${String(p.limit)} items` };
    default:
      return { field, rule: error.message ?? error.keyword };
  }
}

/**
 * Marks every object with declared properties as closed, so that ajv's
 * removeAdditional drops unknown fields from the validated copy, as the API
 * server prunes them under a structural schema. The function then never acts
 * on a field the API does not have, whoever created the XR.
 */
function pruning(node: SchemaNode): SchemaNode {
  if (node.properties && !node['x-kubernetes-preserve-unknown-fields']) {
    for (const child of Object.values(node.properties)) pruning(child);
    node.additionalProperties = false;
  }
  if (typeof node.additionalProperties === 'object') pruning(node.additionalProperties);
  if (node.items) pruning(node.items);
  return node;
}

/**
 * A validator for `spec` (or another object named by `root`, such as a
 * function's input): returns a defaulted, pruned deep copy typed as the
 * resolved spec, or every field error found.
 */
export function specValidator<T>(schema: TSchema, rules: CrossFieldRule<T>[] = [], root = 'spec') {
  const check = compileSchema(pruning(toOpenApi(schema, rules)));
  return (input: unknown): Validation<T> => {
    const value = structuredClone(input ?? {}) as T;
    if (!check(value)) {
      return { ok: false, errors: (check.errors ?? []).map((e) => describe(e, root)) };
    }
    const broken = rules.filter((r) => !r.holds(value));
    if (broken.length > 0) {
      return { ok: false, errors: broken.map((r) => ({ field: r.field, rule: r.message })) };
    }
    return { ok: true, value };
  };
}
