/**
 * A real API server for tests that need one and no Crossplane (doctor): the
 * local control plane's etcd + kube-apiserver + kube-controller-manager
 * (harness/controlplane/kube.ts, the pinned builds of tools/etcd and
 * tools/kubernetes in .build/bin, which `make conformance` builds). It
 * listens on free loopback ports; every process is stopped by PID.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startKube } from '../../harness/controlplane/kube.js';
import { freePort, stopProcess } from '../../harness/controlplane/processes.js';
import { ROOT, toolPath } from '../../harness/tools.js';

const BIN = join(ROOT, '.build/bin');

/** The folder with the plane's binaries, or undefined when they are not built. */
export function apiserverBinaries(): string | undefined {
  return ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl'].every((b) => existsSync(join(BIN, b))) ? BIN : undefined;
}

export interface ApiServer {
  /** Its current context is the server; a second context `gone` points where nobody listens. */
  kubeconfig: string;
  /** kubectl against it (the pinned build, harness/tools.ts). */
  kubectl(args: string[], input?: string): string;
  stop(): Promise<void>;
}

export async function startApiServer(bin: string): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'apiserver-'));
  const plane = await startKube(dir, bin, () => undefined);
  type Config = { clusters: { name: string; cluster: Record<string, unknown> }[]; contexts: { name: string; context: Record<string, unknown> }[]; users: { name: string }[] };
  const config = parse(readFileSync(plane.kubeconfig, 'utf8')) as Config;
  const [cluster, user] = [config.clusters[0], config.users[0]];
  config.clusters.push({ name: 'gone', cluster: { ...cluster.cluster, server: `https://127.0.0.1:${await freePort()}` } });
  config.contexts.push({ name: 'gone', context: { cluster: 'gone', user: user.name } });
  const kubeconfig = join(dir, 'doctor.kubeconfig');
  writeFileSync(kubeconfig, stringify(config));
  const kubectl = (args: string[], input?: string) =>
    execFileSync(toolPath('kubectl'), ['--kubeconfig', plane.kubeconfig, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
  return {
    kubeconfig,
    kubectl,
    stop: async () => {
      for (const p of [...plane.processes].reverse()) await stopProcess(p);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
