/**
 * The real `vela` CLI (tools/vela, vela-core v1.10.9): `vela dry-run
 * --offline` of an OAM Application against vela-core's built-in definitions
 * and this repository's, the way a cluster with both installed renders it.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runTool, withTempDir } from './tools.js';

type Obj = Record<string, unknown>;

/** What `vela dry-run` printed for one component or policy: its objects, each with the definition it came from. */
export interface DryRunSection {
  kind: 'Component' | 'Policy';
  name: string;
  objects: { from: string; object: Obj }[];
}

function builtinsDir(): string {
  const mod = /^require github\.com\/oam-dev\/kubevela (v[0-9.]+)/m.exec(readFileSync(join(ROOT, 'tools/vela/go.mod'), 'utf8'))?.[1];
  const dir = join(ROOT, '.build/vela-builtins', mod ?? 'unknown');
  if (!existsSync(join(dir, 'webservice.yaml'))) throw new Error(`vela-core's built-in definitions are not in ${dir}: run \`make tools\``);
  return dir;
}

/** One folder with every built-in definition and ours, one object per file (what `-d` needs). */
export function definitionsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vela-defs-'));
  const builtins = builtinsDir();
  for (const f of readdirSync(builtins)) copyFileSync(join(builtins, f), join(dir, `builtin-${f}`));
  for (const sub of ['components', 'traits', 'policies']) {
    for (const f of readdirSync(join(ROOT, 'definitions', sub))) copyFileSync(join(ROOT, 'definitions', sub, f), join(dir, `${sub}-${f}`));
  }
  return dir;
}

/** `vela dry-run --offline`; it reads a kubeconfig file (any server) even offline. */
export function dryRun(file: string, namespace: string, defs: string): { code: number; sections: DryRunSection[]; stderr: string; stdout: string } {
  const r = withTempDir('vela-home-', (home) => {
    const kubeconfig = join(home, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: none, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: none, context: {cluster: none, user: none}}]\ncurrent-context: none\nusers: [{name: none, user: {token: none}}]\n',
    );
    const env = { KUBECONFIG: kubeconfig, HOME: home };
    return runTool('vela', ['dry-run', '--offline', '-d', defs, '-f', join(ROOT, file), '-n', namespace], undefined, 300_000, env);
  });
  return { code: r.code, sections: parseDryRun(r.stdout), stderr: r.stderr, stdout: r.stdout };
}

/**
 * `vela dry-run` output: `# Application(...) -- Component(name)` (or
 * `Policy(name)`) headers, then YAML documents; an auxiliary object starts
 * with `## From the trait <type>` (or `## From the auxiliary workload`).
 */
export function parseDryRun(text: string): DryRunSection[] {
  const sections: DryRunSection[] = [];
  for (const chunk of text.split(/^---$/m)) {
    const header = /^# Application\(.*\) -- (Component|Policy)\((.+?)\)\s*$/m.exec(chunk);
    if (header) {
      sections.push({ kind: header[1] as 'Component' | 'Policy', name: header[2], objects: [] });
      continue;
    }
    const object = parse(chunk) as Obj | null;
    if (!object || sections.length === 0) continue;
    const from = /^## From the trait (\S+)/m.exec(chunk)?.[1] ?? (/^## From the auxiliary workload/m.test(chunk) ? 'component' : 'workload');
    sections[sections.length - 1].objects.push({ from, object });
  }
  return sections;
}
