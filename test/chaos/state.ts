/**
 * What "the platform is back to its state before the fault" means here, read
 * from the API server in three LISTs (claims, XRs, composed objects):
 *
 * - each claim's and its XR's Synced and Ready condition status, and the
 *   claim's status fields (conditions aside: their times move);
 * - each XR's composed objects (spec.resourceRefs), each one live, with its
 *   labels (an upgrade that adds one shows here, and so does its rollback);
 * - the data of every composed Secret, key by key (passwords and keys),
 *   compared on their own: a changed password is reported as such.
 *
 * UIDs are kept too: an object deleted and created again has a new one.
 */
import type { Kubectl } from '../../harness/controlplane/kubectl.js';
import { FUNCTIONS } from '../../functions/catalog.js';

export interface ClaimRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

type Condition = { type: string; status: string; message?: string };
type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid: string; deletionTimestamp?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { resourceRef?: { apiVersion: string; kind: string; name: string }; resourceRefs?: Ref[]; crossplane?: { resourceRefs?: Ref[] } };
  status?: { conditions?: Condition[] } & Record<string, unknown>;
  data?: Record<string, string>;
};
type Ref = { apiVersion: string; kind: string; name: string; namespace?: string };

export interface ClaimState {
  claim: string;
  conditions: string;
  status: string;
  /** The claim's status.message, for messages (compared as part of `status`). */
  message?: string;
  /** The XR as kubectl names it (`kind.version.group/name`). */
  xr?: string;
  /** Composed objects (group/kind/namespace/name) → their labels as JSON, or 'missing' or 'terminating'. */
  composed: Record<string, string>;
}

export interface State {
  claims: Record<string, ClaimState>;
  /** Composed Secrets: key → data (base64 values as the API returns them). */
  secrets: Record<string, Record<string, string>>;
  /** Composed objects: key → UID. */
  uids: Record<string, string>;
}

