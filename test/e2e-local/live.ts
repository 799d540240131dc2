/**
 * Reading the plane: live objects by reference, a claim's composite and what
 * it composed, and waits on conditions that fail naming what they waited for
 * and what was last seen.
 */
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import type { Kubectl } from '../../harness/controlplane/kubectl.js';
import { conditionOf } from '../../harness/controlplane/crossplane.js';
import { until } from '../../harness/controlplane/processes.js';

export type Ref = { apiVersion: string; kind: string; namespace?: string; name: string };
export type Condition = { type: string; status: string; reason?: string; message?: string };
export type Live = KubeObject & { status?: { conditions?: Condition[] } & Record<string, unknown> };

/** kubectl's resource argument for an apiVersion and kind (kind.version.group). */
export const resource = (apiVersion: string, kind: string) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `${kind}.${version}.${group}` : kind;
};

export const objectArgs = (o: KubeObject) => [...(o.metadata?.namespace ? ['-n', o.metadata.namespace] : []), resource(o.apiVersion!, o.kind!), o.metadata!.name!];

export const key = (o: { kind?: string; namespace?: string; name?: string; metadata?: { namespace?: string; name?: string } }) =>
  `${o.kind}/${o.namespace ?? o.metadata?.namespace ?? ''}/${o.name ?? o.metadata?.name}`;

export const refOf = (l: Live): Ref => ({ apiVersion: l.apiVersion!, kind: l.kind!, namespace: l.metadata?.namespace, name: l.metadata!.name! });

export async function ensureNamespaces(kubectl: Kubectl, names: (string | undefined)[]): Promise<void> {
  const wanted = [...new Set(names.filter((n): n is string => !!n))];
  await kubectl.apply(wanted.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
}

/** The live objects behind refs (one kubectl call per namespace); missing ones are absent from the result. */
export async function liveObjects(kubectl: Kubectl, refs: Ref[]): Promise<Live[]> {
  const byNs = new Map<string, Ref[]>();
  for (const r of refs) byNs.set(r.namespace ?? '', [...(byNs.get(r.namespace ?? '') ?? []), r]);
  const out: Live[] = [];
  for (const [ns, group] of byNs) {
    const r = await kubectl.run(['get', ...(ns ? ['-n', ns] : []), '--ignore-not-found', '-o', 'json', ...group.map((g) => `${resource(g.apiVersion, g.kind)}/${g.name}`)]);
    if (r.code !== 0) throw new Error(r.stderr);
    if (!r.stdout.trim()) continue;
    // kubectl prints one object as itself and several as a List.
    const got = JSON.parse(r.stdout) as Live & { items?: Live[] };
    out.push(...(got.kind === 'List' ? (got.items ?? []) : [got]));
  }
  return out;
}

/** The XR behind a claim and the refs of what it composed. */
export async function xrOf(kubectl: Kubectl, claim: KubeObject): Promise<{ claim?: Live; xr?: Live; refs: Ref[] }> {
  const live = await kubectl.get<Live>(objectArgs(claim));
  const ref = (live?.spec as { resourceRef?: { apiVersion: string; kind: string; name: string } } | undefined)?.resourceRef;
  if (!ref) return { claim: live, refs: [] };
  const xr = await kubectl.get<Live>([resource(ref.apiVersion, ref.kind), ref.name]);
  const spec = xr?.spec as { resourceRefs?: Ref[]; crossplane?: { resourceRefs?: Ref[] } } | undefined;
  return { claim: live, xr, refs: spec?.crossplane?.resourceRefs ?? spec?.resourceRefs ?? [] };
}

/**
 * Poll until check() says done; on timeout, fail with what was waited for
 * and check()'s last word on why not. The bound is for a hang, never a
 * measurement (the machine is a busy 2-core box).
 */
export async function waitFor(what: string, check: () => Promise<{ done: boolean; seen: string }>, timeoutMs: number, everyMs = 500): Promise<void> {
  let seen = 'nothing read yet';
  await until(
    what,
    async () => {
      const r = await check();
      seen = r.seen;
      return r.done;
    },
    timeoutMs,
    everyMs,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last seen: ${seen}`);
  });
}

/** A claim's Ready condition and its status.message (the function's words), for errors and for tests. */
export function claimState(live: Live | undefined): { ready: boolean; seen: string } {
  const ready = conditionOf(live, 'Ready');
  const synced = conditionOf(live, 'Synced');
  const message = live?.status?.message;
  return {
    ready: ready?.status === 'True',
    seen: live
      ? `Ready=${ready?.status ?? 'unset'} ${ready?.reason ?? ''} ${ready?.message ?? ''}; Synced=${synced?.status ?? 'unset'} ${synced?.message ?? ''}${message ? `; status.message: ${String(message)}` : ''}`
      : 'not found',
  };
}
