/**
 * etcd + kube-apiserver + kube-controller-manager + kube-scheduler as local
 * processes on 127.0.0.1. No kubelet: kwok plays the nodes (nodes.ts). Flags
 * and controller names are the ones that work with the pinned v1.35.4
 * (tools/kubernetes, tools/etcd; docs/controlplane.md).
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

/**
 * The kube-controller-manager controllers the plane runs (names of
 * cmd/kube-controller-manager/names/controller_names.go, k8s.io/kubernetes
 * v1.35.4; 1.35 refuses the short names such as gc or namespace).
 */
export const CONTROLLERS = [
  // Deletion: owner references, namespaces; `default` ServiceAccounts.
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  // What turns the composed workloads into Pods, and Services into endpoints.
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'job-controller',
  'endpoints-controller',
  'endpointslice-controller',
  // Removes the node.kubernetes.io/not-ready taint once kwok reports a Node
  // Ready (without it nothing schedules), and watches kwok's Node leases.
  'node-lifecycle-controller',
  // The kubernetes.io/pvc-protection and pv-protection finalizers (added by
  // the API server's admission) are removed by these two: without them a
  // StatefulSet's PVCs, and so its Namespace, never finish deleting.
  'persistentvolumeclaim-protection-controller',
  'persistentvolume-protection-controller',
] as const;

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
  // The scheduler acts under the bootstrap RBAC of its own user (roles
  // system:kube-scheduler and system:volume-scheduler), as in a cluster.
  const scheduler = issue(pki, 'scheduler', ca, { cn: 'system:kube-scheduler', usage: 'client' });
  const sa = serviceAccountKeys(pki);
  step('PKI made with openssl');

  const [etcdClient, etcdPeer, apiPort, kcmPort, schedulerPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const etcd = startProcess(
    'etcd',
    join(bin, 'etcd'),
    [
      '--data-dir',
      join(state, 'etcd'),
      '--listen-client-urls',
      `http://127.0.0.1:${etcdClient}`,
      '--advertise-client-urls',
      `http://127.0.0.1:${etcdClient}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${etcdPeer}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster',
      `default=http://127.0.0.1:${etcdPeer}`,
      // Test data: losing it on a crash is fine, and fsync is slow on busy disks.
      '--unsafe-no-fsync',
    ],
    { dir: state },
  );

  const server = `https://127.0.0.1:${apiPort}`;
  const apiserver = startProcess(
    'kube-apiserver',
    join(bin, 'kube-apiserver'),
    [
      '--etcd-servers',
      `http://127.0.0.1:${etcdClient}`,
      '--bind-address',
      '127.0.0.1',
      '--advertise-address',
      '127.0.0.1',
      '--secure-port',
      String(apiPort),
      '--tls-cert-file',
      serving.cert,
      '--tls-private-key-file',
      serving.key,
      '--client-ca-file',
      ca.cert,
      '--service-account-key-file',
      sa.pub,
      '--service-account-signing-key-file',
      sa.key,
      '--service-account-issuer',
      'https://kubernetes.default.svc',
      '--service-cluster-ip-range',
      '10.96.0.0/16',
      '--authorization-mode',
      'RBAC',
      // No token controller runs, so pods could not get tokens; kwok's pods
      // need none (no container starts), so ServiceAccount admission is off.
      '--disable-admission-plugins',
      'ServiceAccount',
      // Nothing else answers for the kubernetes Service's endpoints.
      '--endpoint-reconciler-type',
      'none',
    ],
    { dir: state },
  );

  const adminConfig = join(state, 'admin.kubeconfig');
  kubeconfig(adminConfig, server, ca.cert, admin.cert, admin.key);
  const kubectl = new Kubectl(adminConfig);
  await Promise.race([etcd.exited, apiserver.exited, until('kube-apiserver /readyz', async () => (await kubectl.run(['get', '--raw', '/readyz'], undefined, 10_000)).stdout === 'ok', 120_000, 500)]);
  step(`etcd and kube-apiserver ready on ${server}`);

  /**
   * What kube-controller-manager and kube-scheduler share: their own
   * kubeconfig (also for delegated authentication and authorization of their
   * secure port), that port on loopback, no leader election (one of each).
   */
  const component = (name: string, identity: { cert: string; key: string }, port: number) => {
    const file = join(state, `${name}.kubeconfig`);
    kubeconfig(file, server, ca.cert, identity.cert, identity.key);
    return ['--kubeconfig', file, '--authentication-kubeconfig', file, '--authorization-kubeconfig', file, '--bind-address', '127.0.0.1', '--secure-port', String(port), '--leader-elect=false'];
  };
  const controllerManager = startProcess(
    'kube-controller-manager',
    join(bin, 'kube-controller-manager'),
    [...component('kcm', kcm, kcmPort), '--controllers', CONTROLLERS.join(','), '--use-service-account-credentials=false', '--service-account-private-key-file', sa.key, '--root-ca-file', ca.cert],
    { dir: state },
  );
  step(`kube-controller-manager started (${CONTROLLERS.length} controllers)`);
  const kubeScheduler = startProcess('kube-scheduler', join(bin, 'kube-scheduler'), component('scheduler', scheduler, schedulerPort), { dir: state });
  step('kube-scheduler started');
  return { kubeconfig: adminConfig, kubectl, processes: [etcd, apiserver, controllerManager, kubeScheduler], apiserverUrl: server };
}
