/**
 * The whole local control plane of `make e2e-local` and `make up`:
 * Kubernetes (kube.ts: etcd, kube-apiserver, kube-controller-manager with
 * the workload controllers, kube-scheduler), the third-party CRDs the stacks
 * compose, kwok playing the kubelet of fake Nodes (nodes.ts), Crossplane
 * with this repository's function packages from a local registry and the
 * functions served by the harness (crossplane.ts), the generated RBAC, XRDs
 * and Compositions, KubeVela's controller with its definitions and ours
 * (vela.ts), and the stand-ins for controllers that cannot run here
 * (simulated.ts, with the Stages in stages/). stop() ends every process by
 * its PID (processes.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT } from '../tools.js';
import { CROSSPLANE_NS, conditionOf, connectRevisions, functionObjects, imageConfig, pushPackages, serveFunctions, startCrossplane, startRegistry } from './crossplane.js';
import { startKube } from './kube.js';
import type { Kubectl } from './kubectl.js';
import { DEFAULT_NODES, startNodes, type FakeNode } from './nodes.js';
import { stopAll, until } from './processes.js';
import { startSimulations } from './simulated.js';
import { applyVelaCrds, startVela } from './vela.js';

export const BIN = join(ROOT, '.build/bin');
/** Where each started plane keeps its state (a new directory per plane unless PlaneOptions.state). */
export const RUNS = join(ROOT, '.build/planes');
/**
 * The third-party CRDs the stacks compose or read, of the pinned releases
 * (functions/lib/pins.ts): the same files the schema tests validate against.
 */
export const THIRD_PARTY_CRDS = join(ROOT, 'test/upstream/crds');

const filesIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(ROOT, dir, f));

export interface PlaneOptions {
  /** State directory (logs, PKI, etcd, PID files). Default: a new directory in RUNS, removed by stop(). */
  state?: string;
  /** The fake Nodes kwok manages. Default DEFAULT_NODES; an empty list runs no kwok (Pods stay Pending). */
  nodes?: FakeNode[];
  /** Run vela-core with the definitions (default true). Without it KubeVela's Application CRD of test/upstream/crds is served. */
  vela?: boolean;
  /** Log what the Stages simulate (harness/controlplane/simulated.ts; default true). */
  simulations?: boolean;
}

export interface Plane {
  state: string;
  /** Admin kubeconfig (system:masters) for kubectl and other tools. */
  kubeconfig: string;
  apiserverUrl: string;
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
  process.stderr.write(`[plane] ${msg}\n`);
}

export async function startPlane(options: PlaneOptions = {}): Promise<Plane> {
  // In this checkout's .build, not /tmp: other checkouts on the machine clean their own runs there.
  mkdirSync(RUNS, { recursive: true });
  const state = options.state ?? mkdtempSync(join(RUNS, 'plane-'));
  mkdirSync(state, { recursive: true });
  const vela = options.vela ?? true;
  const nodes = options.nodes ?? DEFAULT_NODES;
  const timings: [string, number][] = [];
  let t = Date.now();
  const phase = (name: string) => {
    const s = (Date.now() - t) / 1000;
    timings.push([name, s]);
    log(`${name}: ${s.toFixed(1)} s`);
    t = Date.now();
  };
  log(`state in ${state}`);
  let simulations: { stop(): Promise<void> } | undefined;
  const stop = async (keepState = false) => {
    await simulations?.stop();
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
    phase('Kubernetes up (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)');

    // With vela-core, its own CRDs (v1.10.9) replace the Application CRD file of test/upstream/crds.
    await kubectl.applyFiles(filesIn('test/upstream/crds').filter((f) => !(vela && basename(f).startsWith('kubevela-'))));
    if (vela) await applyVelaCrds(kubectl);
    await kubectl.ok(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
    phase(`third-party${vela ? ' and KubeVela' : ''} CRDs Established`);

    // kwok after the CRDs: its Stages may watch any of those kinds. Neither
    // kwok nor vela-core needs Crossplane: both come up while it starts
    // (awaited below; a failure is reported there).
    const started = Date.now();
    const took = () => (Date.now() - started) / 1000;
    const nodesReady = nodes.length ? startNodes(state, BIN, kube.kubeconfig, kubectl, nodes, log).then(took) : undefined;
    const velaReady = vela ? startVela(state, BIN, kube.kubeconfig, kubectl, log).then(took) : undefined;
    for (const p of [nodesReady, velaReady]) p?.catch(() => undefined);

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
    await kubectl.applyFiles(filesIn('xrds'));
    let xrdState = '';
    await until(
      'every XRD Established and Offered',
      async () => {
        const xrds = await kubectl.list<{ metadata: { name: string }; status?: { conditions?: { type: string; status: string; message?: string }[] } }>([
          'compositeresourcedefinitions.apiextensions.crossplane.io',
        ]);
        // What is not there yet, with Crossplane's message.
        xrdState = xrds
          .flatMap((x) => ['Established', 'Offered'].map((type) => [x.metadata.name, type, conditionOf(x, type)] as const))
          .filter(([, , c]) => c?.status !== 'True')
          .map(([name, type, c]) => `${name} ${type}=${c?.status ?? 'unset'}: ${c?.message ?? ''}`)
          .join('; ');
        return xrdState === '';
      },
      180_000,
      1_000,
    ).catch(async (e: Error) => {
      // A CRD the API server refuses shows in the XRD's Warning events only.
      const events = await kubectl.run([
        'get',
        'events',
        '-A',
        '--field-selector',
        'involvedObject.kind=CompositeResourceDefinition,type=Warning',
        '-o',
        'jsonpath={range .items[*]}{.message}{"\n"}{end}',
      ]);
      throw new Error(`${e.message}; ${xrdState}; ${[...new Set(events.stdout.split('\n'))].join('; ')}`);
    });
    await kubectl.applyFiles(filesIn('compositions'));
    phase('RBAC, XRDs (Established, Offered) and Compositions applied');

    // Their own durations (they ran beside Crossplane's start, not after it).
    const beside = (name: string, seconds: number) => {
      timings.push([name, seconds]);
      log(`${name}: ${seconds.toFixed(1)} s`);
    };
    if (nodesReady) beside(`kwok and ${nodes.length} fake Nodes Ready (beside Crossplane's start)`, await nodesReady);
    if (velaReady) beside("vela-core up with its definitions and ours (beside Crossplane's start)", await velaReady);
    t = Date.now();
    if (options.simulations ?? true) {
      simulations = await startSimulations(kubectl, log);
      phase('simulations started');
    }
    return { state, kubeconfig: kube.kubeconfig, apiserverUrl: kube.apiserverUrl, kubectl, timings, notInstalled: fns.skipped, registry: registry.host, stop };
  } catch (e) {
    log(`start failed: ${(e as Error).message}`);
    await stop(true);
    throw e;
  }
}

export { CROSSPLANE_NS, conditionOf };
