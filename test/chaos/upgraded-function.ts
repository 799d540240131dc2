/**
 * "Version 2" of a function for the upgrade fault (test/chaos/scenarios.ts):
 * the released function, served the same way (functions/lib/serve.ts), with
 * one change in its output, as a new release would bring: the label
 * CHAOS_LABEL=CHAOS_VALUE on the composed resource named CHAOS_RESOURCE.
 * CHAOS_FUNCTION names the function (its folder under functions/).
 */
import type { ComposeFunction, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { serveFunction } from '../../functions/lib/serve.js';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const [name, resource, label, value] = ['CHAOS_FUNCTION', 'CHAOS_RESOURCE', 'CHAOS_LABEL', 'CHAOS_VALUE'].map(env);
const { compose } = (await import(`../../functions/${name}/function.js`)) as { compose: ComposeFunction };

const upgraded: ComposeFunction = async (req, rsp) => {
  const out: RunFunctionResponse = await compose(req, rsp);
  const r = out.desired?.resources?.[resource]?.resource as { metadata?: { labels?: Record<string, string> } } | undefined;
  if (r) r.metadata = { ...r.metadata, labels: { ...r.metadata?.labels, [label]: value } };
  return out;
};

serveFunction(upgraded, `function-${name}`);
