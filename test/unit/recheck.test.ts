/**
 * While an XR is not ready, the response asks Crossplane to call again in
 * NOT_READY_RECHECK_SECONDS (functions/lib/function/compose.ts says why: no
 * poll with realtime compositions, a circuit breaker on watch events, no watch
 * on what requirements read); once it is ready, the SDK's 60 s stands.
 */
import { describe, expect, it } from 'vitest';
import { Ready } from '@crossplane-org/function-sdk-typescript';
import { compose } from '../../functions/event-driven-service/function.js';
import { NOT_READY_RECHECK_SECONDS, RECHECK_BACKOFF } from '../../functions/lib/function/compose.js';
import { claim, requestFor, run } from '../support/request.js';

const spec = { image: 'ghcr.io/acme/worker:1.0.0', nats: { stream: 'ORDERS', consumer: 'workers' }, secretName: 'worker-config' };
const eds = claim('EventDrivenService', 'worker', 'team-a', spec);
const ready = {
  serviceaccount: { kind: 'ServiceAccount' },
  service: { kind: 'Service' },
  deployment: { status: { replicas: 1, readyReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] } },
  scaledobject: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
};
const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'worker-config', namespace: 'team-a' } };
const required = async () => Object.keys((await run(compose, requestFor(eds, ready))).requirements!.resources)[0];

describe('how soon Crossplane calls again', () => {
  it('a composed resource not ready yet: in NOT_READY_RECHECK_SECONDS', async () => {
    const rsp = await run(compose, requestFor(eds, {}, { [await required()]: [secret] }));
    expect(Object.values(rsp.desired!.resources).some((r) => r.ready !== Ready.READY_TRUE)).toBe(true);
    expect(rsp.meta?.ttl).toEqual({ seconds: NOT_READY_RECHECK_SECONDS, nanos: 0 });
  });

  it("the function waiting for an operator's Secret (XR not ready, its resources ready): in NOT_READY_RECHECK_SECONDS", async () => {
    const rsp = await run(compose, requestFor(eds, ready));
    expect(rsp.desired!.composite!.ready).toBe(Ready.READY_FALSE);
    expect(rsp.meta?.ttl).toEqual({ seconds: NOT_READY_RECHECK_SECONDS, nanos: 0 });
  });

  it("ready: the SDK's default, 60 s", async () => {
    const rsp = await run(compose, requestFor(eds, ready, { [await required()]: [secret] }));
    expect(Object.values(rsp.desired!.resources).every((r) => r.ready === Ready.READY_TRUE)).toBe(true);
    expect(rsp.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
  });

  /** The request with the observed XR's Ready condition as given. */
  const withReady = (condition: object) => {
    const req = requestFor(eds, ready);
    req.observed!.composite!.resource!.status = { conditions: [{ type: 'Ready', status: 'False', ...condition }] };
    return req;
  };
  /** As Crossplane shows the XR after `seconds` with Ready=False (a bare Creating, as with the function's own verdict). */
  const waitingFor = (seconds: number) => withReady({ reason: 'Creating', lastTransitionTime: new Date(Date.now() - seconds * 1000).toISOString() });

  it.each([
    ['30 s', 30, NOT_READY_RECHECK_SECONDS],
    ['5 min', 300, 30],
    ['an hour', 3600, 60],
  ])("backs off while the XR stays not ready: waiting %s, in the step's seconds", async (_label, seconds, ttl) => {
    const rsp = await run(compose, waitingFor(seconds));
    expect(rsp.desired!.composite!.ready).toBe(Ready.READY_FALSE);
    expect(rsp.meta?.ttl).toEqual({ seconds: ttl, nanos: 0 });
  });

  it("the steps grow and end below the SDK's 60 s", () => {
    const seconds = RECHECK_BACKOFF.map(([, s]) => s);
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(Math.max(...seconds)).toBeLessThan(60);
  });

  it('a Ready condition without a usable time (missing, not a date): the first step', async () => {
    for (const lastTransitionTime of [undefined, 'yesterday']) {
      expect((await run(compose, withReady({ lastTransitionTime }))).meta?.ttl).toEqual({ seconds: NOT_READY_RECHECK_SECONDS, nanos: 0 });
    }
  });
});
