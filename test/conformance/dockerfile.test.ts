/**
 * The image recipe runs, on a machine without Docker: every function's image
 * is built from the Dockerfile as it is (test/support/image.ts runs each
 * stage's COPY and RUN steps in a directory standing for its filesystem, as
 * the image's user), then started with its ENTRYPOINT the way Crossplane's
 * runtime starts it (its TLS certificates mounted at /tls/server, which here
 * is a flag pointing at the stage's /tls/server) and called over mutual TLS.
 * It runs as the pod Crossplane makes from the function's
 * DeploymentRuntimeConfig (install/runtime-configs.yaml) would: that user, and
 * a read-only root filesystem when it asks for one (the image's files made
 * unwritable for that user).
 * A RUN step that fails (`--help` exiting 2 did), a COPY of a file
 * .dockerignore excludes or the build stage does not have, an ENTRYPOINT that
 * cannot serve, or a compile cache the pod's user cannot use fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { DEFAULT_ADDRESS } from '@crossplane-org/function-sdk-typescript';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComposeFunction } from '@crossplane-org/function-sdk-typescript';
import { FUNCTIONS } from '../../functions/catalog.js';
import { convergedRequest } from '../../harness/request.js';
import { functionClient, runFunction } from '../../harness/grpc.js';
import { portOpen, waitForPort } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';
import { issueLeaf, makeCa } from '../support/crossplane-pki.js';
import { buildImages, hostPath, startImage, type BuiltStage } from '../support/image.js';
import { fatals } from '../support/request.js';
import { parseAllDocuments } from 'yaml';
import { PLATFORM } from '../../functions/lib/platform.js';

/** The package-runtime container's securityContext of a function's DeploymentRuntimeConfig. */
function podSecurity(fn: string): { runAsUser: number; runAsGroup: number; readOnlyRootFilesystem?: boolean } {
  type Drc = { kind: string; metadata: { name: string }; spec: { deploymentTemplate: { spec: { template: { spec: { containers: { name: string; securityContext: never }[] } } } } } };
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'install/runtime-configs.yaml'), 'utf8')).map((d) => d.toJSON() as Drc);
  const drc = docs.find((d) => d.kind === 'DeploymentRuntimeConfig' && d.metadata.name === `${PLATFORM.functionPrefix}-${fn}-runtime`);
  const container = drc?.spec.deploymentTemplate.spec.template.spec.containers.find((c) => c.name === 'package-runtime');
  if (!container) throw new Error(`install/runtime-configs.yaml has no package-runtime container for ${fn}`);
  return container.securityContext;
}

const NAMES = FUNCTIONS.map((f) => f.name);
let images: Map<string, BuiltStage>;

beforeAll(async () => {
  // npm ci in the build stage: the same command; npm prefers its cache, which
  // `make install` filled from the same package-lock.json (no network in a netns).
  images = await buildImages(ROOT, { arg: 'FUNCTION', values: NAMES }, { npm_config_prefer_offline: 'true' });
  // A bound for a hang: npm ci and four bundles on a busy 2-core machine.
}, 900_000);
afterAll(() => {
  for (const dir of new Set([...(images?.values() ?? [])].map((i) => dirname(i.root)))) rmSync(dir, { recursive: true, force: true });
});

describe.each(NAMES)('the %s image', (fn) => {
  it('runs every RUN step with exit code 0; the --help step prints the flags and fills the compile cache', () => {
    const image = images.get(fn)!;
    const help = image.runs.find((r) => r.argv.includes('--help'));
    expect(help, 'a RUN step runs the bundle with --help').toBeDefined();
    expect(help!.code).toBe(0);
    expect(help!.stdout).toContain('--tls-server-certs-dir');
    const cache = hostPath(image, image.env.NODE_COMPILE_CACHE);
    expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
  });

  it('its ENTRYPOINT serves RunFunction with mutual TLS as the pod runs it, from the compile cache, and stops on SIGTERM', async () => {
    const image = images.get(fn)!;
    const pod = podSecurity(fn);
    // The image is built; from here on its filesystem is read-only for the pod's user when the pod says so.
    if (pod.readOnlyRootFilesystem) execFileSync('chmod', ['-R', 'a-w', image.root]);
    const port = Number(image.expose[0]);
    if (await portOpen(port)) throw new Error(`port ${port} is already in use: a function left over from an earlier run?`);
    // What Crossplane mounts: its root CA (ca.crt) and a server certificate it signed; Kubernetes
    // Secret volumes are mode 0644, so the image's user reads them.
    const tls = hostPath(image, '/tls/server');
    mkdirSync(tls, { recursive: true });
    const ca = makeCa(tls, 'ca');
    issueLeaf(tls, 'tls', ca, { subject: '/CN=localhost', extendedKeyUsage: 'serverAuth', subjectAltName: 'DNS:localhost,IP:127.0.0.1' });
    const client = issueLeaf(tls, 'client', ca);
    for (const f of readdirSync(tls)) chmodSync(join(tls, f), 0o644);

    const child = startImage(image, ['--address', `127.0.0.1:${port}`, '--tls-server-certs-dir', tls], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' }, `${pod.runAsUser}:${pod.runAsGroup}`);
    let output = '';
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    let code: number | null = null;
    try {
      await Promise.race([waitForPort(port), exited.then((c) => Promise.reject(new Error(`ENTRYPOINT exited ${c}: ${output}`)))]);
      const credentials = grpc.credentials.createSsl(readFileSync(ca.cert), readFileSync(client.key), readFileSync(client.cert));
      const grpcClient = functionClient(`localhost:${port}`, credentials);
      try {
        const source = (await import(pathToFileURL(join(ROOT, 'functions', fn, 'function.ts')).href)) as { compose: ComposeFunction };
        const rsp = await runFunction(grpcClient, await convergedRequest(fn, source.compose), 60_000);
        expect(fatals(rsp)).toEqual([]);
        expect(Object.keys(rsp.desired?.resources ?? {}).length).toBeGreaterThan(0);
      } finally {
        grpcClient.close();
      }
      expect(output).toMatch(/V8 code cache for ESM file:\S+\/app\/main\.mjs was accepted/);
    } finally {
      child.kill('SIGTERM');
      // Stopped before the next image takes the same port, also when the test failed.
      code = await exited;
    }
    expect(code).toBe(0);
  });
});

it('exposes the port the functions listen on by default (the SDK default Crossplane dials)', () => {
  for (const image of images.values()) expect(image.expose).toEqual([DEFAULT_ADDRESS.split(':').at(-1)]);
});
