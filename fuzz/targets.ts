/**
 * The requests the fuzzer mutates, per function: each valid example claim as
 * Crossplane first sends it (nothing observed), and the example claim in the
 * converged state (everything observed and ready, operator Secrets supplied).
 */
import type { ComposeFunction, RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FUNCTIONS } from '../functions/catalog.js';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { convergedRequest, requestFor } from '../harness/request.js';
import { ROOT } from '../harness/tools.js';
import type { Target } from './mutate.js';

export interface FuzzTarget extends Target {
  compose: ComposeFunction;
  bases: RunFunctionRequest[];
  devPort: number;
}

export async function fuzzTargets(only?: string[]): Promise<FuzzTarget[]> {
  return Promise.all(
    FUNCTIONS.filter((f) => !only || only.includes(f.name)).map(async (f) => {
      const { compose } = await f.load();
      const dir = join(ROOT, 'examples', f.name);
      const claims = readdirSync(dir).filter((n) => /^claim.*\.yaml$/.test(n));
      const fresh = claims.map((n) => requestFor(parse(readFileSync(join(dir, n), 'utf8')) as KubeObject));
      return {
        fn: f.name,
        spec: f.apis[0].spec,
        input: f.inputSchema,
        compose,
        devPort: f.devPort,
        bases: [...fresh, await convergedRequest(f.name, compose)],
      };
    }),
  );
}
