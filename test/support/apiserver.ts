/**
 * A real etcd + kube-apiserver on loopback for tests that need an API server
 * and no controllers (doctor). Binaries: `.tools/bin/etcd` and
 * `.tools/bin/kube-apiserver` (the pinned builds of the local control plane,
 * tools/etcd and tools/kubernetes), or $ETCD / $KUBE_APISERVER. Flags as
 * the control plane uses them (REFERENCE.md "A control plane without Docker").
 * Run inside a network namespace (`/work/wt/bin/isolated`): it listens on
 * free loopback ports.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from '../../tooling/tools.js';

export function apiserverBinaries(): { etcd: string; apiserver: string } | undefined {
  const etcd = process.env.ETCD ?? join(ROOT, '.tools/bin/etcd');
  const apiserver = process.env.KUBE_APISERVER ?? join(ROOT, '.tools/bin/kube-apiserver');
  return existsSync(etcd) && existsSync(apiserver) ? { etcd, apiserver } : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

export interface ApiServer {
  kubeconfig: string;
  /** kubectl against it (Debian's kubectl). */
  kubectl(args: string[], input?: string): string;
  stop(): Promise<void>;
}

/** Up to `timeoutMs` for /readyz; the caller's test timeout bounds the rest. */
export async function startApiServer(bins: { etcd: string; apiserver: string }, timeoutMs = 90_000): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'apiserver-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  const sign = (name: string, subj: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subj, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
  };
  sign('serving', '/CN=kube-apiserver', 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
  // system:masters: the admin doctor runs as.
  sign('admin', '/CN=admin/O=system:masters', 'extendedKeyUsage=clientAuth\n');
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);

  const [client, peer, port] = [await freePort(), await freePort(), await freePort()];
  const procs: ChildProcess[] = [];
  const start = (bin: string, args: string[]) => {
    const p = spawn(bin, args, { cwd: dir, stdio: 'ignore' });
    procs.push(p);
    return p;
  };
  start(bins.etcd, [
    '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${client}`,
    '--advertise-client-urls', `http://127.0.0.1:${client}`,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `default=http://127.0.0.1:${peer}`,
    '--unsafe-no-fsync',
  ]);
  start(bins.apiserver, [
    '--etcd-servers', `http://127.0.0.1:${client}`,
    '--bind-address', '127.0.0.1',
    '--advertise-address', '127.0.0.1',
    '--secure-port', String(port),
    '--tls-cert-file', join(dir, 'serving.crt'),
    '--tls-private-key-file', join(dir, 'serving.key'),
    '--client-ca-file', join(dir, 'ca.crt'),
    '--service-account-key-file', join(dir, 'sa.pub'),
    '--service-account-signing-key-file', join(dir, 'sa.key'),
    '--service-account-issuer', 'https://kubernetes.default.svc',
    '--service-cluster-ip-range', '10.96.0.0/16',
    '--authorization-mode', 'RBAC',
    '--disable-admission-plugins', 'ServiceAccount',
    '--endpoint-reconciler-type', 'none',
  ]);
  const kubeconfig = join(dir, 'kubeconfig');
  const user = { 'client-certificate': join(dir, 'admin.crt'), 'client-key': join(dir, 'admin.key') };
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'test', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority': join(dir, 'ca.crt') } },
        // A second context whose server nobody listens on, for --context.
        { name: 'gone', cluster: { server: `https://127.0.0.1:${await freePort()}`, 'certificate-authority': join(dir, 'ca.crt') } },
      ],
      users: [{ name: 'admin', user }],
      contexts: [
        { name: 'test', context: { cluster: 'test', user: 'admin' } },
        { name: 'gone', context: { cluster: 'gone', user: 'admin' } },
      ],
      'current-context': 'test',
    }),
  );
  const kubectl = (args: string[], input?: string) =>
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--context', 'test', ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (kubectl(['get', '--raw', '/readyz']) === 'ok') break;
    } catch {
      // not up yet
    }
    if (procs.some((p) => p.exitCode !== null)) throw new Error('etcd or kube-apiserver exited while starting');
    if (Date.now() > deadline) throw new Error(`kube-apiserver not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    kubeconfig,
    kubectl,
    stop: async () => {
      for (const p of procs.reverse()) {
        p.kill('SIGTERM');
        if (p.exitCode === null) await new Promise((r) => p.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
