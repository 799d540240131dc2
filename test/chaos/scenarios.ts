/**
 * The faults of issue 25, each as a {@link Fault} for harness.ts. Process
 * faults come from harness/controlplane/faults.ts; what each one stands for
 * in a cluster is said there.
 */
import { join } from 'node:path';
import type { FunctionEntry } from '../../functions/catalog.js';
import { PLATFORM } from '../../functions/lib/platform.js';
import {
  freeze,
  functionCalls,
  functionNamed,
  functionProcessName,
  inFlight,
  kill,
  listening,
  processNamed,
  pushPackageVersion,
  releasedMain,
  restartApiServer,
  restartCrossplane,
  rollOut,
  servedFunctions,
  startAgain,
  thaw,
} from '../../harness/controlplane/faults.js';
import { until, type Proc } from '../../harness/controlplane/processes.js';
import { ROOT } from '../../harness/tools.js';
import type { Deletion } from '../../harness/controlplane/deletions.js';
import type { Chaos, Fault } from './harness.js';
import { sortedJson, type State } from './state.js';

const functionObject = (fn: FunctionEntry) => `${PLATFORM.functionPrefix}-${fn.name}`;
const claimsOf = (state: State, fn: FunctionEntry) => (claim: string) => fn.apis.some((a) => claim.startsWith(`${a.claimKind}/`)) && state.claims[claim] !== undefined;

/**
 * Wait until Crossplane has a call to the function in flight. The function is
 * frozen first, so a call that starts cannot end: the kill that follows is
 * certain to land in the middle of a reconcile, as Crossplane sees it (it has
 * sent the request and waits for the answer).
 */
async function callInFlight(chaos: Chaos, fn: FunctionEntry): Promise<void> {
  const state = await chaos.state();
  await chaos.poke(state, claimsOf(state, fn));
  await until(
    `Crossplane to have a call to ${functionObject(fn)} in flight (its function_run_function_request_total above its responses)`,
    async () => inFlight((await functionCalls())[functionObject(fn)]) > 0,
    120_000,
    200,
  );
}

/** (1) The function SIGKILLed with calls in flight, then started again (as the kubelet would). */
export function functionKilled(name: string): Fault {
  const fn = functionNamed(name);
  let victim: Proc | undefined;
  return {
    name: `function ${name} SIGKILLed mid-reconcile, restarted`,
    reach: `${fn.apis.map((a) => a.claimKind).join(', ')} claims`,
    async inject(chaos) {
      victim = processNamed(functionProcessName(fn));
      freeze(victim);
      await callInFlight(chaos, fn);
      await kill(victim);
    },
    async heal() {
      const again = startAgain(victim!);
      await listening(again, portOf(again));
    },
    how: 'from the restarted function listening again to every claim back (state polled every 1 s)',
  };
}

const portOf = (p: Proc) => Number(p.launch!.args[p.launch!.args.indexOf('--address') + 1].split(':').pop());

/**
 * (2) The function unreachable (frozen: a partition) for `seconds`, with
 * reconciles asked for meanwhile, then back.
 */
export function functionUnreachable(name: string, seconds: number): Fault {
  const fn = functionNamed(name);
  return {
    name: `function ${name} unreachable for ${seconds} s (partition), then back`,
    reach: `${fn.apis.map((a) => a.claimKind).join(', ')} claims`,
    async inject(chaos) {
      freeze(processNamed(functionProcessName(fn)));
      await callInFlight(chaos, fn);
    },
    async hold() {
      // The length of the partition is the fault's definition, not a wait for something.
      await new Promise((r) => setTimeout(r, seconds * 1000));
    },
    async heal() {
      thaw(processNamed(functionProcessName(fn)));
    },
    how: `from the function answering again (SIGCONT after ${seconds} s) to every claim back (state polled every 1 s)`,
  };
}

/** (3a) Crossplane core restarted (SIGTERM, same arguments). */
export function crossplaneRestarted(): Fault {
  return {
    name: 'Crossplane restarted',
    reach: 'every claim',
    async inject() {
      await restartCrossplane();
    },
    how: 'from Crossplane answering /readyz again to every claim back (state polled every 1 s)',
  };
}

