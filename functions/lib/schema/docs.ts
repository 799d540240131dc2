/** OpenAPI schema → a Markdown table of fields for the reference pages. */
import type { SchemaNode } from './walk.js';
import { isOptional } from './walk.js';

function typeName(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (node.type === 'array') return `array of ${typeName(node.items ?? {})}`;
  if (node.type === 'object' && typeof node.additionalProperties === 'object') {
    return `map of ${typeName(node.additionalProperties)}`;
  }
  return node.type ?? 'any';
}

function rows(node: SchemaNode, prefix: string, out: string[]): void {
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${name}`;
    const required = !isOptional(node, name) ? 'yes' : '';
    const dflt = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    const limits = [
      child.pattern ? `pattern \`${child.pattern}\`` : '',
      child.maxLength !== undefined ? `at most ${child.maxLength} characters` : '',
      child.minimum !== undefined ? `>= ${child.minimum}` : '',
      child.maximum !== undefined ? `<= ${child.maximum}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const text = [child.description ?? '', limits ? `(${limits})` : ''].filter(Boolean).join(' ');
    out.push(`| \`${path}\` | ${typeName(child)} | ${required} | ${dflt} | ${text.replace(/\|/g, '\\|')} |`);
    if (child.properties) rows(child, `${path}.`, out);
    if (child.type === 'array' && child.items?.properties) rows(child.items, `${path}[].`, out);
  }
}

export function fieldTable(schema: SchemaNode, prefix = ''): string {
  const out = ['| Field | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |'];
  rows(schema, prefix, out);
  return out.join('\n');
}
