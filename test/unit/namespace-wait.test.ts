/**
 * Objects inside a Namespace the same function composes wait until that
 * Namespace is observed (functions/lib/function/namespaces.ts): Crossplane
 * v2.2.1 applies desired resources in map order and stops at the first
 * "namespace not found", which the local control plane showed keeping
 * realtime-platform and vcluster claims from composing for minutes.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ready } from '@crossplane-org/function-sdk-typescript';
import { parse, parseAllDocuments } from 'yaml';
import { compose } from '../../functions/realtime-platform/function.js';
import { NAMESPACE_WAIT_SECONDS } from '../../functions/lib/function/namespaces.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { answer, desired, fatals, requestFor, run } from '../support/request.js';
import { observedFrom } from '../../harness/request.js';
import { ROOT } from '../../harness/tools.js';

const claim = parse(readFileSync(`${ROOT}/examples/realtime-platform/claim.yaml`, 'utf8')) as KubeObject;
const PLATFORM_NS = `${claim.metadata!.name}-realtime`;
const operatorSecrets = parseAllDocuments(readFileSync(`${ROOT}/examples/realtime-platform/required.yaml`, 'utf8')).map((d) => d.toJSON() as KubeObject);
const inPlatformNs = (out: Record<string, KubeObject>) => Object.keys(out).filter((k) => out[k].metadata?.namespace === PLATFORM_NS);

describe('objects in a composed Namespace wait for it', () => {
  it('first reconcile: the Namespace and what lies outside it; the XR not ready; called again soon', async () => {
    const rsp = await run(compose, requestFor(claim));
    expect(fatals(rsp)).toEqual([]);
    const out = desired(rsp);
    expect(out.namespace).toMatchObject({ kind: 'Namespace', metadata: { name: PLATFORM_NS } });
    expect(inPlatformNs(out)).toEqual([]);
    // The connection Secrets in the claim's namespace do not wait.
    expect(Object.values(out).filter((o) => o.kind === 'Secret' && o.metadata?.namespace === claim.metadata!.namespace).length).toBeGreaterThan(0);
    expect(rsp.desired?.composite?.ready).toBe(Ready.READY_FALSE);
    expect(rsp.meta?.ttl).toEqual({ seconds: NAMESPACE_WAIT_SECONDS, nanos: 0 });
  });

  it('once the Namespace is observed, everything in it is composed and the usual TTL returns', async () => {
    const first = await run(compose, requestFor(claim));
    const second = await run(compose, requestFor(claim, observedFrom(first), answer(first, operatorSecrets)));
    expect(inPlatformNs(desired(second)).length).toBeGreaterThan(20);
    expect(second.meta?.ttl?.seconds).not.toBe(NAMESPACE_WAIT_SECONDS);
    // With everything observed and running, the XR's readiness is the stack's again.
    const third = await run(compose, requestFor(claim, observedFrom(second), answer(second, operatorSecrets)));
    expect(third.desired?.composite?.ready).toBe(Ready.READY_TRUE);
  });

  it('an object that exists is never left out, even when its Namespace is not observed (Crossplane would delete it)', async () => {
    const first = await run(compose, requestFor(claim));
    const all = observedFrom(await run(compose, requestFor(claim, observedFrom(first))));
    const withoutNamespace = { ...all };
    delete withoutNamespace.namespace;
    const out = desired(await run(compose, requestFor(claim, withoutNamespace)));
    expect(inPlatformNs(out).sort()).toEqual(inPlatformNs(all).sort());
    // Only what does not exist yet waits.
    const withoutPostgres = { ...withoutNamespace };
    delete withoutPostgres.postgres;
    const partial = desired(await run(compose, requestFor(claim, withoutPostgres)));
    expect(inPlatformNs(partial).sort()).toEqual(inPlatformNs(withoutPostgres).sort());
    expect(partial.postgres).toBeUndefined();
  });
});

describe('a renamed platform (spec.name changed)', () => {
  it('new objects wait for the new Namespace; objects observed under their resource name (in the old one) stay desired, moved', async () => {
    const first = await run(compose, requestFor(claim));
    const all = observedFrom(await run(compose, requestFor(claim, observedFrom(first))));
    // One object the old platform did not have yet.
    const partial = { ...all };
    delete partial.postgres;
    const renamed = { ...claim, spec: { ...(claim.spec as object), name: 'renamed' } } as KubeObject;
    const out = desired(await run(compose, requestFor(renamed, partial)));
    expect(out.namespace.metadata?.name).toBe('renamed-realtime');
    expect(out.postgres).toBeUndefined();
    // What goes in the new Namespace now is only what was observed under the same resource names.
    const moved = Object.keys(out).filter((k) => out[k].metadata?.namespace === 'renamed-realtime');
    expect(moved.length).toBeGreaterThan(20);
    expect(moved.filter((k) => !partial[k])).toEqual([]);
  });
});
