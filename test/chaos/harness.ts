/**
 * Runs one fault on the plane and measures it (a row of docs/chaos.md):
 *
 * 1. the state before (state.ts), with every claim settled;
 * 2. the etcd revision before, the fault injected, then healed;
 * 3. polls (1 s) until every claim is back to the state before (or to the
 *    state the fault is meant to produce): seconds to recover, from the
 *    moment the fault was healed and from the moment it was injected;
 * 4. the deletion watch (harness/controlplane/deletions.ts) caught up, then
 *    every deletion with a revision inside the fault's window: the ones the
 *    fault made on purpose (a Secret deleted by hand and what its namespace
 *    held) are intended, every other is not;
 * 5. the Secret keys whose value changed, the claims whose XR or claim got a
 *    Warning event in the window (its reconcile failed), and the function
 *    calls Crossplane counted as failed (its metrics).
 *
 * Nothing here races a clock: every wait is for a condition, with a bound
 * for a busy machine, and fails saying what it waited for and what it saw.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { PLATFORM } from '../../functions/lib/platform.js';
import { log, type Plane } from '../../harness/controlplane/plane.js';
import { type Deletion, DeletionWatch, watchedKinds } from '../../harness/controlplane/deletions.js';
import { failedCalls, functionCalls, type FunctionCalls } from '../../harness/controlplane/faults.js';
import { until } from '../../harness/controlplane/processes.js';
import { ROOT } from '../../harness/tools.js';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { ClaimSet } from './claims.js';
import { refOf } from './claims.js';
import { changedSecretKeys, claimKey, differences, readState, recreated, notReady, type ClaimRef, type State } from './state.js';

/** Bound for a claim set to compose or come back; generous: a busy 2-core machine. */
export const RECOVER_TIMEOUT = 600_000;

export interface Fault {
  /** The table's fault column. */
  name: string;
  /** Which claims it can reach, in words. */
  reach: string;
  inject(chaos: Chaos): Promise<void>;
  /** While the fault lasts (a partition's length); the state is read meanwhile. */
  hold?(chaos: Chaos): Promise<void>;
  heal?(chaos: Chaos): Promise<void>;
  /** Deletions the fault makes on purpose. */
  intended?(d: Deletion): boolean;
  /** The state to come back to, when the fault is meant to change it (an upgrade). */
  expect?(before: State): State;
  /** How "seconds to recover" was measured for this fault, in words. */
  how: string;
}

export interface Row {
  fault: string;
  reach: string;
  claims: number;
  /** Claims whose claim or XR got a Warning event in the window, or whose state was seen (every 1–2 s) away from the one before. */
  affected: number;
  /** Calls Crossplane counted with a gRPC code other than OK during the fault. */
  failedCalls: number;
  deletedUnintended: Deletion[];
  deletedIntended: number;
  /** Composed objects that exist again with a new UID. */
  recreated: number;
  passwordsChanged: string[];
  /** From the fault healed to every claim back. */
  recoverSeconds: number;
  /** From the fault injected to every claim back. */
  totalSeconds: number;
  warnings: string[];
  how: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Chaos {
  readonly claims: ClaimRef[] = [];
  readonly rows: Row[] = [];
  private pokes = 0;

  private constructor(
    readonly plane: Plane,
    readonly watch: DeletionWatch,
  ) {}

  static async start(plane: Plane): Promise<Chaos> {
    const kinds = await watchedKinds(
      plane.kubectl,
      FUNCTIONS.flatMap((f) => f.composes),
    );
    log(`chaos: watching deletions of ${kinds.map((k) => k.kind).join(', ')}`);
    return new Chaos(plane, await DeletionWatch.start(plane.kubectl, kinds));
  }

  get kubectl() {
    return this.plane.kubectl;
  }

  /** Namespaces, required objects, then the claims (server-side apply); they are tracked from now on. */
  async apply(set: ClaimSet): Promise<void> {
    const namespaces = [...new Set([...set.claims, ...set.required].map((o) => o.metadata!.namespace!))];
    await this.kubectl.apply(namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    if (set.required.length) await this.kubectl.apply(set.required);
    await this.kubectl.apply(set.claims);
    for (const c of set.claims) if (!this.claims.some((k) => claimKey(k) === claimKey(refOf(c)))) this.claims.push(refOf(c));
  }

  async state(): Promise<State> {
    return readState(this.kubectl, this.claims);
  }

  /**
   * Wait until every claim is Synced and Ready with its objects composed, and
   * two reads a few seconds apart agree.
   */
  async settle(what: string, timeoutMs = RECOVER_TIMEOUT): Promise<State> {
    let last: State | undefined;
    let why: string[] = [];
    await until(
      `${what}: every claim Synced and Ready with its objects composed, and the same on two reads`,
      async () => {
        const now = await this.state();
        why = notReady(now);
        if (why.length > 0) {
          last = undefined;
          return false;
        }
        const previous = last;
        last = now;
        if (!previous) {
          // A second read after longer than the functions' 5 s requeue while a Namespace is made.
          await sleep(6_000);
          return false;
        }
        why = differences(previous, now).concat(changedSecretKeys(previous, now));
        return why.length === 0;
      },
      timeoutMs,
      1_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; not yet: ${why.slice(0, 15).join('; ')}${why.length > 15 ? ` and ${why.length - 15} more` : ''}`);
    });
    return last!;
  }

  /** Make Crossplane reconcile these claims' XRs now: an annotation on each XR (its watch has no predicate). */
  async poke(state: State, which: (claim: string) => boolean = () => true): Promise<void> {
    const xrs = Object.entries(state.claims)
      .filter(([k, c]) => which(k) && c.xr)
      .map(([, c]) => c.xr!);
    this.pokes++;
    for (let i = 0; i < xrs.length; i += 50) {
      await this.kubectl.ok(['annotate', ...xrs.slice(i, i + 50), `${PLATFORM.group}/chaos-poke=${this.pokes}`, '--overwrite']);
    }
  }

  /** Inject, hold, heal, then measure until every claim is back. */
  async run(fault: Fault, before?: State): Promise<Row> {
    before ??= await this.settle(`before "${fault.name}"`);
    const want = fault.expect ? fault.expect(before) : before;
    const window = await this.open(fault.name);
    const away = new Set<string>();
    const note = (s: State) => {
      for (const line of differences(want, s)) away.add(line.split(':')[0]);
    };
    // Which claims the fault reaches, read every 2 s while it lasts (the API server may be down: skip).
    let lasting = true;
    const watching = (async () => {
      while (lasting) {
        await this.state().then(note, () => undefined);
        await sleep(2_000);
      }
    })();
    try {
      await fault.inject(this);
      if (fault.hold) await fault.hold(this);
    } finally {
      lasting = false;
      await watching;
    }
    const tHeal = Date.now();
    if (fault.heal) await fault.heal(this);
    log(`chaos: ${fault.name}: healed after ${((tHeal - window.t0) / 1000).toFixed(1)} s; waiting for every claim to be back`);
    let now = before;
    let diff: string[] = [];
    await until(
      `every claim back to its state before "${fault.name}"`,
      async () => {
        now = await this.state();
        diff = differences(want, now);
        note(now);
        return diff.length === 0;
      },
      RECOVER_TIMEOUT,
      1_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; still different: ${diff.slice(0, 20).join('; ')}${diff.length > 20 ? ` and ${diff.length - 20} more` : ''}`);
    });
    return this.close(fault, window, tHeal, before, now, away, changedSecretKeys(before, now));
  }

