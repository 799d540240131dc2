/** Plain JSON view of a schema node, as the emitters read it. */
export interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  patternProperties?: Record<string, SchemaNode>;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-validations'?: { rule: string; message: string; fieldPath?: string }[];
  [key: string]: unknown;
}

/**
 * Schema keyword carrying a KubeVela definition parameter's `+short` flag
 * (one letter for the `vela` CLI). For definition parameters only: an XRD's
 * schema may not carry it.
 */
export const SHORT = 'x-kubevela-short';

/** JSON round trip: drops TypeBox's symbol keys and gives a private copy. */
export function plain(schema: unknown): SchemaNode {
  return JSON.parse(JSON.stringify(schema)) as SchemaNode;
}

/** The node at a dotted path of property names ('' is the node itself). */
export function nodeAt(root: SchemaNode, path: string): SchemaNode {
  let node = root;
  for (const key of path.split('.').filter(Boolean)) {
    const next = node.properties?.[key];
    if (!next) throw new Error(`schema has no property ${path}`);
    node = next;
  }
  return node;
}

/** Whether a property is optional for the user: not required, or defaulted. */
export function isOptional(parent: SchemaNode, key: string): boolean {
  return !(parent.required ?? []).includes(key);
}
