/**
 * The e2e cluster, built with testcontainers on a Docker engine:
 * - a registry (registry:2) serving TLS with a CA made for the run, on a
 *   Docker network as `registry:5000`;
 * - a Kubernetes node: rancher/k3s in a privileged container. kind's node
 *   image needs the kind CLI's bootstrap (kubeadm, a CNI, a storage class),
 *   for which there is no Node module; k3s bootstraps itself, ships kubectl
 *   and a Helm controller (HelmChart objects), and trusts the registry CA via
 *   its registries.yaml;
 * - Crossplane (trusting the registry CA for packages), KubeVela, KEDA and the
 *   Knative Serving CRDs, installed with their Helm charts / release files.
 */
import { GenericContainer, Network, Wait, getContainerRuntimeClient, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTROLLERS } from '../../synth/gitops.js';

export const K3S_IMAGE = 'rancher/k3s:v1.31.2-k3s1';
export const REGISTRY_IMAGE = 'registry:2.8.3';
export const KNATIVE_CRDS = 'https://github.com/knative/serving/releases/download/knative-v1.15.2/serving-crds.yaml';
/** How packages and images are named inside the cluster. */
export const IN_CLUSTER_REGISTRY = 'registry:5000';

export function log(step: string): void {
  process.stdout.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${step}\n`);
}

/** Why the suite cannot run here (no Docker engine), or undefined. */
export async function dockerUnavailable(): Promise<string | undefined> {
  try {
    const client = await getContainerRuntimeClient();
    await client.info;
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

export interface Certs {
  dir: string;
  ca: string;
}

/** A CA and a certificate for the registry (registry, localhost, 127.0.0.1). */
export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-certs-'));
  const sh = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:registry,DNS:localhost,IP:127.0.0.1\n');
  sh(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=e2e-ca']);
  sh(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.csr', '-subj', '/CN=registry']);
  sh(['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tls.crt', '-days', '1', '-extfile', 'san.ext']);
  return { dir, ca: readFileSync(join(dir, 'ca.crt'), 'utf8') };
}

export class Cluster {
  private constructor(
    readonly network: StartedNetwork,
    readonly registry: StartedTestContainer,
    readonly node: StartedTestContainer,
    readonly certs: Certs,
  ) {}

  /** host:port of the registry from this machine (for pushing). */
  get registryFromHost(): string {
    return `localhost:${this.registry.getMappedPort(5000)}`;
  }

  static async start(): Promise<Cluster> {
    const certs = makeCerts();
    const network = await new Network().start();
    log(`starting the registry (${REGISTRY_IMAGE}, TLS) as ${IN_CLUSTER_REGISTRY}`);
    const registry = await new GenericContainer(REGISTRY_IMAGE)
      .withNetwork(network)
      .withNetworkAliases('registry')
      .withExposedPorts(5000)
      .withCopyFilesToContainer([
        { source: join(certs.dir, 'tls.crt'), target: '/certs/tls.crt' },
        { source: join(certs.dir, 'tls.key'), target: '/certs/tls.key' },
      ])
      .withEnvironment({ REGISTRY_HTTP_TLS_CERTIFICATE: '/certs/tls.crt', REGISTRY_HTTP_TLS_KEY: '/certs/tls.key' })
      .withWaitStrategy(Wait.forLogMessage(/listening on/))
      .start();
    log(`starting the Kubernetes node (${K3S_IMAGE}, privileged)`);
    const node = await new GenericContainer(K3S_IMAGE)
      .withNetwork(network)
      .withPrivilegedMode()
      .withTmpFs({ '/run': 'rw', '/var/run': 'rw' })
      .withCommand(['server', '--disable=traefik', '--disable=metrics-server', '--write-kubeconfig-mode=644'])
      .withCopyContentToContainer([
        { content: certs.ca, target: '/etc/rancher/k3s/registry-ca.crt' },
        {
          content: `configs:\n  "${IN_CLUSTER_REGISTRY}":\n    tls:\n      ca_file: /etc/rancher/k3s/registry-ca.crt\n`,
          target: '/etc/rancher/k3s/registries.yaml',
        },
      ])
      .withWaitStrategy(Wait.forLogMessage(/Node controller sync successful/))
      .withStartupTimeout(300_000)
      .start();
    const cluster = new Cluster(network, registry, node, certs);
    await cluster.waitFor('the node to be Ready', ['wait', '--for=condition=Ready', 'node', '--all', '--timeout=300s']);
    return cluster;
  }

  /** Run kubectl in the node; throws with its output when it fails. */
  async kubectl(args: string[], input?: string): Promise<string> {
    let cmd = ['kubectl', ...args];
    if (input !== undefined) {
      const path = `/tmp/input-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`;
      await this.node.copyContentToContainer([{ content: input, target: path }]);
      cmd = cmd.map((a) => (a === '-' ? path : a));
    }
    const r = await this.node.exec(cmd);
    if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.exitCode}): ${r.output}`);
    return r.output;
  }

  async apply(yaml: string, what: string, opts: { serverDryRunFirst?: boolean } = {}): Promise<void> {
    if (opts.serverDryRunFirst) {
      log(`server-side dry-run: ${what}`);
      await this.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], yaml);
    }
    log(`apply: ${what}`);
    await this.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], yaml);
  }

  /** Retry a kubectl wait until it succeeds (the object may not exist yet). */
  async waitFor(what: string, args: string[], timeoutMs = 600_000): Promise<string> {
    log(`waiting for ${what}`);
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      try {
        return await this.kubectl(args);
      } catch (e) {
        last = (e as Error).message;
        await new Promise((r) => setTimeout(r, 5_000));
      }
    }
    throw new Error(`timed out waiting for ${what}: ${last}`);
  }

  /** A chart installed by k3s's Helm controller. */
  async helm(name: string, repo: string, chart: string, version: string, namespace: string, values: object = {}): Promise<void> {
    await this.apply(
      JSON.stringify({
        apiVersion: 'helm.cattle.io/v1',
        kind: 'HelmChart',
        metadata: { name, namespace: 'kube-system' },
        spec: { repo, chart, version, targetNamespace: namespace, createNamespace: true, valuesContent: JSON.stringify(values) },
      }),
      `Helm chart ${chart} ${version} into ${namespace}`,
    );
  }

  /** Crossplane (trusting the registry CA), KubeVela, KEDA and the Knative Serving CRDs. */
  async installPlatformControllers(): Promise<void> {
    await this.kubectl(['create', 'namespace', 'crossplane-system']);
    await this.kubectl(['-n', 'crossplane-system', 'create', 'configmap', 'registry-ca', `--from-literal=ca.crt=${this.certs.ca}`]);
    const { crossplane, kubevela, keda } = CONTROLLERS;
    await this.helm('crossplane', crossplane.repoURL, crossplane.chart, crossplane.version, crossplane.namespace, {
      registryCaBundleConfig: { name: 'registry-ca', key: 'ca.crt' },
    });
    await this.helm('kubevela', kubevela.repoURL, kubevela.chart, kubevela.version, kubevela.namespace);
    await this.helm('keda', keda.repoURL, keda.chart, keda.version, keda.namespace);
    log(`apply: Knative Serving CRDs (${KNATIVE_CRDS})`);
    await this.kubectl(['apply', '-f', KNATIVE_CRDS]);
    await this.waitFor('Crossplane', ['-n', 'crossplane-system', 'rollout', 'status', 'deploy/crossplane', '--timeout=60s']);
    await this.waitFor('KubeVela', ['-n', 'vela-system', 'rollout', 'status', 'deploy/kubevela-vela-core', '--timeout=60s']);
    await this.waitFor('KEDA', ['-n', 'keda', 'rollout', 'status', 'deploy/keda-operator', '--timeout=60s']);
  }

  async stop(): Promise<void> {
    await this.node.stop();
    await this.registry.stop();
    await this.network.stop();
  }
}
