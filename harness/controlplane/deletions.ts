/**
 * Every deletion the API server makes, seen through WATCHes (one per kind,
 * all namespaces), not by polling: a poll misses an object deleted and
 * recreated between two looks. The fault tests (test/chaos/) read from here
 * what was deleted during a fault and by whom it was most likely deleted.
 *
 * - Each kind is LISTed once, then WATCHed from the list's resourceVersion,
 *   so nothing falls between the list and the watch. A watch that ends (the
 *   API server restarted, its watch timeout) resumes from the last
 *   resourceVersion it saw. Should the API server refuse that version as too
 *   old (410 Gone), the kind is LISTed again and every object it held that the
 *   list no longer has counts as deleted (`seenBy: 'relist'`).
 * - A DELETED event's object carries the resourceVersion of the deletion
 *   itself; resourceVersions are etcd revisions, global and increasing, so
 *   deletions are put in a fault's window by comparing them with revisions
 *   read before and after the fault ({@link DeletionWatch.revision}).
 * - Crossplane v2.2.1 removes the `crossplane.io/composite` and claim labels
 *   from a composed resource before it garbage-collects it
 *   (DeletingComposedResourceGarbageCollector in
 *   internal/controller/apiextensions/composite/composition_functions.go):
 *   an object that had the label and lost it just before it was deleted was
 *   deleted by Crossplane's garbage collector (`byCrossplane`).
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { Kubectl } from './kubectl.js';

/** A kind to watch: its list path (`/api/v1/secrets`, `/apis/apps/v1/deployments`). */
export interface WatchedKind {
  kind: string;
  path: string;
}

export interface Deletion {
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  /** The deletion's etcd revision (the DELETED object's resourceVersion; the relist's for `relist`). */
  revision: bigint;
  /** The XR it was composed for (its `crossplane.io/composite` label, as last seen with it). */
  composite?: string;
  /** The label was gone at deletion: Crossplane's garbage collector deleted it. */
  byCrossplane: boolean;
  seenBy: 'watch' | 'relist';
}

const COMPOSITE = 'crossplane.io/composite';

type Meta = { uid: string; name: string; namespace?: string; resourceVersion: string; labels?: Record<string, string> };
type Item = { kind?: string; metadata: Meta };

interface Live {
  namespace?: string;
  name: string;
  composite?: string;
  labelled: boolean;
}

class KindWatch {
  live = new Map<string, Live>();
  revision = '';
  abort?: AbortController;
  /** Set while a watch connection is open. */
  open = false;
  /** Set when the last watch was refused with 410 Gone. */
  gone = false;

  constructor(readonly kind: WatchedKind) {}

  remember(m: Meta): void {
    const labelled = m.labels?.[COMPOSITE] !== undefined;
    const before = this.live.get(m.uid);
    this.live.set(m.uid, { namespace: m.namespace, name: m.name, composite: m.labels?.[COMPOSITE] ?? before?.composite, labelled });
  }
}

export class DeletionWatch {
  readonly deletions: Deletion[] = [];
  private readonly kinds: KindWatch[];
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly watch: Watch;

  private constructor(
    private readonly kubectl: Kubectl,
    kinds: WatchedKind[],
  ) {
    const config = new KubeConfig();
    config.loadFromFile(kubectl.kubeconfig);
    this.watch = new Watch(config);
    this.kinds = kinds.map((k) => new KindWatch(k));
  }

  /** List every kind, then watch each from its list's resourceVersion; resolves once every watch is open. */
  static async start(kubectl: Kubectl, kinds: WatchedKind[]): Promise<DeletionWatch> {
    const w = new DeletionWatch(kubectl, kinds);
    for (const k of w.kinds) {
      await w.relist(k);
      w.loops.push(w.follow(k));
    }
    const deadline = Date.now() + 60_000;
    while (w.kinds.some((k) => !k.open)) {
      if (Date.now() > deadline)
        throw new Error(
          `watches not open after 60 s: ${w.kinds
            .filter((k) => !k.open)
            .map((k) => k.kind.kind)
            .join(', ')}`,
        );
      await sleep(100);
    }
    return w;
  }

  /** The API server's current etcd revision (a list's resourceVersion), to bound a fault's window. */
  async revision(): Promise<bigint> {
    const list = JSON.parse(await this.kubectl.ok(['get', '--raw', '/api/v1/namespaces?limit=1'])) as { metadata: { resourceVersion: string } };
    return BigInt(list.metadata.resourceVersion);
  }

  /** Deletions with a revision in (from, to]. */
  between(from: bigint, to: bigint): Deletion[] {
    return this.deletions.filter((d) => d.revision > from && d.revision <= to);
  }

