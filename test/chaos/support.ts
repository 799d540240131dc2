/**
 * What both chaos files share: the plane with the deletion watch (its state
 * directory, every process's log, kept when a test failed), and the checks
 * every fault must pass.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startPlane, type Plane } from '../../harness/controlplane/plane.js';
import { Chaos, describeDeletion, type Row } from './harness.js';

export function chaosPlane(report: string): () => Chaos {
  let plane: Plane | undefined;
  let chaos: Chaos | undefined;
  beforeAll(async () => {
    // Without vela-core: the faults concern the claims Crossplane composes (KubeVela's CRD is served all the same).
    plane = await startPlane({ vela: false });
    chaos = await Chaos.start(plane);
  }, 900_000);
  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => {
      failed = true;
    }),
  );
  afterAll(async () => {
    await chaos?.report(report);
    await chaos?.stop();
    await plane?.stop(failed);
  }, 180_000);
  return () => chaos!;
}

let failed = false;

/** Nothing the claims still ask for was deleted, no password or key changed. */
export function expectNothingLost(row: Row): void {
  expect(row.deletedUnintended.map(describeDeletion), `${row.fault}: composed objects deleted that the claims still ask for`).toEqual([]);
  expect(row.passwordsChanged, `${row.fault}: Secret keys that changed`).toEqual([]);
}
