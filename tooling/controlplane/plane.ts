/**
 * The whole local control plane for `make e2e-local`: Kubernetes (kube.ts),
 * the third-party CRDs the stacks compose, Crossplane with this repository's
 * function packages from a local registry and the functions served by the
 * harness (crossplane.ts), then the generated RBAC, XRDs and Compositions.
 * State lives in a temp dir; stop() ends every process by its PID.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../tools.js';
import { CROSSPLANE_NS, conditionOf, connectRevisions, functionObjects, imageConfig, pushPackages, serveFunctions, startCrossplane, startRegistry } from './crossplane.js';
import { startKube } from './kube.js';
import type { Kubectl } from './kubectl.js';
import { stopAll, until } from './processes.js';

export const BIN = join(ROOT, '.tools/bin');
/** Upstream CRDs of the kinds the functions compose or read, each with its source in a header comment. */
/**
 * The third-party CRDs the stacks compose or read, of the pinned releases
 * (functions/lib/pins.ts): the same files the schema tests validate against.
 */
export const THIRD_PARTY_CRDS = join(ROOT, 'test/upstream/crds');

const filesIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(ROOT, dir, f));

export interface Plane {
  state: string;
  kubectl: Kubectl;
  /** Seconds each phase took, in order. */
  timings: [string, number][];
  /** Dependencies the harness could not install, said out loud. */
  notInstalled: string[];
  /** host:port of the plane's OCI registry (plain HTTP on loopback). */
  registry: string;
  stop(keepState?: boolean): Promise<void>;
}

export function log(msg: string): void {
  process.stderr.write(`[e2e-local] ${msg}\n`);
}

export async function startPlane(): Promise<Plane> {
  const state = mkdtempSync(join(tmpdir(), 'e2e-local-'));
  const timings: [string, number][] = [];
  let t = Date.now();
  const phase = (name: string) => {
    const s = (Date.now() - t) / 1000;
    timings.push([name, s]);
    log(`${name}: ${s.toFixed(1)} s`);
    t = Date.now();
  };
  log(`state in ${state}`);
  const stop = async (keepState = false) => {
    await stopAll();
    if (!keepState) rmSync(state, { recursive: true, force: true });
    else log(`kept ${state} (logs of every process)`);
  };
  try {
    const registry = await startRegistry(state, BIN);
    pushPackages(state, registry.host);
    phase(`function packages built and pushed to ${registry.host}`);

    const kube = await startKube(state, BIN, log);
    const { kubectl } = kube;
    phase('Kubernetes up (etcd, kube-apiserver, kube-controller-manager)');

    for (const f of filesIn('test/upstream/crds')) await kubectl.apply(readFileSync(f, 'utf8'));
    await kubectl.ok(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    phase('third-party CRDs Established');

    await startCrossplane(state, BIN, kube.kubeconfig, kubectl, log);
    await kubectl.apply([imageConfig(registry.host)]);
    const fns = functionObjects();
    await kubectl.apply(fns.objects);
    for (const s of fns.skipped) log(`NOT INSTALLED: ${s} (no registry access here); its CRDs come from ${THIRD_PARTY_CRDS}`);
    await until('a FunctionRevision per Function', async () => (await kubectl.list(['functionrevisions.pkg.crossplane.io'])).length >= fns.objects.length, 180_000, 1_000);
    const served = await serveFunctions(state, kubectl);
    await connectRevisions(kubectl, served, 180_000);
    phase('Crossplane up, Functions Healthy (served by the harness over TLS)');

    await kubectl.apply(readFileSync(join(ROOT, 'install/rbac.yaml'), 'utf8'));
    for (const f of filesIn('xrds')) await kubectl.apply(readFileSync(f, 'utf8'));
    let xrdState = '';
    await until('every XRD Established and Offered', async () => {
      const xrds = await kubectl.list<{ metadata: { name: string }; status?: { conditions?: { type: string; status: string; message?: string }[] } }>(['compositeresourcedefinitions.apiextensions.crossplane.io']);
      // What is not there yet, with Crossplane's message.
      xrdState = xrds.flatMap((x) => ['Established', 'Offered'].map((type) => [x.metadata.name, type, conditionOf(x, type)] as const))
        .filter(([, , c]) => c?.status !== 'True').map(([name, type, c]) => `${name} ${type}=${c?.status ?? 'unset'}: ${c?.message ?? ''}`).join('; ');
      return xrdState === '';
    }, 180_000, 1_000).catch(async (e: Error) => {
      // A CRD the API server refuses shows in the XRD's Warning events only.
      const events = await kubectl.run(['get', 'events', '-A', '--field-selector', 'involvedObject.kind=CompositeResourceDefinition,type=Warning', '-o', 'jsonpath={range .items[*]}{.message}{"\n"}{end}']);
      throw new Error(`${e.message}; ${xrdState}; ${[...new Set(events.stdout.split('\n'))].join('; ')}`);
    });
    for (const f of filesIn('compositions')) await kubectl.apply(readFileSync(f, 'utf8'));
    phase('RBAC, XRDs (Established, Offered) and Compositions applied');
    return { state, kubectl, timings, notInstalled: fns.skipped, registry: registry.host, stop };
  } catch (e) {
    log(`start failed: ${(e as Error).message}`);
    await stop(true);
    throw e;
  }
}

export { CROSSPLANE_NS, conditionOf };
