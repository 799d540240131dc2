/**
 * The pinned command-line tools (`make tools` builds them into .build/bin)
 * and how to run them. A missing tool is an error that says how to get it:
 * conformance tests never skip silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const TOOLS = {
  crank: { env: 'CRANK', pinned: 'github.com/crossplane/crossplane/v2/cmd/crank v2.2.1 (tools/crank/go.mod)' },
  cue: { env: 'CUE', pinned: 'cuelang.org/go/cmd/cue v0.9.2 (tools/cue/go.mod)' },
  'oam-render': { env: 'OAM_RENDER', pinned: "KubeVela's render and patch code, github.com/kubevela/workflow (tools/kubevela/go.mod)" },
  'argocd-health': { env: 'ARGOCD_HEALTH', pinned: "ArgoCD v3.6.2's health evaluation, github.com/argoproj/argo-cd/v3/util/lua (tools/argocd/go.mod, tools/argocd/health)" },
  vela: { env: 'VELA', pinned: 'github.com/oam-dev/kubevela/references/cmd/cli v1.10.9 (tools/vela/go.mod)' },
  helm: { env: 'HELM', pinned: 'helm.sh/helm/v4/cmd/helm v4.3.2 (tools/helm/go.mod), the Helm ArgoCD v3.6.2 bundles' },
  'helm-flux': { env: 'HELM_FLUX', pinned: "helm.sh/helm/v3/cmd/helm v3.16.1 (tools/helm/flux/go.mod), the Helm Flux 2.4.0's helm-controller embeds" },
  'kwok-stagecheck': { env: 'KWOK_STAGECHECK', pinned: "kwok v0.8.0's own Stage code (tools/kwok/stagecheck, tools/kwok/go.mod)", target: 'controlplane-tools' },
  kubectl: { env: 'KUBECTL', pinned: "k8s.io/kubernetes/cmd/kubectl v1.35.4 (tools/kubernetes/go.mod), the API server's own release", target: 'controlplane-tools' },
} as const;

export type ToolName = keyof typeof TOOLS;

/** Runs `use` with a fresh temp directory and removes it afterwards (a test run calls the tools hundreds of times). */
export function withTempDir<T>(prefix: string, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function toolPath(name: ToolName): string {
  const override = process.env[TOOLS[name].env];
  const path = override ?? join(ROOT, '.build/bin', name);
  if (!existsSync(path)) {
    const tool: { pinned: string; env: string; target?: string } = TOOLS[name];
    throw new Error(`${name} not found at ${path}: run \`make ${tool.target ?? 'tools'}\` to build ${tool.pinned}, or set ${tool.env}`);
  }
  return path;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runTool(name: ToolName, args: string[], input?: string, timeoutMs = 120_000, env?: Record<string, string>): RunResult {
  const r = spawnSync(toolPath(name), args, { input, encoding: 'utf8', cwd: ROOT, timeout: timeoutMs, maxBuffer: 64 << 20, env: env && { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Version of the pinned Crossplane CLI, read from its go.mod. */
export function crossplaneVersion(): string {
  const mod = readFileSync(join(ROOT, 'tools/crank/go.mod'), 'utf8');
  const m = /github\.com\/crossplane\/crossplane\/v2 (v[0-9.]+)/.exec(mod);
  if (!m) throw new Error('tools/crank/go.mod does not pin github.com/crossplane/crossplane/v2');
  return m[1];
}

/**
 * `crossplane beta validate EXTENSIONS -` offline: Crossplane's own schemas
 * come from the cache `make tools` seeds from the pinned module.
 */
export function validate(extensions: string[], resources: string): RunResult {
  const cache = join(ROOT, '.build/validate-cache');
  const image = `xpkg.crossplane.io/crossplane/crossplane:${crossplaneVersion()}`;
  if (!existsSync(join(cache, image.replace(':', '@'), 'package.yaml'))) {
    throw new Error(`Crossplane schemas for ${image} are not cached in ${cache}: run \`make tools\``);
  }
  return runTool('crank', ['beta', 'validate', `--cache-dir=${cache}`, `--crossplane-image=${image}`, extensions.join(','), '-'], resources);
}
