/**
 * The whole flow in a real cluster (see cluster.ts): function images and
 * packages built and pushed to a TLS registry, Crossplane installing them,
 * every generated YAML applied in the app-of-apps order after a server-side
 * dry-run, then the platform's APIs exercised.
 *
 * Needs a Docker engine that can pull images (k3s, registry, node, the
 * controllers' charts and images), about 8 GiB of memory and 20-30 minutes.
 * Without a Docker engine the suite says so and skips: it never passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenericContainer } from 'testcontainers';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FUNCTIONS } from '../../functions/catalog.js';
import { PLATFORM } from '../../functions/lib/platform.js';
import { imageOf, xpkgBuildArgs } from '../../harness/package.js';
import { ROOT, toolPath } from '../../harness/tools.js';
import { Cluster, IN_CLUSTER_REGISTRY, dockerUnavailable, log } from './cluster.js';

const unavailable = await dockerUnavailable();
if (unavailable) {
  process.stderr.write(
    `\n*** e2e: SKIPPED, not run. This machine has no usable Docker engine (${unavailable}).\n` +
      '*** The suite starts k3s, a registry and the controllers in containers; run `make e2e` where Docker can pull images.\n\n',
  );
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const filesIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesIn(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();

function sh(cmd: string, args: string[], env: Record<string, string> = {}): string {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

describe.skipIf(unavailable !== undefined)('e2e: the platform in a cluster', () => {
  let cluster: Cluster;
  const pkg = (fn: string) => `${IN_CLUSTER_REGISTRY}/platform-definitions/${PLATFORM.functionPrefix}-${fn}:${PLATFORM.packageVersion}`;

  beforeAll(async () => {
    cluster = await Cluster.start();
    await cluster.installPlatformControllers();

    // Function images and packages, pushed to the TLS registry.
    const out = mkdtempSync(join(tmpdir(), 'e2e-xpkg-'));
    for (const fn of FUNCTIONS) {
      log(`build image ${imageOf(fn.name)}`);
      await GenericContainer.fromDockerfile(ROOT).withBuildArgs({ FUNCTION: fn.name }).build(imageOf(fn.name), { deleteOnExit: false });
      const file = join(out, `${fn.name}.xpkg`);
      sh(toolPath('crank'), xpkgBuildArgs(fn.name, file));
      sh(toolPath('crank'), ['xpkg', 'push', '-f', file, `${cluster.registryFromHost}/platform-definitions/${PLATFORM.functionPrefix}-${fn.name}:${PLATFORM.packageVersion}`], {
        SSL_CERT_FILE: join(cluster.certs.dir, 'ca.crt'),
      });
    }
    log('build and push the e2e worker image');
    await GenericContainer.fromDockerfile(join(ROOT, 'test/e2e/worker')).build('e2e-worker:1', { deleteOnExit: false });
    sh('docker', ['tag', 'e2e-worker:1', `${cluster.registryFromHost}/e2e-worker:1`]);
    sh('docker', ['push', `${cluster.registryFromHost}/e2e-worker:1`]);

    // The generated YAML, in the app-of-apps order, each file dry-run on the server first.
    await cluster.apply(read('install/rbac.yaml'), 'install/rbac.yaml', { serverDryRunFirst: true });
    await cluster.apply(read('install/functions.yaml').replaceAll(`${PLATFORM.registry}/`, `${IN_CLUSTER_REGISTRY}/platform-definitions/`), 'install/functions.yaml (packages from the e2e registry)', {
      serverDryRunFirst: true,
    });
    await cluster.apply(read('install/providers.yaml'), 'install/providers.yaml', { serverDryRunFirst: true });
    await cluster.waitFor('the functions to be Healthy', ['wait', '--for=condition=Healthy', 'functions.pkg.crossplane.io', '--all', '--timeout=60s'], 900_000);
    await cluster.waitFor('the GitHub provider to be Healthy', ['wait', '--for=condition=Healthy', 'providers.pkg.crossplane.io', '--all', '--timeout=60s'], 900_000);
    for (const f of filesIn('xrds')) await cluster.apply(read(f), f, { serverDryRunFirst: true });
    await cluster.waitFor('the XRDs to be Established', ['wait', '--for=condition=Established', 'compositeresourcedefinitions', '--all', '--timeout=60s']);
    for (const f of filesIn('compositions')) await cluster.apply(read(f), f, { serverDryRunFirst: true });
    for (const f of filesIn('definitions')) await cluster.apply(read(f), f, { serverDryRunFirst: true });
    log(`functions installed from ${FUNCTIONS.map((f) => pkg(f.name)).join(', ')}`);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('an EventDrivenService becomes Ready with its Deployment, Service and ScaledObject, and deleting it cleans up', async () => {
    const ns = 'e2e-eds';
    await cluster.kubectl(['create', 'namespace', ns]);
    // NATS with JetStream and monitoring, and the stream and consumer the worker reads.
    await cluster.apply(
      stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'nats', namespace: ns },
        spec: {
          selector: { matchLabels: { app: 'nats' } },
          template: { metadata: { labels: { app: 'nats' } }, spec: { containers: [{ name: 'nats', image: 'nats:2.10.22-alpine', args: ['-js', '-m', '8222'] }] } },
        },
      }) +
        '---\n' +
        stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'nats', namespace: ns },
          spec: {
            selector: { app: 'nats' },
            ports: [
              { name: 'client', port: 4222 },
              { name: 'monitoring', port: 8222 },
            ],
          },
        }),
      'NATS',
    );
    await cluster.waitFor('NATS', ['-n', ns, 'rollout', 'status', 'deploy/nats', '--timeout=60s']);
    await cluster.kubectl([
      '-n',
      ns,
      'run',
      'nats-setup',
      '--restart=Never',
      '--image=natsio/nats-box:0.14.5',
      '--command',
      '--',
      'sh',
      '-c',
      'nats -s nats://nats:4222 stream add ORDERS --subjects "orders.>" --defaults && nats -s nats://nats:4222 consumer add ORDERS workers --pull --defaults',
    ]);
    await cluster.waitFor('the stream and consumer', ['-n', ns, 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/nats-setup', '--timeout=60s']);

    await cluster.apply(
      stringify({
        apiVersion: 'platform.example.org/v1alpha1',
        kind: 'EventDrivenService',
        metadata: { name: 'worker', namespace: ns },
        spec: {
          image: `${IN_CLUSTER_REGISTRY}/e2e-worker:1`,
          size: 'small',
          nats: { url: `nats://nats.${ns}.svc:4222`, stream: 'ORDERS', consumer: 'workers' },
          scaling: { minReplicas: 1, maxReplicas: 3 },
        },
      }),
      'EventDrivenService worker',
      { serverDryRunFirst: true },
    );
    await cluster.waitFor('the EventDrivenService to be Ready', ['-n', ns, 'wait', '--for=condition=Ready', 'eventdrivenservice/worker', '--timeout=60s'], 900_000);
    for (const kind of ['deployment/worker', 'service/worker', 'scaledobject.keda.sh/worker-scaler']) {
      expect(await cluster.kubectl(['-n', ns, 'get', kind, '-o', 'name'])).toContain(kind.split('/')[1]);
    }
    log('delete the claim');
    await cluster.kubectl(['-n', ns, 'delete', 'eventdrivenservice/worker', '--wait=true', '--timeout=300s']);
    await cluster.waitFor('the Deployment to be gone', ['-n', ns, 'wait', '--for=delete', 'deployment/worker', '--timeout=60s']);
    expect(await cluster.kubectl(['-n', ns, 'get', 'deployments,services,scaledobjects.keda.sh', '-l', 'app.kubernetes.io/name=worker', '-o', 'name'])).toBe('');
  });

  it('a RealtimePlatformClaim creates its namespace, Secrets and workloads (readiness of the heavy images is not waited for)', async () => {
    const claim = parse(read('examples/realtime-platform/claim-minimal.yaml')) as { metadata: { namespace: string }; spec: { name: string } };
    const ns = claim.metadata.namespace;
    await cluster.kubectl(['create', 'namespace', ns]);
    await cluster.apply(read('examples/realtime-platform/required.yaml'), 'operator Secrets');
    await cluster.apply(read('examples/realtime-platform/claim-minimal.yaml'), 'RealtimePlatformClaim', { serverDryRunFirst: true });
    const platformNs = `${claim.spec.name}-realtime`;
    await cluster.waitFor(`namespace ${platformNs}`, ['get', 'namespace', platformNs]);
    await cluster.waitFor('the Kafka connection Secret', ['-n', ns, 'get', 'secret', `${claim.spec.name}-kafka-secret`]);
    for (const sts of ['postgres', 'kafka']) await cluster.waitFor(`StatefulSet ${sts}`, ['-n', platformNs, 'get', 'statefulset', sts]);
    await cluster.waitFor('Deployment lenses-hq', ['-n', platformNs, 'get', 'deployment', 'lenses-hq']);
  });

  it('an OAM Application with knative-webservice and realtime-platform renders a Knative Service and the claim', async () => {
    const ns = 'e2e-oam';
    await cluster.kubectl(['create', 'namespace', ns]);
    await cluster.apply(
      stringify({
        apiVersion: 'core.oam.dev/v1beta1',
        kind: 'Application',
        metadata: { name: 'health', namespace: ns },
        spec: {
          components: [
            { name: 'health-app', type: 'knative-webservice', properties: { image: `${IN_CLUSTER_REGISTRY}/e2e-worker:1`, port: 8080, realtime: 'health-data' } },
            { name: 'streaming', type: 'realtime-platform', properties: { name: 'health-data' } },
          ],
        },
      }),
      'OAM Application health',
      { serverDryRunFirst: true },
    );
    await cluster.waitFor('the Knative Service', ['-n', ns, 'get', 'services.serving.knative.dev', 'health-app']);
    await cluster.waitFor('the RealtimePlatformClaim', ['-n', ns, 'get', 'realtimeplatformclaims', 'streaming']);
  });

  it('an oam-driven ApplicationClaim creates its repository but writes nothing to the GitOps repository', async () => {
    const claim = parse(read('examples/application/claim-oam-driven.yaml')) as { metadata: { name: string; namespace: string } };
    await cluster.kubectl(['create', 'namespace', claim.metadata.namespace]).catch(() => undefined);
    await cluster.apply(read('examples/application/claim-oam-driven.yaml'), 'ApplicationClaim (oam-driven)', { serverDryRunFirst: true });
    await cluster.waitFor('the Repository managed resource', ['get', 'repositories.repo.github.upbound.io', `${claim.metadata.namespace}-${claim.metadata.name}-repo`]);
    const reason = await cluster.waitFor('the GitOps decision in the claim status', [
      '-n',
      claim.metadata.namespace,
      'get',
      'applicationclaim',
      claim.metadata.name,
      '-o',
      'jsonpath={.status.gitops.reason}',
    ]);
    expect(reason).toMatch(/^skipped: the claim is oam-driven/);
    expect(await cluster.kubectl(['get', 'repositoryfiles.repo.github.upbound.io', '-o', 'name'])).toBe('');
  });
});

describe.runIf(unavailable !== undefined)('e2e: not run', () => {
  it.skip(`no Docker engine here (${unavailable}): the kind/k3s suite needs one that can pull images`, () => undefined);
});
