/**
 * The request each function is benchmarked with: its example claim in the
 * converged state (observed resources present and ready, operator Secrets
 * supplied), which is what Crossplane sends on every steady-state reconcile.
 */
import type { ComposeFunction, RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { answerRequirements, observedFrom, requestFor, run } from '../harness/request.js';
import { ROOT } from '../harness/tools.js';

function yamlDocs(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJSON() as KubeObject);
}

/**
 * `edit` changes the example claim (another name or namespace: a distinct
 * claim); the example's required Secrets move to the edited claim's namespace.
 */
export async function convergedRequest(fn: string, compose: ComposeFunction, claimFile = 'claim.yaml', edit?: (claim: KubeObject) => KubeObject): Promise<RunFunctionRequest> {
  const dir = join(ROOT, 'examples', fn);
  const example = parse(readFileSync(join(dir, claimFile), 'utf8')) as KubeObject;
  const claim = edit ? edit(example) : example;
  const secrets = (existsSync(join(dir, 'required.yaml')) ? yamlDocs(join(dir, 'required.yaml')) : [])
    .map((s) => (edit ? { ...s, metadata: { ...s.metadata, namespace: claim.metadata?.namespace } } : s));
  let rsp = await run(compose, requestFor(claim));
  const required = answerRequirements(rsp, secrets);
  for (let i = 0; i < 2; i++) rsp = await run(compose, requestFor(claim, observedFrom(rsp), required));
  return requestFor(claim, observedFrom(rsp), required);
}
