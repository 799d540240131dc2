/**
 * Steps of an e2e-local suite: it() that records a failure, so afterAll can
 * keep the plane's state directory (every process's log) for a look.
 */
import { it } from 'vitest';

export function steps(defaultTimeoutMs: number) {
  const run = { failed: false };
  const step = (name: string, fn: () => Promise<void>, timeout = defaultTimeoutMs) =>
    it(
      name,
      async () => {
        try {
          await fn();
        } catch (e) {
          run.failed = true;
          throw e;
        }
      },
      timeout,
    );
  return { run, step };
}
