/**
 * `make build`: each function as one bundled, tree-shaken ESM file,
 * `dist/<fn>/main.mjs`, which is all the runtime image ships (no
 * node_modules). Loading one file of only what a function uses is what makes
 * it start as fast as an empty SDK function: the unbundled function resolved
 * and compiled hundreds of modules (every kubernetes-models kind of a group,
 * all of TypeBox) before serving.
 *
 *   tsx harness/bundle.ts [--outdir DIR] [--function NAME]
 */
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import ajvStandalone from 'ajv/dist/standalone/index.js';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FUNCTIONS } from '../functions/catalog.js';
import { ROOT } from './tools.js';
import { newAjv } from '../functions/lib/schema/compile.js';

// A CommonJS module: its default import is module.exports, whose `default` is the function.
const standaloneCode = ajvStandalone.default;

/** The Node major the bundles target: the runtime image's (Dockerfile) and package.json `engines`. */
export const NODE_TARGET = 'node26';

/**
 * Node flags the image starts a function with (Dockerfile ENTRYPOINT; a unit
 * test keeps them equal), and the benchmark too.
 *
 * --max-semi-space-size=4 (MiB): V8 grows the young generation up to 16 MiB
 * per semi-space under load. At concurrency 16 realtime-platform then peaked
 * at 193-196 MiB RSS; with 4 MiB, 139-144 MiB, for the same CPU within the
 * noise (3,000 requests each, two runs; 1 and 2 MiB saved no more and cost
 * more GCs; --optimize-for-size reached 97 MiB but doubled the CPU per
 * request). `make bench` measures it again: its "default heap" row.
 */
export const RUNTIME_FLAGS: string[] = ['--max-semi-space-size=4'];

/** Where `make build` writes a function's bundle. */
export function bundlePath(fn: string, outdir = join(ROOT, 'dist')): string {
  return join(outdir, fn, 'main.mjs');
}

const COMPILE_MODULE = /\/functions\/lib\/schema\/compile\.(js|ts)$/;

/** Replaces functions/lib/schema/compile.ts with the given module source. */
function replaceCompile(contents: string): Plugin {
  return {
    name: 'compiled-validators',
    setup(b) {
      b.onResolve({ filter: /\/compile\.js$/ }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        return COMPILE_MODULE.test(path) ? { path, namespace: 'compiled-validators' } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'compiled-validators' }, () => ({ contents, loader: 'js', resolveDir: ROOT }));
    },
  };
}

/**
 * kubernetes-models ships a precompiled JSON-schema validator per kind, used
 * only by `model.validate()`, which the functions never call at run time (the
 * unit tests do, unbundled). Leaving them out halves a bundle; a call that
 * reaches one anyway says so instead of passing silently.
 */
const withoutModelSchemas: Plugin = {
  name: 'without-model-schemas',
  setup(b) {
    b.onResolve({ filter: /\/_schemas\// }, (args) =>
      /node_modules\/(@kubernetes-models\/[^/]+|kubernetes-models)\//.test(args.importer) ? { path: args.path, namespace: 'model-schema' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'model-schema' }, () => ({
      contents: "export function validate() { throw new Error('Kubernetes schema validation is not bundled into the function (tests run it unbundled)'); }",
      loader: 'js',
    }));
  },
};

const schemaKey = (schema: unknown) => createHash('sha256').update(JSON.stringify(schema)).digest('hex');

/**
 * The schemas a function compiles when it loads: bundle its function.ts with
 * a compile module that records them, and import that bundle here.
 */
async function schemasOf(fn: string, workdir: string): Promise<object[]> {
  const recorder = 'export function compileSchema(schema) { (globalThis.__compiledSchemas ??= []).push(structuredClone(schema)); return () => true; }';
  const outfile = join(workdir, `${fn}-schemas.mjs`);
  await build({ ...COMMON, entryPoints: [join(ROOT, 'functions', fn, 'function.ts')], outfile, plugins: [replaceCompile(recorder), withoutModelSchemas] });
  const g = globalThis as { __compiledSchemas?: object[] };
  g.__compiledSchemas = [];
  await import(pathToFileURL(outfile).href);
  return g.__compiledSchemas;
}

/**
 * A compile module with the given schemas' validators as ajv standalone code
 * (same options as functions/lib/schema/compile.ts), looked up by the schema's
 * digest. A schema that was not compiled in is a build error, not bad input.
 */
export function precompiled(schemas: object[]): string {
  const ajv = newAjv({ code: { source: true, esm: true } });
  const keys = new Map<string, string>();
  for (const schema of schemas) {
    const key = schemaKey(schema);
    if (keys.has(key)) continue;
    const name = `v${keys.size}`;
    ajv.addSchema(schema, name);
    keys.set(key, name);
  }
  const code = standaloneCode(ajv, Object.fromEntries([...keys.values()].map((n) => [n, n])));
  return [
    code,
    "import { createHash as __hash } from 'node:crypto';",
    `const VALIDATORS = new Map([${[...keys].map(([k, n]) => `[${JSON.stringify(k)}, ${n}]`).join(', ')}]);`,
    'export function compileSchema(schema) {',
    "  const v = VALIDATORS.get(__hash('sha256').update(JSON.stringify(schema)).digest('hex'));",
    "  if (!v) throw new Error('a schema was not compiled into this bundle: rebuild it (make build)');",
    '  return v;',
    '}',
  ].join('\n');
}

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: NODE_TARGET,
  treeShaking: true,
  // Whitespace and syntax only: identifiers stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  // CommonJS dependencies (@grpc/grpc-js, protobufjs, pino, ajv's runtime
  // helpers) call `require`, which an ES module does not have.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
};

/** Bundle any entry point (the benchmark's floors) the way the functions are bundled. */
export async function bundleFile(entry: string, outfile: string, plugins: Plugin[] = []): Promise<Metafile> {
  return (await build({ ...COMMON, entryPoints: [entry], outfile, metafile: true, plugins })).metafile!;
}

/**
 * Bundle one function with its validators compiled in: its main.ts (what the
 * image runs), or its function.ts (the compose function, for tests).
 */
export async function bundle(fn: string, outfile: string, entry: 'main' | 'function' = 'main'): Promise<Metafile> {
  const workdir = join(ROOT, '.build/bundle', fn);
  mkdirSync(workdir, { recursive: true });
  try {
    const compiled = precompiled(await schemasOf(fn, workdir));
    return await bundleFile(join(ROOT, 'functions', fn, `${entry}.ts`), outfile, [replaceCompile(compiled), withoutModelSchemas]);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** Bundle functions of functions/catalog.ts (all by default); returns each bundle's size in bytes. */
export async function bundleAll(outdir = join(ROOT, 'dist'), only?: string): Promise<Record<string, number>> {
  const names = FUNCTIONS.map((f) => f.name).filter((n) => only === undefined || n === only);
  if (names.length === 0) throw new Error(`no function named ${only} in functions/catalog.ts`);
  const sizes: Record<string, number> = {};
  for (const fn of names) {
    const meta = await bundle(fn, bundlePath(fn, outdir));
    sizes[fn] = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0);
  }
  return sizes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { outdir: { type: 'string', default: join(ROOT, 'dist') }, function: { type: 'string' } } });
  const sizes = await bundleAll(resolve(values.outdir!), values.function);
  for (const [fn, bytes] of Object.entries(sizes)) console.log(`${bundlePath(fn, values.outdir).replace(`${ROOT}/`, '')}  ${(bytes / 1024).toFixed(0)} KiB`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