export const claimKey = (c: ClaimRef) => `${c.kind}/${c.namespace}/${c.name}`;
/** group/kind/namespace/name: a ref may name another served version than the one a LIST returns. */
const objectKey = (o: { apiVersion: string; kind: string; namespace?: string; name: string }) =>
  `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : 'core'}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
const resourceArg = (apiVersion: string, kind: string) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `${kind}.${version}.${group}` : kind;
};
const conditionsOf = (o: Obj | undefined) => ['Synced', 'Ready'].map((t) => `${t}=${o?.status?.conditions?.find((c) => c.type === t)?.status ?? 'unset'}`).join(',');
const condition = (o: Obj | undefined, type: string) => o?.status?.conditions?.find((c) => c.type === type);

/** Every kind the functions compose, as kubectl names them (plural.group). */
export const COMPOSED_KINDS = [...new Set(FUNCTIONS.flatMap((f) => f.composes.flatMap((c) => c.resources.map((r) => (c.apiGroup ? `${r}.${c.apiGroup}` : r)))))].sort();

/** Labels as JSON with sorted keys, so a state built by hand compares equal. */
export const sortedJson = (labels: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))));

async function listAll(kubectl: Kubectl, kinds: string[], extra: string[]): Promise<Obj[]> {
  if (kinds.length === 0) return [];
  return kubectl.list<Obj>([kinds.join(','), ...extra]);
}

/** Read the state of these claims and of everything their XRs composed. */
export async function readState(kubectl: Kubectl, claims: ClaimRef[]): Promise<State> {
  const claimKinds = [...new Set(claims.map((c) => resourceArg(c.apiVersion, c.kind)))];
  const liveClaims = new Map((await listAll(kubectl, claimKinds, ['-A'])).map((o) => [claimKey({ ...o, namespace: o.metadata.namespace!, name: o.metadata.name }), o]));
  const xrKinds = [...new Set([...liveClaims.values()].flatMap((c) => (c.spec?.resourceRef ? [resourceArg(c.spec.resourceRef.apiVersion, c.spec.resourceRef.kind)] : [])))];
  const xrs = new Map((await listAll(kubectl, xrKinds, [])).map((x) => [`${x.kind}/${x.metadata.name}`, x]));
  const composed = new Map((await listAll(kubectl, COMPOSED_KINDS, ['-A', '-l', 'crossplane.io/composite'])).map((o) => [objectKey({ ...o, ...o.metadata }), o]));

  const state: State = { claims: {}, secrets: {}, uids: {} };
  for (const c of claims) {
    const key = claimKey(c);
    const live = liveClaims.get(key);
    const ref = live?.spec?.resourceRef;
    const xr = ref ? xrs.get(`${ref.kind}/${ref.name}`) : undefined;
    const refs = xr?.spec?.crossplane?.resourceRefs ?? xr?.spec?.resourceRefs ?? [];
    const status: Record<string, unknown> = { ...live?.status };
    delete status.conditions;
    delete status.connectionDetails;
    const objects: Record<string, string> = {};
    for (const r of refs) {
      const k = objectKey(r);
      const o = composed.get(k);
      // A Namespace deleted by hand stays (Terminating) until the namespace controller has emptied it.
      objects[k] = !o ? 'missing' : o.metadata.deletionTimestamp ? 'terminating' : sortedJson(o.metadata.labels ?? {});
      if (!o) continue;
      state.uids[k] = o.metadata.uid;
      if (k.startsWith('core/Secret/')) state.secrets[k] = o.data ?? {};
    }
    state.claims[key] = {
      claim: live ? 'present' : 'missing',
      conditions: `claim ${conditionsOf(live)}; XR ${xr ? conditionsOf(xr) : 'missing'}`,
      status: JSON.stringify(status),
      message: typeof status.message === 'string' ? status.message : undefined,
      xr: xr && ref ? `${resourceArg(ref.apiVersion, ref.kind)}/${xr.metadata.name}` : undefined,
      composed: objects,
    };
  }
  return state;
}

/** How `now` differs from `want`, one line per difference (Secret data aside); empty when it is back. */
export function differences(want: State, now: State): string[] {
  const out: string[] = [];
  for (const [key, w] of Object.entries(want.claims)) {
    const n = now.claims[key];
    if (!n) {
      out.push(`${key}: not read`);
      continue;
    }
    if (n.claim !== w.claim) out.push(`${key}: claim ${n.claim}, was ${w.claim}`);
    if (n.conditions !== w.conditions) out.push(`${key}: ${n.conditions}, was ${w.conditions}`);
    if (n.status !== w.status) out.push(`${key}: status ${n.status}, was ${w.status}`);
    if (n.xr !== w.xr) out.push(`${key}: XR ${n.xr}, was ${w.xr}`);
    for (const [o, labels] of Object.entries(w.composed)) {
      if (n.composed[o] === undefined) out.push(`${key}: ${o} no longer composed`);
      else if (n.composed[o] !== labels) out.push(`${key}: ${o} ${['missing', 'terminating'].includes(n.composed[o]) ? n.composed[o] : `labels ${n.composed[o]}, were ${labels}`}`);
    }
    for (const o of Object.keys(n.composed)) if (w.composed[o] === undefined) out.push(`${key}: ${o} composed, was not`);
  }
  return out;
}

/** Secret keys whose value differs (or is gone) in `now`: passwords and keys that changed. */
export function changedSecretKeys(want: State, now: State): string[] {
  const out: string[] = [];
  for (const [secret, data] of Object.entries(want.secrets)) {
    for (const [k, v] of Object.entries(data)) {
      const n = now.secrets[secret]?.[k];
      if (n !== v) out.push(`${secret} ${k}: ${n === undefined ? 'gone' : 'changed'}`);
    }
  }
  return out;
}

/** Composed objects that exist in both with another UID: deleted and made again. */
export function recreated(want: State, now: State): string[] {
  return Object.entries(want.uids)
    .filter(([k, uid]) => now.uids[k] !== undefined && now.uids[k] !== uid)
    .map(([k]) => k);
}

const whole = (c: ClaimState) => Object.values(c.composed).every((v) => v !== 'missing' && v !== 'terminating');

/**
 * Claims not yet settled: the claim and its XR Synced and Ready, every composed
 * object live. The plane runs kube-scheduler and kwok, so every claim the
 * chaos tests apply becomes Ready (each with the operator Secrets it needs).
 */
export function notReady(state: State): string[] {
  const ready = (c: ClaimState) => c.conditions === 'claim Synced=True,Ready=True; XR Synced=True,Ready=True';
  return Object.entries(state.claims)
    .filter(([, c]) => !ready(c) || Object.keys(c.composed).length === 0 || !whole(c))
    .map(([k, c]) => `${k} (${c.conditions}${whole(c) ? '' : ', objects missing or terminating'}${c.message ? `: ${c.message}` : ''})`);
}

export { condition };
