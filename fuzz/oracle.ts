/**
 * What a response to a mutated request must satisfy: a function renders only
 * valid specs of its own kind, refuses everything else with a Fatal result
 * that names a field, never reports an internal error, and never shows a
 * secret value in results or the XR's status.
 */
import { Severity, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import type { Mutated } from './mutate.js';

/** A Fatal message names a field: a path below spec, input or the observed XR, then ': rule'. */
const NAMES_FIELD = /(^|: )(spec|input|observed)(\.[\w<>-]+|\[\d+\])*: \S/;

/** Secret keys whose values must never leave a Secret. */
// Case-insensitive: operator Secrets use keys like `password` too (examples/realtime-platform/required.yaml).
const SECRET_KEY = /PASSWORD|TOKEN|LICENSE|AGENT_KEY|PRIVATE_KEY/i;

export type Outcome = 'rendered' | 'fatal';

export interface Verdict {
  outcome: Outcome;
  /** Each broken promise, by name: 'invalid spec rendered', 'foreign kind rendered', 'internal error', 'fatal without field', 'secret seen'. */
  problems: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decoded values of secret-looking keys of every Secret-shaped object in `objects`. */
export function secretValues(objects: unknown[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (!isObject(o) || o.kind !== 'Secret' || !isObject(o.data)) continue;
    for (const [k, v] of Object.entries(o.data)) {
      if (typeof v !== 'string' || !SECRET_KEY.test(k)) continue;
      const value = Buffer.from(v, 'base64').toString('utf8');
      if (value.length >= 8) out.push(value);
    }
  }
  return out;
}

/** Secrets a request carries (observed and required Secrets). */
export function requestSecrets(req: RunFunctionRequest): string[] {
  const observed = Object.values(req.observed?.resources ?? {}).map((r) => r?.resource);
  const required = Object.values(req.requiredResources ?? {}).flatMap((r) => (Array.isArray(r?.items) ? r.items.map((i) => i?.resource) : []));
  return secretValues([...observed, ...required]);
}

/** `knownSecrets`: every secret the request carries (see requestSecrets) and any others that must not show. */
export function judge(m: Mutated, rsp: RunFunctionResponse, knownSecrets: readonly string[]): Verdict {
  const fatals = rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);
  const outcome: Outcome = fatals.length > 0 ? 'fatal' : 'rendered';
  const problems: string[] = [];
  if (outcome === 'rendered' && m.invalid) problems.push('invalid spec rendered');
  if (outcome === 'rendered' && m.fatal) problems.push('foreign kind rendered');
  for (const f of fatals) {
    if (f.startsWith('internal error')) problems.push('internal error');
    else if (!NAMES_FIELD.test(f)) problems.push('fatal without field');
  }
  const generated = secretValues(Object.values(rsp.desired?.resources ?? {}).map((r) => r?.resource));
  const visible = JSON.stringify([rsp.results, rsp.desired?.composite?.resource?.status ?? null]);
  if ([...knownSecrets, ...generated].some((s) => visible.includes(s))) problems.push('secret seen');
  return { outcome, problems };
}
