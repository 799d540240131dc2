/**
 * TypeBox schema → the structural OpenAPI v3 schema Kubernetes (and so an
 * XRD) accepts. The same output drives the function's request validation, so
 * the API server and the function agree on what a valid spec is.
 */
import type { TSchema } from '@sinclair/typebox';
import { nodeAt, plain, type SchemaNode } from './walk.js';
import type { CrossFieldRule } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object's default with its fields' defaults written in. The API server
 * defaults top-down, so a claim gets the same value either way; but when it
 * admits the XRD's CRD it checks each `default` as written, CEL rules
 * included, and a rule on an object defaulted to `{}` then reads fields that
 * are not there ("no such key: minReplicas": the CRD is refused).
 */
function withFieldDefaults(value: Record<string, unknown>, node: SchemaNode): Record<string, unknown> {
  const out = { ...value };
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (out[key] === undefined && child.default !== undefined) out[key] = structuredClone(child.default);
    else if (isRecord(out[key]) && child.properties) out[key] = withFieldDefaults(out[key], child);
  }
  return out;
}

function normalise(node: SchemaNode): SchemaNode {
  if (node.properties) {
    for (const child of Object.values(node.properties)) normalise(child);
    // Children first, so their own object defaults are complete already.
    if (isRecord(node.default)) node.default = withFieldDefaults(node.default, node);
    // Defaulted fields are required in the TypeScript type (the resolved
    // value) but optional for users: the API server fills them in.
    const required = (node.required ?? []).filter((k) => node.properties?.[k]?.default === undefined);
    if (required.length > 0) node.required = required;
    else delete node.required;
  }
  if (node.patternProperties) {
    // Type.Record emits patternProperties; Kubernetes wants additionalProperties.
    const [value] = Object.values(node.patternProperties);
    delete node.patternProperties;
    node.additionalProperties = normalise(value as SchemaNode);
  } else if (typeof node.additionalProperties === 'object') {
    normalise(node.additionalProperties);
  } else if (node.additionalProperties === false) {
    // Not allowed beside `properties` in a structural schema; Kubernetes prunes
    // unknown fields anyway.
    delete node.additionalProperties;
  }
  if (node.items) normalise(node.items);
  return node;
}

/**
 * The rule's field relative to the object it is attached to, so the API
 * server's error names the same field as the function's Fatal result
 * (`spec.framework: Invalid value`, not `spec: Invalid value`).
 */
function fieldPathOf<S>(rule: CrossFieldRule<S>): { fieldPath?: string } {
  const prefix = ['spec', ...rule.at.split('.').filter(Boolean)].join('.') + '.';
  return rule.field.startsWith(prefix) ? { fieldPath: `.${rule.field.slice(prefix.length)}` } : {};
}

/** The OpenAPI form of a spec or status schema, with the cross-field rules attached. */
export function toOpenApi<S>(schema: TSchema, rules: CrossFieldRule<S>[] = []): SchemaNode {
  const out = normalise(plain(schema));
  for (const rule of rules) {
    const node = nodeAt(out, rule.at);
    node['x-kubernetes-validations'] = [...(node['x-kubernetes-validations'] ?? []), { rule: rule.cel, message: rule.message, ...fieldPathOf(rule) }];
  }
  return out;
}
