/**
 * The repository's own import graph, as TypeScript reads it
 * (ts.preProcessFile: static imports, re-exports, `import type` and
 * `import('…')` with a literal path), and the cycles in it. Type-only imports
 * count: a cycle of types is still two modules that cannot be read apart.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Folders that hold no TypeScript of ours: packages, build output, the Go tool pins. */
const SKIP = new Set(['node_modules', 'dist', '.build', 'tools', '.git', 'coverage', '.bench']);
const SOURCE = /\.(ts|mts|mjs)$/;

function sources(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP.has(name) ? [] : sources(root, path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A relative specifier to the file it names (`./x.js` is `./x.ts` under NodeNext), or undefined outside our sources. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => SOURCE.test(c) && existsSync(c));
}

/** file (relative to root) → the files it imports (relative to root). */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(root)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((f) => resolveSpecifier(file, f.fileName)).filter((f): f is string => f !== undefined);
    graph.set(relative(root, file), [...new Set(targets.map((t) => relative(root, t)))].sort());
  }
  return graph;
}

/**
 * Every cycle, as the strongly connected components with more than one file
 * (or a file importing itself), each listed in a readable order: a path
 * through the component back to its first file. Tarjan's algorithm.
 */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((c) => cyclePath(graph, new Set(c)));
}

/** The shortest way from the component's first file along imports inside it back to itself: a → b → … → a. */
function cyclePath(graph: Map<string, string[]>, members: Set<string>): string[] {
  const start = [...members].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i];
    for (const next of graph.get(at) ?? []) {
      if (next === start) {
        const path = [start];
        for (let back: string | undefined = at; back !== undefined && back !== start; back = cameFrom.get(back)) path.splice(1, 0, back);
        return [...path, start];
      }
      if (members.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return [...members].sort(); // unreachable for a strongly connected component
}

/** The longest chain of imports from `file` to a file that imports nothing of ours (1 = imports nothing). */
export function importDepth(graph: Map<string, string[]>, file: string, memo = new Map<string, number>()): number {
  const known = memo.get(file);
  if (known !== undefined) return known;
  memo.set(file, Infinity); // a cycle is infinitely deep; importCycles names it
  const depth = 1 + Math.max(0, ...(graph.get(file) ?? []).map((f) => importDepth(graph, f, memo)));
  memo.set(file, depth);
  return depth;
}
