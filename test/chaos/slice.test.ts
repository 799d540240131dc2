/**
 * The short slice of the fault tests that `make test` runs (`make chaos` runs
 * the long one, long.test.ts): the example claims of two functions on the
 * local control plane, then faults one after another, each checked by
 * harness.ts (nothing deleted that a claim still asks for, no password or key
 * changed, every claim back to its state before).
 */
import { describe, expect, it } from 'vitest';
import { examples } from './claims.js';
import { composedDeleted, functionKilled, operatorSecretDeletedAndRecreated } from './scenarios.js';
import { chaosPlane, expectNothingLost } from './support.js';

const chaos = chaosPlane('chaos-slice');

describe('chaos (slice): faults on the local control plane lose nothing', () => {
  it('the example claims compose', async () => {
    await chaos().apply(examples(['examples/realtime-platform/claim.yaml', 'examples/event-driven-service/claim.yaml']));
    await chaos().settle('the example claims');
  });

  it('(1) the realtime-platform function SIGKILLed mid-reconcile, then restarted', async () => {
    const row = await chaos().run(functionKilled('realtime-platform'));
    expectNothingLost(row);
    expect(row.failedCalls, 'Crossplane saw the call fail').toBeGreaterThan(0);
  });

  it('(5) an operator Secret (the Lenses license) deleted, then recreated', async () => {
    const row = await chaos().run(operatorSecretDeletedAndRecreated('health', 'lenses-license', 'RealtimePlatformClaim', 'lenses-license'));
    expectNothingLost(row);
  });

  it('(5) the composed Namespace of the realtime platform deleted by hand', async () => {
    const row = await chaos().run(composedDeleted({ resource: 'namespace', name: 'health-data-realtime' }, 'Namespace health-data-realtime'));
    expectNothingLost(row);
    expect(row.deletedIntended, 'the Namespace and what it held').toBeGreaterThan(30);
  });
});