  /**
   * True once every watch has delivered everything up to now: each kind's
   * objects known from the watch are the ones a fresh LIST returns. Meant
   * for a settled cluster (nothing created or deleted meanwhile), after a
   * fault has recovered.
   */
  async caughtUp(): Promise<boolean> {
    for (const k of this.kinds) {
      const list = await this.list(k.kind);
      const uids = new Set(list.items.map((i) => i.metadata.uid));
      if (uids.size !== k.live.size || [...uids].some((u) => !k.live.has(u))) return false;
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const k of this.kinds) k.abort?.abort();
    await Promise.all(this.loops);
  }

  private async list(kind: WatchedKind): Promise<{ metadata: { resourceVersion: string }; items: Item[] }> {
    return JSON.parse(await this.kubectl.ok(['get', '--raw', kind.path])) as { metadata: { resourceVersion: string }; items: Item[] };
  }

  /** LIST a kind; objects known before and absent now were deleted while no watch could say so. */
  private async relist(k: KindWatch): Promise<void> {
    const list = await this.list(k.kind);
    const now = new Set(list.items.map((i) => i.metadata.uid));
    for (const [uid, l] of k.live) {
      if (now.has(uid)) continue;
      this.deletions.push({
        kind: k.kind.kind,
        namespace: l.namespace,
        name: l.name,
        uid,
        revision: BigInt(list.metadata.resourceVersion),
        composite: l.composite,
        byCrossplane: l.composite !== undefined && !l.labelled,
        seenBy: 'relist',
      });
    }
    k.live.clear();
    for (const i of list.items) k.remember(i.metadata);
    k.revision = list.metadata.resourceVersion;
  }

  /** Watch one kind until stop(), resuming after every disconnection. */
  private async follow(k: KindWatch): Promise<void> {
    while (!this.stopped) {
      await new Promise<void>((done) => {
        this.watch
          .watch(
            k.kind.path,
            { resourceVersion: k.revision, allowWatchBookmarks: true },
            (type, obj: Item & { code?: number }) => this.event(k, type, obj),
            () => {
              k.open = false;
              done();
            },
          )
          .then(
            (abort) => {
              k.abort = abort;
              // The request was answered (200): the watch is open unless it already ended.
              if (!abort.signal.aborted) k.open = true;
            },
            () => done(),
          );
      });
      if (this.stopped) break;
      try {
        if (k.gone) {
          k.gone = false;
          await this.relist(k);
        }
      } catch {
        // The API server is down (a fault): try again.
      }
      await sleep(500);
    }
  }

  private event(k: KindWatch, type: string, obj: Item & { code?: number }): void {
    if (type === 'ERROR') {
      // 410 Gone: the resourceVersion is older than the API server keeps.
      if (obj.code === 410) k.gone = true;
      k.abort?.abort();
      return;
    }
    const m = obj.metadata;
    if (!m?.resourceVersion) return;
    k.revision = m.resourceVersion;
    if (type === 'BOOKMARK') return;
    if (type === 'DELETED') {
      const before = k.live.get(m.uid);
      k.live.delete(m.uid);
      const composite = m.labels?.[COMPOSITE] ?? before?.composite;
      this.deletions.push({
        kind: k.kind.kind,
        namespace: m.namespace,
        name: m.name,
        uid: m.uid,
        revision: BigInt(m.resourceVersion),
        composite,
        byCrossplane: composite !== undefined && m.labels?.[COMPOSITE] === undefined,
        seenBy: 'watch',
      });
      return;
    }
    k.remember(m);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The kinds to watch: every kind the functions compose (functions/catalog.ts),
 * and the claims and XRs of every XRD in the API server, at the version the
 * API server prefers (discovery).
 */
export async function watchedKinds(kubectl: Kubectl, composes: { apiGroup: string; resources: string[] }[]): Promise<WatchedKind[]> {
  const out = new Map<string, WatchedKind>();
  const preferred = new Map<string, string>();
  const groupVersion = async (group: string) => {
    if (group === '') return 'v1';
    if (!preferred.has(group)) {
      const g = JSON.parse(await kubectl.ok(['get', '--raw', `/apis/${group}`])) as { preferredVersion: { groupVersion: string } };
      preferred.set(group, g.preferredVersion.groupVersion);
    }
    return preferred.get(group)!;
  };
  const add = async (group: string, plural: string) => {
    const gv = await groupVersion(group);
    out.set(`${plural}.${group}`, { kind: group ? `${plural}.${group}` : plural, path: `${group ? '/apis' : '/api'}/${gv}/${plural}` });
  };
  for (const c of composes) for (const r of c.resources) await add(c.apiGroup, r);
  const xrds = await kubectl.list<{ spec: { group: string; names: { plural: string }; claimNames?: { plural: string } } }>(['compositeresourcedefinitions.apiextensions.crossplane.io']);
  for (const x of xrds) {
    await add(x.spec.group, x.spec.names.plural);
    if (x.spec.claimNames) await add(x.spec.group, x.spec.claimNames.plural);
  }
  return [...out.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}
