/**
 * The realtime-platform function alone against the number of distinct claims
 * it serves (part of `make bench-plane`): M claims in their converged state,
 * called round-robin as Crossplane's steady state calls them, in a fresh
 * instance of the bundled function (a restarted pod: the first round finds
 * nothing cached). Per M it reports the CPU per call in the first round and
 * at steady state (later rounds). A per-claim cost that grows with M (a cache
 * smaller than the claims it serves) is what makes a function worse than
 * linear; the local plane cannot hold the hundreds of realtime platforms
 * that would show it there.
 *
 *   tsx bench/claims-scale.ts [--claims 16,64,128,256] [--rounds 4]
 */
import type { ComposeFunction, RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle } from '../harness/bundle.js';
import { convergedRequest, run } from '../harness/request.js';
import { ROOT } from '../harness/tools.js';

export interface ClaimsScale {
  claims: number;
  firstRoundMsPerCall: number;
  steadyMsPerCall: number;
}

const cpuMsNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** After a round: long enough for checks the function defers (lenses.ts VERIFY_AFTER_MS) to run. */
const SETTLE_MS = 1500;

export async function claimsScale(counts: number[], rounds: number): Promise<ClaimsScale[]> {
  const file = join(ROOT, '.build/bench/claims-scale/function.mjs');
  await bundle('realtime-platform', file, 'function');
  // Each import under another query is a new module instance: nothing cached.
  let instance = 0;
  const fresh = async () => ((await import(`${pathToFileURL(file).href}?instance=${++instance}`)) as { compose: ComposeFunction }).compose;
  const out: ClaimsScale[] = [];
  for (const m of counts) {
    const converging = await fresh();
    const requests: RunFunctionRequest[] = [];
    for (let i = 0; i < m; i++) {
      const name = `rt-${i}`;
      requests.push(await convergedRequest('realtime-platform', converging, 'claim.yaml', (c) => ({ ...c, metadata: { name, namespace: `ns-${name}` }, spec: { ...(c.spec as object), name } })));
    }
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const compose = await fresh();
    const perCall: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const cpu0 = cpuMsNow();
      for (const req of requests) await run(compose, req);
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      perCall.push((cpuMsNow() - cpu0) / m);
    }
    const steady = perCall.slice(1);
    out.push({ claims: m, firstRoundMsPerCall: perCall[0], steadyMsPerCall: steady.reduce((a, b) => a + b, 0) / steady.length });
    console.error(`claims-scale: ${m} claims: first round ${perCall[0].toFixed(2)} ms CPU per call, steady ${out.at(-1)!.steadyMsPerCall.toFixed(2)}`);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { claims: { type: 'string', default: '16,64,128,256' }, rounds: { type: 'string', default: '4' } } });
  console.log(JSON.stringify(await claimsScale(values.claims.split(',').map(Number), Number(values.rounds)), null, 1));
}