  /**
   * New claims applied while `during` injects a fault (fault 6): measured
   * until every claim is settled. Any deletion of theirs is unintended;
   * `passwords` names Secret keys whose copies disagree once settled.
   */
  async compose(fault: Omit<Fault, 'inject'> & { set: ClaimSet; during(chaos: Chaos): Promise<void>; passwords(state: State): string[] }): Promise<Row> {
    const window = await this.open(fault.name);
    await this.apply(fault.set);
    await fault.during(this);
    const tHeal = Date.now();
    const now = await this.settle(`"${fault.name}"`);
    const claims = new Set(fault.set.claims.map((c) => claimKey(refOf(c))));
    return this.close({ ...fault, inject: async () => undefined }, window, tHeal, now, now, claims, fault.passwords(now));
  }

  private async open(name: string) {
    const from = await this.watch.revision();
    const calls = await functionCalls();
    log(`chaos: ${name}: injecting`);
    return { from, calls, start: new Date(), t0: Date.now() };
  }

  private async close(fault: Fault, window: Awaited<ReturnType<Chaos['open']>>, tHeal: number, before: State, now: State, away: Set<string>, passwordsChanged: string[]): Promise<Row> {
    const tBack = Date.now();
    await until('the deletion watches to have caught up with the API server', () => this.watch.caughtUp(), 120_000, 1_000);
    const to = await this.watch.revision();
    const ours = (d: Deletion) => d.composite !== undefined || d.kind.endsWith(`.${PLATFORM.group}`);
    const deleted = this.watch.between(window.from, to).filter(ours);
    const intended = deleted.filter((d) => fault.intended?.(d) ?? false);
    const warned = await this.warnedClaims(window.start, now);
    for (const c of warned.claims) away.add(c);
    const row: Row = {
      fault: fault.name,
      reach: fault.reach,
      claims: this.claims.length,
      affected: [...away].filter((k) => now.claims[k]).length,
      failedCalls: failedSince(window.calls, await functionCalls()),
      deletedUnintended: deleted.filter((d) => !intended.includes(d)),
      deletedIntended: intended.length,
      recreated: recreated(before, now).length,
      passwordsChanged,
      recoverSeconds: (tBack - tHeal) / 1000,
      totalSeconds: (tBack - window.t0) / 1000,
      warnings: warned.messages,
      how: fault.how,
    };
    this.rows.push(row);
    log(
      `chaos: ${fault.name}: back in ${row.recoverSeconds.toFixed(1)} s (${row.totalSeconds.toFixed(1)} s from injection); ${row.affected} claims affected, ${row.failedCalls} calls failed, ${row.deletedUnintended.length} unintended and ${row.deletedIntended} intended deletions, ${row.passwordsChanged.length} secret keys changed`,
    );
    return row;
  }

