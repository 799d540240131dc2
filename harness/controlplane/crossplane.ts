/**
 * Crossplane core on the local control plane, with this repository's
 * function packages, and the harness acting as Crossplane's `External`
 * package runtime: it serves each function itself (TLS, certificate signed by
 * Crossplane's root CA, so Crossplane's client certificate is checked: mutual
 * TLS as in a cluster) and writes the endpoint into the active
 * FunctionRevision's status, which is all Crossplane's function runner reads
 * (internal/xfn/function_runner.go, v2.2.1).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FUNCTIONS, type FunctionEntry } from '../../functions/catalog.js';
import { PLATFORM } from '../../functions/lib/platform.js';
import { xpkgBuildArgs } from '../package.js';
import { functionCommand } from '../servers.js';
import { ROOT, runTool } from '../tools.js';
import type { Kubectl } from './kubectl.js';
import { issue } from './pki.js';
import { freePort, startListener, startProcess, type Proc, until } from './processes.js';

export const CROSSPLANE_NS = 'crossplane-system';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; status?: Record<string, unknown> };

export function conditionOf(obj: { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } } | undefined, type: string) {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

/** `crossplane core init` (retried: on a fresh API server it can race CRD discovery), then `core start`. */
export async function startCrossplane(state: string, bin: string, kubeconfig: string, kubectl: Kubectl, step: (m: string) => void): Promise<Proc> {
  const crds = join(ROOT, '.build/crossplane-crds');
  if (!existsSync(crds)) throw new Error(`${crds} is missing: run \`make controlplane-tools\``);
  await kubectl.ok(['create', 'namespace', CROSSPLANE_NS]);
  const env = {
    KUBECONFIG: kubeconfig,
    POD_NAMESPACE: CROSSPLANE_NS,
    POD_SERVICE_ACCOUNT: 'crossplane',
    CRDS_PATH: crds,
    ENABLE_WEBHOOKS: 'false',
    // The Secret names the Helm chart gives (cluster/charts/crossplane/templates/deployment.yaml).
    TLS_CA_SECRET_NAME: 'crossplane-root-ca',
    TLS_CLIENT_SECRET_NAME: 'crossplane-tls-client',
  };
  // Seen: `no matches for kind "Lock"` right after it created the CRDs, for
  // as long as the API server takes to serve them (seconds; longer when busy).
  const deadline = Date.now() + 120_000;
  for (let attempt = 1; ; attempt++) {
    const init = startProcess(`crossplane-init-${attempt}`, join(bin, 'crossplane'), ['core', 'init'], { dir: state, env });
    const code = await new Promise<number | null>((done) => init.child.once('exit', (c) => done(c)));
    if (code === 0) break;
    if (Date.now() > deadline) throw new Error(`crossplane core init failed ${attempt} times in 120 s; see ${init.log}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
  step('crossplane core init done (CRDs, root CA, client certificate)');

  // Crossplane reads its client certificate from files, as from a mounted Secret.
  const client = await kubectl.get<{ data: Record<string, string> }>(['-n', CROSSPLANE_NS, 'secret', 'crossplane-tls-client']);
  if (!client) throw new Error('crossplane core init did not write Secret crossplane-tls-client');
  const certs = join(state, 'crossplane-tls-client');
  mkdirSync(certs, { recursive: true });
  for (const key of ['tls.crt', 'tls.key', 'ca.crt']) writeFileSync(join(certs, key), Buffer.from(client.data[key], 'base64'));

  const cache = join(state, 'xpkg-cache');
  mkdirSync(cache, { recursive: true });
  // Its metrics and health servers bind every interface and no flag narrows
  // them: free ports at least (and the netns/CI machine keeps them private).
  const [metrics, health] = [await freePort(), await freePort()];
  const core = startProcess(
    'crossplane',
    join(bin, 'crossplane'),
    [
      'core',
      'start',
      '--package-runtime',
      'External',
      '--enable-webhooks=false',
      '--tls-client-certs-dir',
      certs,
      '--cache-dir',
      cache,
      '--metrics-port',
      String(metrics),
      '--health-probe-port',
      String(health),
      // No --poll-interval: with realtime compositions (the default) XRs are
      // not polled at all (internal/controller/apiextensions/definition/reconciler.go,
      // WithPollInterval(0)); they reconcile on watch events and the function's
      // TTL (functions/lib/function/compose.ts NOT_READY_RECHECK_SECONDS).
    ],
    { dir: state, env },
  );
  step('crossplane core start (package runtime External, webhooks off)');
  return core;
}

/** An in-memory OCI registry on 127.0.0.1 (tools/registry); its host:port. */
export async function startRegistry(state: string, bin: string): Promise<{ proc: Proc; host: string }> {
  const { proc, address } = await startListener('registry', join(bin, 'registry'), state);
  // go-containerregistry speaks plain HTTP to localhost:PORT (no CA needed).
  return { proc, host: address.replace('127.0.0.1', 'localhost') };
}

export function packageRef(registryHost: string, fn: FunctionEntry): string {
  return `${registryHost}/platform-definitions/${PLATFORM.functionPrefix}-${fn.name}:${PLATFORM.packageVersion}`;
}

/** `crossplane xpkg build` + `push` of every function package (metadata only: the runtime is the harness). */
export function pushPackages(state: string, registryHost: string): void {
  for (const fn of FUNCTIONS) {
    const file = join(state, `${fn.name}.xpkg`);
    const built = runTool('crank', xpkgBuildArgs(fn.name, file, false));
    if (built.code !== 0) throw new Error(`crossplane xpkg build ${fn.name}: ${built.stderr}`);
    const pushed = runTool('crank', ['xpkg', 'push', '-f', file, packageRef(registryHost, fn)]);
    if (pushed.code !== 0) throw new Error(`crossplane xpkg push ${fn.name}: ${pushed.stderr}`);
  }
}

/** The ImageConfig that points the generated Functions (unchanged) at the local registry. */
export function imageConfig(registryHost: string): Obj {
  return {
    apiVersion: 'pkg.crossplane.io/v1beta1',
    kind: 'ImageConfig',
    metadata: { name: 'e2e-local-registry' },
    spec: { matchImages: [{ type: 'Prefix', prefix: PLATFORM.registry }], rewriteImage: { prefix: `${registryHost}/platform-definitions` } },
  };
}

/** install/functions.yaml; packages with dependencies that cannot be pulled here skip resolution (reported by the caller). */
export function functionObjects(): { objects: Obj[]; skipped: string[] } {
  const objects = parseAllDocuments(readFileSync(join(ROOT, 'install/functions.yaml'), 'utf8')).map((d) => d.toJSON() as Obj);
  const skipped: string[] = [];
  for (const fn of FUNCTIONS.filter((f) => f.dependsOn?.length)) {
    const obj = objects.find((o) => o.metadata.name === `${PLATFORM.functionPrefix}-${fn.name}`);
    if (!obj) throw new Error(`install/functions.yaml has no Function for ${fn.name}`);
    obj.spec = { ...obj.spec, skipDependencyResolution: true };
    skipped.push(...fn.dependsOn!.map((d) => `${obj.metadata.name} depends on ${d.package} ${d.minimum}`));
  }
  return { objects, skipped };
}

export interface ServedFunction {
  fn: FunctionEntry;
  port: number;
  proc: Proc;
}

/**
 * Serve each function with TLS on a free loopback port: server certificate
 * for localhost (the name gRPC checks for dns:///localhost:PORT) signed by
 * Crossplane's root CA, which also verifies Crossplane's client certificate.
 * Also the Secret named in each revision's status.tlsServerSecretName.
 */
export async function serveFunctions(state: string, kubectl: Kubectl): Promise<ServedFunction[]> {
  const root = await kubectl.get<{ data: Record<string, string> }>(['-n', CROSSPLANE_NS, 'secret', 'crossplane-root-ca']);
  if (!root) throw new Error('Secret crossplane-root-ca is missing (crossplane core init makes it)');
  const dir = join(state, 'functions-pki');
  mkdirSync(dir, { recursive: true });
  const ca = { cert: join(dir, 'root-ca.crt'), key: join(dir, 'root-ca.key') };
  writeFileSync(ca.cert, Buffer.from(root.data['tls.crt'], 'base64'));
  writeFileSync(ca.key, Buffer.from(root.data['tls.key'], 'base64'), { mode: 0o600 });

  const served: ServedFunction[] = [];
  for (const fn of FUNCTIONS) {
    const certs = join(dir, fn.name);
    mkdirSync(certs, { recursive: true });
    const pair = issue(certs, 'server', ca, { cn: `${PLATFORM.functionPrefix}-${fn.name}`, usage: 'server', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    writeFileSync(join(certs, 'tls.crt'), readFileSync(pair.cert));
    writeFileSync(join(certs, 'tls.key'), readFileSync(pair.key));
    writeFileSync(join(certs, 'ca.crt'), readFileSync(ca.cert));
    await kubectl.apply([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/tls',
        metadata: { name: `${PLATFORM.functionPrefix}-${fn.name}-tls-server`, namespace: CROSSPLANE_NS },
        data: Object.fromEntries(['tls.crt', 'tls.key', 'ca.crt'].map((k) => [k, readFileSync(join(certs, k)).toString('base64')])),
      },
    ]);
    const port = await freePort();
    const proc = startProcess(`function-${fn.name}`, ...functionCommand({ entry: fn.name, port, tlsCertsDir: certs }), { dir: state, cwd: ROOT });
    served.push({ fn, port, proc });
  }
  return served;
}

interface Revision extends Obj {
  spec: { desiredState: string };
  status?: { endpoint?: string; tlsServerSecretName?: string; conditions?: { type: string; status: string }[] };
}

/**
 * What a runtime controller would do: on each active FunctionRevision set
 * status.endpoint, status.tlsServerSecretName and RuntimeHealthy, until every
 * Function is Healthy (Crossplane may write the status in between: repeat).
 */
export async function connectRevisions(kubectl: Kubectl, served: ServedFunction[], timeoutMs: number): Promise<void> {
  await until(
    'every Function to be Healthy',
    async () => {
      const revisions = await kubectl.list<Revision>(['functionrevisions.pkg.crossplane.io']);
      for (const s of served) {
        const name = `${PLATFORM.functionPrefix}-${s.fn.name}`;
        const rev = revisions.find((r) => r.metadata.labels?.['pkg.crossplane.io/package'] === name && r.spec.desiredState === 'Active');
        if (!rev) continue;
        const endpoint = `dns:///localhost:${s.port}`;
        if (rev.status?.endpoint === endpoint && conditionOf(rev, 'RuntimeHealthy')?.status === 'True') continue;
        const conditions = (rev.status?.conditions ?? []).filter((c) => c.type !== 'RuntimeHealthy');
        conditions.push({ type: 'RuntimeHealthy', status: 'True', reason: 'HealthyPackageRevision', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } as never);
        await kubectl.run([
          'patch',
          'functionrevisions.pkg.crossplane.io',
          rev.metadata.name,
          '--subresource=status',
          '--type=merge',
          '-p',
          JSON.stringify({ status: { endpoint, tlsServerSecretName: `${name}-tls-server`, conditions } }),
        ]);
      }
      const fns = await kubectl.list<Obj>(['functions.pkg.crossplane.io']);
      return fns.length === served.length && fns.every((f) => conditionOf(f, 'Healthy')?.status === 'True');
    },
    timeoutMs,
    1_000,
  );
}
