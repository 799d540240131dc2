import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      // Unit tests run reconcile loops; on a busy 2-core machine 5 s (vitest's
      // default) is a race against the clock, so the timeout is only a bound
      // for a hang. Long loops belong in `make fuzz` / `make soak`.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file starts the functions on the same fixed ports.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e-local',
          include: ['test/e2e-local/**/*.test.ts'],
          // One control plane for the whole file; steps depend on each other.
          sequence: { concurrent: false },
          // Every example runs side by side (claims, operator mistakes, OAM
          // examples: 22 now); they wait on controllers, not on CPU.
          // E2E_LOCAL_CONCURRENCY=1 runs them one at a time: each example's
          // timings alone (docs/controlplane.md).
          maxConcurrency: Number(process.env.E2E_LOCAL_CONCURRENCY ?? 32),
          // One plane at a time: two would share the 2 cores and blur each other's timings.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
      {
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          // One control plane per file; faults run one after another on it.
          sequence: { concurrent: false },
          fileParallelism: false,
          testTimeout: 1_200_000,
          hookTimeout: 900_000,
        },
      },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 1_800_000, hookTimeout: 1_800_000 } },
    ],
  },
});