  /** Claims whose claim or XR got a Warning event since `since`, and a sample of the messages. */
  private async warnedClaims(since: Date, state: State): Promise<{ claims: string[]; messages: string[] }> {
    type Event = { involvedObject: { kind: string; name: string; namespace?: string }; lastTimestamp?: string; eventTime?: string; firstTimestamp?: string; message?: string };
    const events = await this.kubectl.list<Event>(['events', '-A', '--field-selector', 'type=Warning']);
    const floor = Math.floor(since.getTime() / 1000) * 1000;
    const byXr = new Map(Object.entries(state.claims).flatMap(([k, c]) => (c.xr ? [[c.xr.split('/')[1], k] as const] : [])));
    const claims = new Set<string>();
    const messages = new Set<string>();
    for (const e of events) {
      const at = Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '');
      if (!(at >= floor)) continue;
      const o = e.involvedObject;
      const claim = byXr.get(o.name) ?? (o.namespace ? Object.keys(state.claims).find((k) => k.endsWith(`/${o.namespace}/${o.name}`) && k.startsWith(`${o.kind}/`)) : undefined);
      if (!claim) continue;
      claims.add(claim);
      messages.add((e.message ?? '').replace(/\s+/g, ' ').slice(0, 300));
    }
    return { claims: [...claims], messages: [...messages].slice(0, 5) };
  }

  /**
   * How often each kind of XR had its spec written, on average since it was
   * created (metadata.generation per minute of age): a measure of reconcile
   * churn, for docs/chaos.md.
   */
  async churn(): Promise<Record<string, number>> {
    const state = await this.state();
    const xrs = [...new Set(Object.values(state.claims).flatMap((c) => (c.xr ? [c.xr] : [])))];
    const byKind = new Map<string, number[]>();
    for (const xr of xrs) {
      const o = await this.kubectl.get<{ kind: string; metadata: { generation: number; creationTimestamp: string } }>([xr]);
      if (!o) continue;
      const minutes = (Date.now() - Date.parse(o.metadata.creationTimestamp)) / 60_000;
      byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o.metadata.generation / minutes]);
    }
    return Object.fromEntries([...byKind].map(([k, v]) => [k, Number((v.reduce((a, b) => a + b, 0) / v.length).toFixed(2))]));
  }

  /** Stop the deletion watch. */
  async stop(): Promise<void> {
    await this.watch.stop();
  }

  /** The rows as JSON in .build/reports/<name>-faults.json and as the Markdown table of docs/chaos.md, on stderr. */
  async report(name: string): Promise<void> {
    const dir = join(ROOT, '.build/reports');
    mkdirSync(dir, { recursive: true });
    const churn = await this.churn().catch((e: Error) => ({ error: e.message }));
    // Not `${name}.json`: that is vitest's own report of the make target (harness/summary.ts reads it).
    writeFileSync(
      join(dir, `${name}-faults.json`),
      JSON.stringify({ rows: this.rows, xrGenerationsPerMinute: churn }, (_, v) => (typeof v === 'bigint' ? String(v) : v), 2),
    );
    log(`chaos: table (${name})\n${table(this.rows)}\nXR spec writes per minute of age, by kind: ${JSON.stringify(churn)}`);
  }
}

function failedSince(before: Record<string, FunctionCalls>, after: Record<string, FunctionCalls>): number {
  let n = 0;
  for (const [fn, c] of Object.entries(after)) {
    const b = before[fn];
    // Crossplane restarted: its counters started again at zero.
    const restarted = !b || c.requests < b.requests;
    n += failedCalls(c) - (restarted ? 0 : failedCalls(b));
  }
  return n;
}

export function table(rows: Row[]): string {
  const lines = [
    '| fault | claims affected (in reach; on the plane) | objects deleted: unintended (intended) | passwords and keys changed | seconds to recover (from injection) | function calls failed | how measured |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.fault} | ${r.affected} (${r.reach}; ${r.claims}) | ${r.deletedUnintended.length} (${r.deletedIntended}) | ${r.passwordsChanged.length} | ${r.recoverSeconds.toFixed(1)} (${r.totalSeconds.toFixed(1)}) | ${r.failedCalls} | ${r.how} |`,
    );
  }
  return lines.join('\n');
}

/** A deletion as one line, for assertion messages. */
export const describeDeletion = (d: Deletion) =>
  `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}${d.composite ? ` of ${d.composite}` : ''}${d.byCrossplane ? ' (garbage-collected by Crossplane)' : ''}`;

/** Claims of one API among the tracked ones. */
export function claimsOfKind(chaos: Chaos, kind: string): ClaimRef[] {
  return chaos.claims.filter((c) => c.kind === kind);
}

export type { KubeObject };