/** (3b) kube-apiserver restarted (SIGTERM, same arguments; etcd and its data stay). */
export function apiServerRestarted(): Fault {
  return {
    name: 'kube-apiserver restarted (etcd kept)',
    reach: 'every claim',
    async inject(chaos) {
      await restartApiServer(chaos.kubectl);
    },
    how: 'from kube-apiserver answering /readyz again to every claim back (state polled every 1 s)',
  };
}

/** The label the upgraded function adds, and the fixture that serves it. */
export const UPGRADE_LABEL = `${PLATFORM.group}/chaos-upgrade`;
export const UPGRADE_TAG = `${PLATFORM.packageVersion}-chaos.1`;
const UPGRADED_MAIN = join(ROOT, 'test/chaos/upgraded-function.ts');

/** The state with the upgrade's label on the `kind` object of every claim the function composes (add), or on none (remove). */
function upgradeLabel(state: State, fn: FunctionEntry, kind: string, add: boolean): State {
  const out: State = structuredClone(state);
  for (const [claim, c] of Object.entries(out.claims)) {
    if (!claimsOf(out, fn)(claim)) continue;
    for (const [key, labels] of Object.entries(c.composed)) {
      if (key.split('/').at(-3) !== kind || labels === 'missing' || labels === 'terminating') continue;
      const rest = JSON.parse(labels) as Record<string, string>;
      delete rest[UPGRADE_LABEL];
      c.composed[key] = sortedJson(add ? { ...rest, [UPGRADE_LABEL]: UPGRADE_TAG } : rest);
    }
  }
  return out;
}

/**
 * (4) A new package version of the function whose output differs (UPGRADE_LABEL
 * on one composed object, `resource`), rolled out under live claims.
 */
export function functionUpgraded(name: string, resource: string, kind: string): Fault {
  const fn = functionNamed(name);
  return {
    name: `function ${name} upgraded to a new package revision (label on ${kind})`,
    reach: `${fn.apis.map((a) => a.claimKind).join(', ')} claims`,
    async inject(chaos) {
      await pushPackageVersion(chaos.kubectl, chaos.plane.state, fn, UPGRADE_TAG);
      await rollOut(chaos.kubectl, fn, { tag: UPGRADE_TAG, main: UPGRADED_MAIN, env: { CHAOS_FUNCTION: name, CHAOS_RESOURCE: resource, CHAOS_LABEL: UPGRADE_LABEL, CHAOS_VALUE: UPGRADE_TAG } });
    },
    expect: (before) => upgradeLabel(before, fn, kind, true),
    how: 'from the new revision Healthy (the old server stopped) to every claim carrying the label, nothing else changed (state polled every 1 s)',
  };
}

/** (4) ... and rolled back to the released package. */
export function functionRolledBack(name: string, kind: string): Fault {
  const fn = functionNamed(name);
  return {
    name: `function ${name} rolled back to the released revision`,
    reach: `${fn.apis.map((a) => a.claimKind).join(', ')} claims`,
    async inject(chaos) {
      await rollOut(chaos.kubectl, fn, { tag: PLATFORM.packageVersion, main: releasedMain(fn) });
    },
    // Back to the state before the upgrade: the label gone again.
    expect: (before) => upgradeLabel(before, fn, kind, false),
    how: 'from the released revision Healthy again to every claim back to the state before the upgrade: label gone (state polled every 1 s)',
  };
}

/** (5) A composed object deleted by hand (kubectl delete), and with a Namespace everything in it. */
export function composedDeleted(what: { resource: string; namespace?: string; name: string }, label: string): Fault {
  const deleted: Deletion[] = [];
  return {
    name: `composed ${label} deleted by hand`,
    reach: `the claim that composed it`,
    async inject(chaos) {
      await chaos.kubectl.ok(['delete', what.resource, ...(what.namespace ? ['-n', what.namespace] : []), what.name, '--wait=false']);
    },
    intended: (d) => {
      const hit = (d.name === what.name && (d.namespace ?? '') === (what.namespace ?? '')) || (what.resource === 'namespace' && d.namespace === what.name);
      if (hit) deleted.push(d);
      return hit;
    },
    how: 'from `kubectl delete` to every claim back, the object made again (state polled every 1 s)',
  };
}

