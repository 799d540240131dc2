/**
 * The pinned kubectl (k8s.io/kubernetes v1.35.4, the API server's own release;
 * `make controlplane-tools` builds it) against the local control plane.
 * Asynchronous, so the harness keeps serving while it waits.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { toolPath } from '../tools.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  constructor(readonly kubeconfig: string) {}

  /** Run kubectl; never throws on a non-zero exit (callers check the code). */
  run(args: string[], input?: string, timeoutMs = 120_000): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(toolPath('kubectl'), ['--kubeconfig', this.kubeconfig, ...args], { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout!.on('data', (d) => (stdout += String(d)));
      child.stderr!.on('data', (d) => (stderr += String(d)));
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      if (child.stdin) {
        // kubectl may exit before reading its input (a bad flag, a refused connection): its exit
        // code and stderr say why, so a broken pipe here is not an error of its own.
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
      }
    });
  }

  /** Run kubectl; throws with its stderr on a non-zero exit. */
  async ok(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  }

  /** Server-side apply of YAML or objects. */
  apply(docs: string | object[], extra: string[] = []): Promise<string> {
    // kubectl refuses an empty input ("no objects passed to apply"); nothing to do is not an error here.
    if (Array.isArray(docs) && docs.length === 0) return Promise.resolve('');
    const text = typeof docs === 'string' ? docs : docs.map((d) => stringify(d)).join('---\n');
    return this.ok(['apply', '--server-side', '--force-conflicts', '--field-manager', 'e2e-local', ...extra, '-f', '-'], text);
  }

  /** Server-side apply of YAML files in one call (one kubectl start instead of one per file). */
  applyFiles(files: string[]): Promise<string> {
    if (files.length === 0) return Promise.resolve('');
    return this.apply(files.map((f) => readFileSync(f, 'utf8')).join('\n---\n'));
  }

  /** One object as JSON, or undefined when it does not exist. */
  async get<T = Record<string, unknown>>(args: string[]): Promise<T | undefined> {
    const r = await this.run(['get', ...args, '-o', 'json']);
    if (r.code !== 0) {
      if (/NotFound|not found/.test(r.stderr)) return undefined;
      throw new Error(`kubectl get ${args.join(' ')}: ${r.stderr.trim()}`);
    }
    return JSON.parse(r.stdout) as T;
  }

  /** The items of a list. */
  async list<T = Record<string, unknown>>(args: string[]): Promise<T[]> {
    return (JSON.parse(await this.ok(['get', ...args, '-o', 'json'])) as { items: T[] }).items;
  }
}
