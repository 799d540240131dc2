/**
 * TypeBox schema → the structural OpenAPI v3 schema Kubernetes (and so an
 * XRD) accepts. The same output drives the function's request validation, so
 * the API server and the function agree on what a valid spec is.
 */
import type { TSchema } from '@sinclair/typebox';
import { nodeAt, plain, type SchemaNode } from './walk.js';
import type { CrossFieldRule } from './types.js';

function normalise(node: SchemaNode): SchemaNode {
  if (node.properties) {
    for (const child of Object.values(node.properties)) normalise(child);
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

/** The OpenAPI form of a spec or status schema, with the cross-field rules attached. */
export function toOpenApi<S>(schema: TSchema, rules: CrossFieldRule<S>[] = []): SchemaNode {
  const out = normalise(plain(schema));
  for (const rule of rules) {
    const node = nodeAt(out, rule.at);
    node['x-kubernetes-validations'] = [
      ...(node['x-kubernetes-validations'] ?? []),
      { rule: rule.cel, message: rule.message },
    ];
  }
  return out;
}
