/**
 * What the simulated controllers do on the plane, said out loud. The kwok
 * Stages of harness/controlplane/stages/ write the status each controller
 * writes and create the objects it creates (the Secret External Secrets syncs
 * for an ExternalSecret, the connection Secret provider-terraform publishes
 * for a Workspace); kwok applies and patches with its own field manager.
 * startSimulations watches the plane and logs each simulated status and each
 * created object once, as "SIMULATED: <what>, as <controller> <version> would
 * (<source>)", the controller and source taken from the Stage's
 * platform.example.org/simulates annotation. It never prints a value, and it
 * writes nothing: whatever a Stage can do, a Stage does.
 */
import type { Kubectl } from './kubectl.js';
import { kindKey, stages, type StageSummary } from './stages.js';

/** kwok's field manager (sigs.k8s.io/kwok v0.8.0 pkg/consts ProjectName; pkg/utils/lifecycle/apply.go, pkg/kwok/controllers/stage_controller.go). */
export const KWOK_MANAGER = 'kwok';

export interface Live {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    ownerReferences?: { apiVersion: string; kind: string; name: string; controller?: boolean }[];
    managedFields?: { manager?: string; subresource?: string }[];
  };
  type?: string;
  data?: Record<string, string>;
  status?: { conditions?: { type: string; status: string }[] };
}

const byKind = (all: StageSummary[]) => {
  const m = new Map<string, StageSummary[]>();
  for (const s of all) m.set(kindKey(s.apiVersion, s.kind), [...(m.get(kindKey(s.apiVersion, s.kind)) ?? []), s]);
  return m;
};
const as = (ss: StageSummary[]) => `as ${[...new Set(ss.map((s) => s.simulates))].join('; ')} would; kwok Stage ${ss.map((s) => s.name).join(', ')}`;
const where = (o: Live) => `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/**
 * The log line for a live object kwok wrote, or undefined: a status a Stage
 * patched (conditions by type and status, no other field), or an object a
 * Stage created for its owner (keys only, never values).
 */
export function describeSimulated(o: Live, all: StageSummary[] = stages()): string | undefined {
  const fields = o.metadata.managedFields ?? [];
  const stagesOf = byKind(all);
  const own = stagesOf.get(kindKey(o.apiVersion, o.kind));
  if (own && fields.some((f) => f.manager === KWOK_MANAGER && f.subresource === 'status')) {
    const conditions = (o.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(', ');
    return `SIMULATED: status of ${o.kind} ${where(o)} (${conditions || 'no conditions'}), ${as(own)}`;
  }
  if (!fields.some((f) => f.manager === KWOK_MANAGER && !f.subresource)) return undefined;
  const owner = o.metadata.ownerReferences?.find((r) => r.controller);
  const ownerStages = owner && stagesOf.get(kindKey(owner.apiVersion, owner.kind));
  if (!owner || !ownerStages) return `SIMULATED: ${o.kind} ${where(o)}, created by a kwok Stage`;
  const keys = Object.keys(o.data ?? {})
    .sort()
    .join(', ');
  return `SIMULATED: ${o.kind} ${where(o)}${o.type ? ` (${o.type})` : ''} for ${owner.kind} ${owner.name}, keys ${keys || '(none)'} (placeholder values), ${as(ownerStages)}`;
}

const POLL_MS = 2_000;

/**
 * Log what the Stages simulate, once per object and state, until stop(). The
 * plane calls it once kwok runs with the Stages.
 */
export async function startSimulations(kubectl: Kubectl, log: (m: string) => void): Promise<{ stop(): Promise<void> }> {
  const all = stages();
  // Every staged kind, as kind.version.group, and the Secrets the Stages create; --show-managed-fields
  // because kubectl hides them by default.
  const resources = [...new Set(all.map((s) => `${s.kind.toLowerCase()}.${s.apiVersion.split('/')[1]}.${s.apiVersion.split('/')[0]}`)), 'secrets'].join(',');
  const seen = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const scan = async () => {
    const r = await kubectl.run(['get', resources, '-A', '-o', 'json', '--show-managed-fields']);
    if (r.code !== 0) return; // the plane may be stopping; a lasting failure shows in the tests that wait for these objects
    for (const o of (JSON.parse(r.stdout) as { items: Live[] }).items) {
      const line = describeSimulated(o, all);
      if (line && !seen.has(line)) {
        seen.add(line);
        log(line);
      }
    }
  };
  const loop = () => {
    if (stopped) return;
    running = scan().catch((e: Error) => log(`simulations: ${e.message}`));
    void running.then(() => {
      if (!stopped) timer = setTimeout(loop, POLL_MS);
    });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
