/**
 * The long run of the fault tests (`make chaos`; `make test` runs the short
 * slice, slice.test.ts): the example claims plus 50 EventDrivenServices and 10
 * realtime platforms applied at once while their functions are killed, then
 * every fault of issue 25 one after another on all of them. Each row of the
 * table it prints (and writes to .build/reports/chaos-long-faults.json) is a row of
 * docs/chaos.md.
 */
import { describe, expect, it } from 'vitest';
import { eventDrivenServices, examples, merge, realtimePlatforms } from './claims.js';
import {
  apiServerRestarted,
  composedDeleted,
  crossplaneRestarted,
  functionKilled,
  functionRolledBack,
  functionUnreachable,
  functionUpgraded,
  operatorSecretDeletedAndRecreated,
  realtimeCopiesDisagree,
  restartWhileComposing,
} from './scenarios.js';
import { chaosPlane, expectNothingLost } from './support.js';

const chaos = chaosPlane('chaos-long');
/** Longer than Crossplane's default poll interval (1 min) and its 2-minute reconcile timeout, so calls fail. */
const PARTITION_SECONDS = 150;

describe('chaos (long): every fault on 60+ claims loses nothing', () => {
  it('the example claims compose', async () => {
    await chaos().apply(
      examples([
        'examples/realtime-platform/claim.yaml',
        'examples/event-driven-service/claim.yaml',
        'examples/event-driven-service/claim-kafka.yaml',
        'examples/vcluster/claim.yaml',
        'examples/vcluster/claim-minimal.yaml',
        'examples/application/claim.yaml',
      ]),
    );
    await chaos().settle('the example claims');
  });

  it('(6) 50 EventDrivenServices and 10 realtime platforms applied together while their functions are SIGKILLed and restarted', async () => {
    const row = await chaos().compose({
      name: '50 EventDrivenServices + 10 realtime platforms applied at once, their functions SIGKILLed and restarted meanwhile',
      reach: 'the 60 new claims',
      set: merge(eventDrivenServices(50), realtimePlatforms(10)),
      during: () => restartWhileComposing(['event-driven-service', 'realtime-platform']),
      passwords: realtimeCopiesDisagree,
      how: 'from the second restarted function listening again to all 60 claims Synced with every object composed and two reads 6 s apart the same; in brackets from the apply',
    });
    expectNothingLost(row);
    expect(row.failedCalls, 'Crossplane saw calls fail').toBeGreaterThan(0);
  });

  it('(1) the event-driven-service function SIGKILLed mid-reconcile, then restarted', async () => {
    const row = await chaos().run(functionKilled('event-driven-service'));
    expectNothingLost(row);
    expect(row.failedCalls).toBeGreaterThan(0);
  });

  it('(1) the realtime-platform function SIGKILLed mid-reconcile, then restarted', async () => {
    const row = await chaos().run(functionKilled('realtime-platform'));
    expectNothingLost(row);
    expect(row.failedCalls).toBeGreaterThan(0);
  });

  it(`(2) the realtime-platform function unreachable for ${PARTITION_SECONDS} s, then back`, async () => {
    const row = await chaos().run(functionUnreachable('realtime-platform', PARTITION_SECONDS));
    expectNothingLost(row);
    expect(row.failedCalls, "calls timed out at Crossplane's deadline").toBeGreaterThan(0);
  });

  it('(3) Crossplane restarted', async () => {
    expectNothingLost(await chaos().run(crossplaneRestarted()));
  });

  it('(3) kube-apiserver restarted, etcd kept', async () => {
    expectNothingLost(await chaos().run(apiServerRestarted()));
  });

  it('(4) the event-driven-service function upgraded to a new package revision under live claims', async () => {
    expectNothingLost(await chaos().run(functionUpgraded('event-driven-service', 'service', 'Service')));
  });

  it('(4) ... and rolled back', async () => {
    expectNothingLost(await chaos().run(functionRolledBack('event-driven-service', 'Service')));
  });

  it('(5) a composed Secret (the generated passwords) deleted by hand', async () => {
    const row = await chaos().run(composedDeleted({ resource: 'secret', namespace: 'rt-01-realtime', name: 'platform-credentials' }, 'Secret rt-01-realtime/platform-credentials'));
    expectNothingLost(row);
    expect(row.deletedIntended).toBe(1);
  });

  it("(5) a composed Namespace (a realtime platform's, with everything in it) deleted by hand", async () => {
    const row = await chaos().run(composedDeleted({ resource: 'namespace', name: 'rt-02-realtime' }, 'Namespace rt-02-realtime'));
    expectNothingLost(row);
    expect(row.deletedIntended).toBeGreaterThan(30);
  });

  it('(5) an operator Secret (the Lenses license of 10 platforms) deleted, then recreated', async () => {
    expectNothingLost(await chaos().run(operatorSecretDeletedAndRecreated('chaos-rt', 'lenses-license', 'RealtimePlatformClaim', 'lenses-license')));
  });

  it("(5) an operator Secret (an MQTT user's password) deleted, then recreated", async () => {
    expectNothingLost(await chaos().run(operatorSecretDeletedAndRecreated('chaos-rt', 'mqtt-device1', 'RealtimePlatformClaim', 'mqtt-device1')));
  });
});
