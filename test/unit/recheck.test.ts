/**
 * While an XR is not ready, the response asks Crossplane to call again in
 * NOT_READY_RECHECK_SECONDS (functions/lib/function/compose.ts says why: no
 * poll with realtime compositions, a circuit breaker on watch events, no watch
 * on what requirements read); once it is ready, the SDK's 60 s stands.
 */
import { describe, expect, it } from 'vitest';
import { Ready } from '@crossplane-org/function-sdk-typescript';
import { compose } from '../../functions/event-driven-service/function.js';
import { NOT_READY_RECHECK_SECONDS } from '../../functions/lib/function/compose.js';
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

  it('the function waiting for an operator\'s Secret (XR not ready, its resources ready): in NOT_READY_RECHECK_SECONDS', async () => {
    const rsp = await run(compose, requestFor(eds, ready));
    expect(rsp.desired!.composite!.ready).toBe(Ready.READY_FALSE);
    expect(rsp.meta?.ttl).toEqual({ seconds: NOT_READY_RECHECK_SECONDS, nanos: 0 });
  });

  it('ready: the SDK\'s default, 60 s', async () => {
    const rsp = await run(compose, requestFor(eds, ready, { [await required()]: [secret] }));
    expect(Object.values(rsp.desired!.resources).every((r) => r.ready === Ready.READY_TRUE)).toBe(true);
    expect(rsp.meta?.ttl).toEqual({ seconds: 60, nanos: 0 });
  });
});
