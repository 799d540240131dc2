/**
 * The resource graph of each API's example claim (`examples/<api>/claim.yaml`,
 * with the folder's `required.yaml` answering the function's requirements),
 * as `platform graph` draws it, for the reference pages. Rendering runs the
 * functions in-process, which is asynchronous; the graphs are computed once
 * when this module loads so that `generate()` stays synchronous.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph, toMermaid } from '../cli/graph.js';
import { parseDocuments, render } from '../cli/render.js';
import { ROOT } from '../harness/tools.js';

const read = (path: string) => parseDocuments(readFileSync(join(ROOT, path), 'utf8'), path);

async function graphOf(example: string, required?: string): Promise<string> {
  return toMermaid(buildGraph(await render(read(example), required ? read(required) : [])));
}

const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'examples', d.name, 'claim.yaml')))
  .map((d) => `examples/${d.name}`);

const GRAPHS = new Map(
  await Promise.all(
    examples.map(async (dir) => {
      const required = existsSync(join(ROOT, dir, 'required.yaml')) ? `${dir}/required.yaml` : undefined;
      return [`${dir}/claim.yaml` as string, await graphOf(`${dir}/claim.yaml`, required)] as const;
    }),
  ),
);

/** The reference-page section with the graph of an API's example claim. */
export function exampleGraphSection(example: string): string {
  const graph = GRAPHS.get(example);
  if (!graph) throw new Error(`no graph for ${example}: only examples/<api>/claim.yaml have one`);
  const required = existsSync(join(ROOT, example.replace(/claim\.yaml$/, 'required.yaml'))) ? ` -e ${example.replace(/claim\.yaml$/, 'required.yaml')}` : '';
  return `## What the example creates

\`platform graph ${example}${required}\`: the claim, its composite and what the function
composes, grouped by namespace; objects of a namespace that share a name are one node; edges
say who reads which Secret or ConfigMap, which Service selects which workload, what routes
where; dashed boxes are objects the stack reads but does not create.

\`\`\`mermaid
${graph.trimEnd()}
\`\`\`
`;
}
