/**
 * Proof of the kwok Stages on a real plane, until the plane of `make
 * e2e-local` runs kwok with them itself: starts the plane (plane.ts), kwok
 * v0.8.0 with every file of harness/controlplane/stages/ and startSimulations,
 * applies the example claims whose compositions hold staged kinds (Crossplane
 * composes them through this repository's functions) and the staged objects
 * the OAM examples render (as vela-core would apply them) and the Flux
 * HelmRepositories of install/flux-sources.yaml, then waits for
 * every object of a staged kind on the plane to carry the status its readers
 * wait for, and for the Secrets the Stages create. Exit code 0 when all did.
 *
 *   tsx harness/controlplane/stages-on-plane.ts     (inside your network namespace)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments, render } from '../../cli/render.js';
import { conditionTrue, type KubeObject } from '../../functions/lib/k8s/objects.js';
import { ROOT } from '../tools.js';
import { BIN, log, startPlane } from './plane.js';
import { freePort, startProcess, until } from './processes.js';
import { startSimulations } from './simulated.js';
import { kindKey, stageFiles, stages } from './stages.js';

const WAIT_MS = 180_000;
/** Claims whose compositions hold staged kinds: ScaledObject, Repository/RepositoryFile, HelmRelease. */
const CLAIM_DIRS = ['application', 'event-driven-service', 'vcluster'];

const docs = (file: string) => parseDocuments(readFileSync(file, 'utf8'), file);
const resourceOf = (apiVersion: string, kind: string) => `${kind.toLowerCase()}.${apiVersion.split('/')[1]}.${apiVersion.split('/')[0]}`;
/**
 * What each staged kind's readers wait for (the functions' readiness checks, the definitions'
 * health policies). An OCI HelmRepository keeps the empty status source-controller leaves it
 * (flux.yaml: migrationToStatic), so no Stage matches it.
 */
const settled = (o: KubeObject) => (o.kind === 'HelmRepository' && (o.spec as { type?: string }).type === 'oci') || conditionTrue(o, o.kind === 'TFJob' ? 'Running' : 'Ready');

async function main(): Promise<number> {
  // This script runs its own kwok with only these Stages and its own simulations log: none from the plane.
  const plane = await startPlane({ nodes: [], simulations: false });
  const { kubectl } = plane;
  let sims: { stop(): Promise<void> } | undefined;
  let ok = false;
  try {
    const t0 = Date.now();
    const kwok = startProcess(
      'kwok',
      join(BIN, 'kwok'),
      [
        '--kubeconfig',
        kubectl.kubeconfig,
        ...stageFiles().flatMap((f) => ['--config', f]),
        // kwok refuses to run without managing some Nodes ("no nodes are managed"); none carry this
        // annotation here, the Stages are for custom resources only.
        '--manage-all-nodes=false',
        '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--server-address',
        `127.0.0.1:${await freePort()}`,
      ],
      { dir: plane.state },
    );
    log(`kwok started (log ${kwok.log})`);
    // Every wait ends early when kwok dies (until() retries on errors, so a flag would not stop it).
    const orKwokDies = <T>(p: Promise<T>): Promise<T> => Promise.race([p, kwok.exited]);
    sims = await startSimulations(kubectl, log);

    const staged = new Set(stages().map((s) => kindKey(s.apiVersion, s.kind)));
    const isStaged = (o: KubeObject) => staged.has(kindKey(o.apiVersion!, o.kind!));
    const objects: KubeObject[] = [...docs(join(ROOT, 'install/flux-sources.yaml'))];
    for (const dir of CLAIM_DIRS) {
      const base = join(ROOT, 'examples', dir);
      const required = existsSync(join(base, 'required.yaml')) ? docs(join(base, 'required.yaml')) : [];
      for (const f of readdirSync(base).filter((n) => /^claim.*\.yaml$/.test(n))) objects.push(...required, ...docs(join(base, f)));
    }
    for (const f of readdirSync(join(ROOT, 'examples/oam'))) {
      const r = await render(docs(join(ROOT, 'examples/oam', f)));
      objects.push(...r.nodes.filter((n) => n.parent?.relation === 'renders' && isStaged(n.object)).map((n) => n.object));
    }
    const namespaces = [...new Set(objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n))];
    await kubectl.apply(namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    // Secrets of the required files repeat across claims: apply each once.
    const unique = [...new Map(objects.map((o) => [`${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, o])).values()];
    await kubectl.apply(unique);
    log(`applied ${unique.length} objects in ${namespaces.length} namespaces`);

    const resources = [...new Set(stages().map((s) => resourceOf(s.apiVersion, s.kind)))].join(',');
    let pending: string[] = [];
    let live: KubeObject[] = [];
    await orKwokDies(
      until(
        'every object of a staged kind settled',
        async () => {
          live = await kubectl.list<KubeObject>([resources, '-A']);
          pending = live.filter((o) => !settled(o)).map((o) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
          return live.length > 0 && pending.length === 0;
        },
        WAIT_MS,
        1_000,
      ),
    ).catch((e: Error) => {
      throw new Error(`${e.message}; still pending: ${pending.join(', ')}`);
    });
    const kinds = [...new Set(live.map((o) => kindKey(o.apiVersion!, o.kind!)))].sort();
    log(`${live.length} objects of ${kinds.length} staged kinds settled in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${kinds.join(', ')}`);
    const missing = [...staged].filter((k) => !kinds.includes(k));
    if (missing.length) log(`no example object of: ${missing.join(', ')}`);

    // The Secrets the Stages create for their owners.
    const secrets = await kubectl.list<KubeObject & { metadata: { ownerReferences?: { kind: string }[] } }>(['secrets', '-A']);
    const owned = (kind: string) => secrets.filter((s) => s.metadata.ownerReferences?.some((r) => r.kind === kind)).length;
    const wanted = { ExternalSecret: live.filter((o) => o.kind === 'ExternalSecret').length, Workspace: live.filter((o) => o.kind === 'Workspace').length };
    log(`Secrets created: ${owned('ExternalSecret')} for ${wanted.ExternalSecret} ExternalSecrets, ${owned('Workspace')} for ${wanted.Workspace} Workspaces`);

    // A claim whose composition is all staged kinds becomes Ready on the Stages alone.
    const vclusters = await kubectl.list<KubeObject>(['vclusterenvironmentclaims.platform.example.org', '-A']);
    await orKwokDies(
      until(
        'the VClusterEnvironmentClaims Ready (their HelmReleases are staged)',
        async () => (await kubectl.list<KubeObject>(['vclusterenvironmentclaims.platform.example.org', '-A'])).every((c) => conditionTrue(c, 'Ready')),
        WAIT_MS,
        1_000,
      ),
    );
    log(`${vclusters.length} VClusterEnvironmentClaims Ready`);
    ok = owned('ExternalSecret') === wanted.ExternalSecret && owned('Workspace') === wanted.Workspace && missing.length === 0;
    return ok ? 0 : 1;
  } finally {
    await sims?.stop();
    await plane.stop(!ok);
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    log(`FAILED: ${e.message}`);
    process.exit(1);
  },
);
