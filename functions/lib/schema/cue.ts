/**
 * OpenAPI schema → the `parameter` block of a KubeVela CUE template, in
 * KubeVela's conventions: one `// +usage=` line per field, defaults as
 * `*value | type`, optional fields as `name?:`, and never both.
 */
import type { SchemaNode } from './walk.js';
import { isOptional, SHORT } from './walk.js';

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A CUE string or other literal; JSON literals are valid CUE. */
export function cueLiteral(value: unknown): string {
  return JSON.stringify(value);
}

function label(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

function constraints(node: SchemaNode): string[] {
  const c: string[] = [];
  if (node.pattern !== undefined) c.push(`=~${cueLiteral(node.pattern)}`);
  if (node.minLength !== undefined && node.minLength > 0) c.push(`strings.MinRunes(${node.minLength})`);
  if (node.maxLength !== undefined) c.push(`strings.MaxRunes(${node.maxLength})`);
  if (node.minimum !== undefined) c.push(`>=${node.minimum}`);
  if (node.maximum !== undefined) c.push(`<=${node.maximum}`);
  return c;
}

function uses(node: SchemaNode, here: (n: SchemaNode) => boolean): boolean {
  if (here(node)) return true;
  const children = [...Object.values(node.properties ?? {}), ...(node.items ? [node.items] : []), ...(typeof node.additionalProperties === 'object' ? [node.additionalProperties] : [])];
  return children.some((c) => uses(c, here));
}

/** Whether the generated block calls into CUE's `strings` package. */
export function needsStrings(node: SchemaNode): boolean {
  return uses(node, (n) => (n.minLength !== undefined && n.minLength > 0) || n.maxLength !== undefined);
}

function typeExpr(node: SchemaNode, indent: string): string {
  if (node.enum) {
    const values = node.enum.filter((v) => v !== node.default).map(cueLiteral);
    return values.join(' | ');
  }
  if (node['x-kubernetes-preserve-unknown-fields'] && !node.properties) return '{...}';
  switch (node.type) {
    case 'string':
    case 'integer':
    case 'number': {
      const base = node.type === 'string' ? 'string' : node.type === 'integer' ? 'int' : 'number';
      return [base, ...constraints(node)].join(' & ');
    }
    case 'boolean':
      return 'bool';
    case 'array':
      // minItems is a check after the block (see minItemsChecks): cue's
      // OpenAPI encoder, which KubeVela runs on parameter blocks, rejects
      // list.MinItems there.
      return `[...${typeExpr(node.items ?? {}, indent)}]`;
    case 'object': {
      if (typeof node.additionalProperties === 'object' && !node.properties) {
        return `{[string]: ${typeExpr(node.additionalProperties, indent)}}`;
      }
      return block(node, indent);
    }
    default:
      return '_';
  }
}

function field(parent: SchemaNode, name: string, node: SchemaNode, indent: string): string {
  const lines: string[] = [];
  if (node.description) lines.push(`${indent}// +usage=${node.description.replace(/\s+/g, ' ').trim()}`);
  // The one-letter flag `vela` CLI offers for the field, as vela-core's built-ins (image → i, port → p).
  if (typeof node[SHORT] === 'string') lines.push(`${indent}// +short=${node[SHORT]}`);
  const inner = indent + '\t';
  const type = typeExpr(node, inner);
  let value: string;
  if (node.default !== undefined && node.type !== 'object') {
    value = `*${cueLiteral(node.default)} | ${type}`;
  } else {
    value = type;
  }
  // A defaulted object (default: {}) is always present, filled by its own
  // field defaults; any other non-required field is optional.
  const optional = isOptional(parent, name) && node.default === undefined;
  lines.push(`${indent}${label(name)}${optional ? '?' : ''}: ${value}`);
  return lines.join('\n');
}

function block(node: SchemaNode, indent: string): string {
  const outer = indent.slice(0, -1);
  const fields = Object.entries(node.properties ?? {}).map(([k, v]) => field(node, k, v, indent));
  if (fields.length === 0) return '{...}';
  return `{\n${fields.join('\n')}\n${outer}}`;
}

/**
 * How a rule that CUE types cannot say is reported. `conflict`: the rule's
 * message unified with `true`, failing evaluation (components: vela-core
 * 1.10 reads `errs` only for traits, pkg/cue/definition/template.go).
 * `errs`: an entry of `_errs`, which traits list in KubeVela's `errs` field.
 */
export type CheckStyle = 'conflict' | 'errs';

/** The CUE of one rule: `message` when `condition` holds. */
export function cueCheck(style: CheckStyle, id: string, condition: string, message: string): string {
  const body = style === 'errs' ? `_errs: ${id}: ${cueLiteral(message)}` : `_${id}: ${cueLiteral(message)} & true`;
  return `if ${condition} {\n\t${body}\n}`;
}

/** Checks that fail evaluation when an array below the parameters has fewer than minItems items. */
function minItemsChecks(node: SchemaNode, path: string[], out: string[], style: CheckStyle): string[] {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const here = [...path, name];
    const ref = `parameter.${here.map(label).join('.')}`;
    if (child.type === 'array' && child.minItems) {
      const guard = isOptional(node, name) && child.default === undefined ? `${ref} != _|_ && ` : '';
      const message = `${here.join('.')} must have at least ${child.minItems} item${child.minItems > 1 ? 's' : ''}`;
      out.push(cueCheck(style, `${here.join('_')}MinItems`, `${guard}len(${ref}) < ${child.minItems}`, message));
    }
    if (child.properties && !isOptional(node, name)) minItemsChecks(child, here, out, style);
  }
  return out;
}

/** `parameter: { ... }` for an object schema (already in OpenAPI form), then its minItems checks. */
export function cueParameter(schema: SchemaNode, style: CheckStyle = 'conflict'): string {
  return [`parameter: ${block(schema, '\t')}`, ...minItemsChecks(schema, [], [], style)].join('\n\n');
}
