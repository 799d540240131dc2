/**
 * etcd + kube-apiserver + kube-controller-manager as local processes on
 * 127.0.0.1 (no kubelet: pods never run). Flags and controller names are the
 * ones that work with the pinned v1.35.4 (tools/kubernetes, tools/etcd; see
 * README "A real control plane without Docker").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Kubectl } from './kubectl.js';
import { issue, makeCa, serviceAccountKeys } from './pki.js';
import { freePort, startProcess, type Proc, until } from './processes.js';

export interface KubePlane {
  kubeconfig: string;
  kubectl: Kubectl;
  processes: Proc[];
  apiserverUrl: string;
}

function kubeconfig(file: string, server: string, ca: string, cert: string, key: string): void {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server, 'certificate-authority': ca } }],
      users: [{ name: 'user', user: { 'client-certificate': cert, 'client-key': key } }],
      contexts: [{ name: 'local', context: { cluster: 'local', user: 'user' } }],
      'current-context': 'local',
    }),
  );
}

export async function startKube(state: string, bin: string, step: (msg: string) => void): Promise<KubePlane> {
  const pki = join(state, 'pki');
  mkdirSync(pki, { recursive: true });
  const ca = makeCa(pki, 'ca', 'e2e-local-ca');
  const serving = issue(pki, 'apiserver', ca, { cn: 'kube-apiserver', usage: 'server', sans: ['IP:127.0.0.1', 'DNS:localhost', 'DNS:kubernetes.default.svc'] });
  // system:masters: the admin the harness and Crossplane act as.
  const admin = issue(pki, 'admin', ca, { cn: 'e2e-admin', o: 'system:masters', usage: 'client' });
  // The controller manager's own identity runs the garbage collector here
  // (no per-controller service accounts, no token controller), and the GC
  // must read and delete every kind: system:kube-controller-manager's role
  // cannot ("services is forbidden"), so it is an admin too.
  const kcm = issue(pki, 'kcm', ca, { cn: 'system:kube-controller-manager', o: 'system:masters', usage: 'client' });
  const sa = serviceAccountKeys(pki);
  step('PKI made with openssl');

  const [etcdClient, etcdPeer, apiPort, kcmPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const etcd = startProcess('etcd', join(bin, 'etcd'), [
    '--data-dir', join(state, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcdClient}`,
    '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
    '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`,
    '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
    '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`,
    // Test data: losing it on a crash is fine, and fsync is slow on busy disks.
    '--unsafe-no-fsync',
  ], { dir: state });

  const server = `https://127.0.0.1:${apiPort}`;
  const apiserver = startProcess('kube-apiserver', join(bin, 'kube-apiserver'), [
    '--etcd-servers', `http://127.0.0.1:${etcdClient}`,
    '--bind-address', '127.0.0.1',
    '--advertise-address', '127.0.0.1',
    '--secure-port', String(apiPort),
    '--tls-cert-file', serving.cert,
    '--tls-private-key-file', serving.key,
    '--client-ca-file', ca.cert,
    '--service-account-key-file', sa.pub,
    '--service-account-signing-key-file', sa.key,
    '--service-account-issuer', 'https://kubernetes.default.svc',
    '--service-cluster-ip-range', '10.96.0.0/16',
    '--authorization-mode', 'RBAC',
    // No token controller runs, so pods could not get tokens; no pods run anyway.
    '--disable-admission-plugins', 'ServiceAccount',
    // Nothing else answers for the kubernetes Service's endpoints.
    '--endpoint-reconciler-type', 'none',
  ], { dir: state });

  const adminConfig = join(state, 'admin.kubeconfig');
  kubeconfig(adminConfig, server, ca.cert, admin.cert, admin.key);
  const kubectl = new Kubectl(adminConfig);
  await Promise.race([
    etcd.exited,
    apiserver.exited,
    until('kube-apiserver /readyz', async () => (await kubectl.run(['get', '--raw', '/readyz'], undefined, 10_000)).stdout === 'ok', 120_000, 500),
  ]);
  step(`etcd and kube-apiserver ready on ${server}`);

  const kcmConfig = join(state, 'kcm.kubeconfig');
  kubeconfig(kcmConfig, server, ca.cert, kcm.cert, kcm.key);
  const controllerManager = startProcess('kube-controller-manager', join(bin, 'kube-controller-manager'), [
    '--kubeconfig', kcmConfig,
    '--authentication-kubeconfig', kcmConfig,
    '--authorization-kubeconfig', kcmConfig,
    // Deletion needs the garbage collector (owner references) and the
    // namespace controller; the serviceaccount controller makes `default`.
    // 1.35 refuses the short names (gc, namespace).
    '--controllers', 'garbage-collector-controller,namespace-controller,serviceaccount-controller',
    '--bind-address', '127.0.0.1',
    '--secure-port', String(kcmPort),
    '--leader-elect=false',
    '--use-service-account-credentials=false',
    '--service-account-private-key-file', sa.key,
    '--root-ca-file', ca.cert,
  ], { dir: state });
  step('kube-controller-manager started (garbage collector, namespace, serviceaccount controllers)');
  return { kubeconfig: adminConfig, kubectl, processes: [etcd, apiserver, controllerManager], apiserverUrl: server };
}