/**
 * (5) An operator Secret a claim requires deleted, the function called
 * without it (every affected claim's status says the Secret is missing),
 * then the same Secret created again.
 */
export function operatorSecretDeletedAndRecreated(namespace: string, name: string, claimKind: string, mentions: string): Fault {
  let saved: Record<string, unknown> | undefined;
  const referencing = (claim: string) => claim.startsWith(`${claimKind}/${namespace}/`);
  return {
    name: `operator Secret ${namespace}/${name} deleted, then recreated`,
    reach: `${claimKind} claims in ${namespace}`,
    async inject(chaos) {
      const s = await chaos.kubectl.get<{ data: Record<string, string>; type?: string }>(['-n', namespace, 'secret', name]);
      if (!s) throw new Error(`Secret ${namespace}/${name} is not there to delete`);
      saved = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: s.type, data: s.data };
      await chaos.kubectl.ok(['-n', namespace, 'delete', 'secret', name]);
    },
    async hold(chaos) {
      // Crossplane does not watch required resources: ask for a reconcile, and wait
      // until each claim that references the Secret says, in its status, that it is missing.
      await chaos.poke(await chaos.state(), referencing);
      let pending: string[] = [];
      await until(
        `every ${claimKind} in ${namespace} to report the missing Secret ${name} ("${mentions}")`,
        async () => {
          const now = await chaos.state();
          pending = Object.entries(now.claims)
            .filter(([k, c]) => referencing(k) && !c.status.includes(mentions))
            .map(([k]) => k);
          return pending.length === 0;
        },
        180_000,
        1_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; not yet: ${pending.join(', ')}`);
      });
    },
    async heal(chaos) {
      await chaos.kubectl.apply([saved!]);
      await chaos.poke(await chaos.state(), referencing);
    },
    how: 'from the Secret created again (and a reconcile asked for) to every claim back (state polled every 1 s)',
  };
}

/**
 * (6) Each function SIGKILLed and started again while many new claims
 * compose: frozen first, so the kill lands while Crossplane waits for a call.
 */
export async function restartWhileComposing(names: string[]): Promise<void> {
  for (const name of names) {
    const fn = functionNamed(name);
    const served = servedFunctions().find((s) => s.fn === fn)!;
    freeze(served.proc);
    await until(`Crossplane to have a call to ${functionObject(fn)} in flight`, async () => inFlight((await functionCalls())[functionObject(fn)]) > 0, 300_000, 200);
    await kill(served.proc);
    const again = startAgain(served.proc);
    await listening(again, served.port);
  }
}

/**
 * Password copies of each realtime platform that disagree once settled (fault
 * 6: passwords generated while the function was killed must end up the same
 * everywhere): `platform-credentials` and its copy in the claim namespace, and
 * each connection Secret with its twin of the same name in the other namespace.
 */
export function realtimeCopiesDisagree(state: State): string[] {
  const out: string[] = [];
  for (const [claim, c] of Object.entries(state.claims)) {
    if (!claim.startsWith('RealtimePlatformClaim/')) continue;
    const secrets = Object.keys(c.composed).filter((k) => k.startsWith('core/Secret/'));
    const data = (k: string) => JSON.stringify(state.secrets[k] ?? null);
    const credentials = secrets.find((k) => k.endsWith('/platform-credentials'));
    const backup = secrets.find((k) => k.endsWith('-platform-credentials-backup'));
    if (!credentials || !backup) out.push(`${claim}: credentials or their copy not composed`);
    else if (data(credentials) !== data(backup)) out.push(`${claim}: ${credentials} and ${backup} differ`);
    const byName = new Map<string, string[]>();
    for (const k of secrets) byName.set(k.split('/').at(-1)!, [...(byName.get(k.split('/').at(-1)!) ?? []), k]);
    for (const [name, twins] of byName) if (twins.length === 2 && data(twins[0]) !== data(twins[1])) out.push(`${claim}: the two ${name} differ`);
  }
  return out;
}
