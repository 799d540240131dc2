/**
 * What both chaos files share: the plane with the deletion watch, a step that
 * keeps the process logs when it fails, and the checks every fault must pass.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPlane, type Plane } from '../../tooling/controlplane/plane.js';
import { Chaos, describeDeletion, type Row } from './harness.js';

export function chaosPlane(report: string): () => Chaos {
  let plane: Plane | undefined;
  let chaos: Chaos | undefined;
  beforeAll(async () => {
    plane = await startPlane();
    chaos = await Chaos.start(plane);
  }, 900_000);
  afterAll(async () => {
    await chaos?.report(report);
    await chaos?.stop();
    await plane?.stop(failed);
  }, 180_000);
  return () => chaos!;
}

let failed = false;

/** A test whose failure keeps the plane's state directory (every process's log). */
export function step(name: string, fn: () => Promise<void>, timeout?: number): void {
  it(name, async () => {
    try {
      await fn();
    } catch (e) {
      failed = true;
      throw e;
    }
  }, timeout);
}

/** Nothing the claims still ask for was deleted, no password or key changed. */
export function expectNothingLost(row: Row): void {
  expect(row.deletedUnintended.map(describeDeletion), `${row.fault}: composed objects deleted that the claims still ask for`).toEqual([]);
  expect(row.passwordsChanged, `${row.fault}: Secret keys that changed`).toEqual([]);
}
