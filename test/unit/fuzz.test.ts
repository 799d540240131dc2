/**
 * The fixed-seed slice of the fuzz suite (`make fuzz` runs the same
 * generators over gRPC with 100,000 requests): every function, given mutated
 * requests, renders only valid specs of its own kind, refuses the rest with a
 * Fatal naming a field, never reports an internal error and never shows a
 * secret. Requests go through protobuf encoding and decoding, as over gRPC.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { mutate, prng } from '../../fuzz/mutate.js';
import { judge, requestSecrets, secretValues } from '../../fuzz/oracle.js';
import { fuzzTargets, type FuzzTarget } from '../../fuzz/targets.js';
import { FUNCTIONS } from '../../functions/catalog.js';
import { run } from '../support/request.js';

const PER_FUNCTION = 150;
let targets: FuzzTarget[] = [];
beforeAll(async () => {
  targets = await fuzzTargets();
}, 120_000);

describe('fuzz slice (seed 13)', () => {
  it.each(FUNCTIONS.map((f) => f.name))('%s: no internal error, no invalid spec rendered, every Fatal names a field, no secret shown', async (fn) => {
    const target = targets.find((t) => t.fn === fn)!;
    const r = prng(13);
    const problems: string[] = [];
    const outcomes = { rendered: 0, fatal: 0, undecodable: 0 };
    for (let i = 0; i < PER_FUNCTION; i++) {
      const m = mutate(r, target.bases[i % target.bases.length], target);
      let req: RunFunctionRequest;
      try {
        req = RunFunctionRequest.decode(RunFunctionRequest.encode(m.req).finish());
      } catch (e) {
        // Nesting beyond protobuf's recursion limit: the gRPC server refuses it
        // before the function runs (a non-OK status, counted by `make fuzz`).
        expect(String(e)).toContain('recursion limit');
        outcomes.undecodable++;
        continue;
      }
      const rsp = await run(target.compose, req);
      const v = judge({ ...m, req }, rsp, requestSecrets(req));
      outcomes[v.outcome]++;
      for (const p of v.problems) problems.push(`${p} after ${m.mutations.join(', ')}: ${rsp.results.map((x) => x.message.slice(0, 200)).join(' | ')}`);
    }
    expect(problems).toEqual([]);
    // The generators reach both sides: some requests are rendered, some refused.
    expect(outcomes.rendered).toBeGreaterThan(0);
    expect(outcomes.fatal).toBeGreaterThan(0);
  });
});

describe('the fuzz oracle', () => {
  const secret = (data: Record<string, string>) => ({ kind: 'Secret', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });
  it('counts secret-looking keys in any case as secrets, and not a user name the status shows by design', () => {
    expect(secretValues([secret({ password: 'device-password', NATS_PASSWORD: 'nats-password', NATS_USER: 'my-service' })]).sort()).toEqual(['device-password', 'nats-password']);
  });
});
