/**
 * Secrets a function composes. Generated passwords are created once and never
 * regenerated while any copy of them exists: every call recovers each one from
 * the first place that still holds it (the observed Secret, the same Secret
 * read live through the function's requirements, a backup Secret, connection
 * Secrets that carry it), so a Secret missing from observed state for a
 * reconcile (a partial first apply, an apply error, someone deleting it) gets
 * its old values back. Only a password no copy holds is generated: a true first
 * create, or a key added later (a new option). Operator-provided secrets are
 * fetched through the function's requirements and read from the required
 * resources.
 *
 * Nothing here logs or returns a value outside a Secret's data.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import type { KubeObject } from './k8s/objects.js';

export function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

export function unb64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/**
 * The decoded data of an observed Secret (empty when absent). Observed state is
 * not trusted: data that is not an object, and values that are not strings, are
 * ignored rather than crashing the call.
 */
export function secretData(secret: KubeObject | undefined): Record<string, string> {
  const data = secret?.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  return Object.fromEntries(
    Object.entries(data)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => [k, unb64(v)]),
  );
}

/** 32 URL-safe characters from the system CSPRNG. */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A place where generated passwords may still exist: a Secret (observed, or
 * read live through a requirement) and, for each password, the data key that
 * holds it there (a connection Secret calls APP_DB_PASSWORD `DB_PASSWORD`).
 */
export interface PasswordCopy<K extends string> {
  secret: KubeObject | undefined;
  keys: Partial<Record<K, string>>;
}

/** A copy holding every password under its own name (the credentials Secret and its backup). */
export function fullCopy<K extends string>(secret: KubeObject | undefined, keys: readonly K[]): PasswordCopy<K> {
  const same: Partial<Record<K, string>> = {};
  for (const k of keys) same[k] = k;
  return { secret, keys: same };
}

/** Each of `keys` from the first copy that holds it; a key no copy holds is absent. Each copy is decoded once. */
export function recoverPasswords<K extends string>(keys: readonly K[], copies: readonly PasswordCopy<K>[]): Partial<Record<K, string>> {
  const decoded = copies.map((copy) => ({ keys: copy.keys, data: secretData(copy.secret) }));
  const found: Partial<Record<K, string>> = {};
  for (const key of keys) {
    for (const copy of decoded) {
      const dataKey = copy.keys[key];
      const value = dataKey === undefined ? undefined : copy.data[dataKey];
      if (value) {
        found[key] = value;
        break;
      }
    }
  }
  return found;
}

/**
 * The passwords named by `keys`: each one recovered from the first copy that
 * holds it, generated only when no copy does.
 */
export function keptPasswords<K extends string>(keys: readonly K[], copies: readonly PasswordCopy<K>[]): Record<K, string> {
  const found = recoverPasswords(keys, copies);
  return Object.fromEntries(keys.map((k) => [k, found[k] ?? newPassword()])) as Record<K, string>;
}

/**
 * Requirements under this prefix read the function's own composed Secrets
 * back; the others are Secrets an operator must provide (`platform doctor`
 * reports only those).
 */
export const LIVE_SECRET_PREFIX = 'live-secret-';

/** Requirement name under which a composed Secret is read back live. */
export function liveSecretRequirementName(name: string, namespace: string): string {
  return `${LIVE_SECRET_PREFIX}${namespace}-${name}`;
}

/**
 * The requirement reading a composed Secret back live, and the Secret once
 * Crossplane supplied it. The live Secret covers reconciles where Crossplane
 * does not observe a Secret that exists (a partial first apply, an apply error).
 */
export function liveSecret(name: string, namespace: string, required: Record<string, KubeObject[]>) {
  const requirement = liveSecretRequirementName(name, namespace);
  return {
    requirement: { [requirement]: { apiVersion: 'v1', kind: 'Secret', matchName: name, namespace } satisfies ResourceSelector },
    secret: (required[requirement] ?? [])[0],
  };
}

/** A Secret object with string data (stored base64, as the API returns it). */
export function secretObject(name: string, namespace: string, values: Record<string, string>, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])),
  };
}

/**
 * A reference to a key of a Secret the operator provides. It has no
 * namespace: Crossplane reads it with its own rights, so a claim may only
 * name Secrets of the claim's own namespace.
 */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** How status messages name a referenced Secret key. */
export function describeRef(ref: SecretKeyRef): string {
  return `Secret ${ref.name} key ${ref.key}`;
}

/** Requirement name under which a referenced Secret is fetched. */
export function requirementName(ref: SecretKeyRef, namespace: string): string {
  return `secret-${namespace}-${ref.name}`;
}

/** The selector asking Crossplane for a referenced Secret. */
export function secretRequirement(ref: SecretKeyRef, namespace: string): ResourceSelector {
  return { apiVersion: 'v1', kind: 'Secret', matchName: ref.name, namespace };
}

/** The value of a referenced Secret key, once Crossplane has supplied the Secret. */
export function requiredSecretValue(required: Record<string, KubeObject[]>, ref: SecretKeyRef, namespace: string): string | undefined {
  const [secret] = required[requirementName(ref, namespace)] ?? [];
  const value = secretData(secret)[ref.key];
  return value === '' ? undefined : value;
}

/**
 * An operator Secret's value, or, while it cannot be read (the Secret or its
 * key deleted), the value the function last composed from it: `composed` reads
 * it back from the composed object that holds it, undefined when none does.
 * `kept` says the value came from there (the status must say the Secret is
 * missing). Without this, a deleted operator Secret made the function stop
 * returning what it had composed from it, and Crossplane deletes every composed
 * resource a function stops returning (DeletingComposedResourceGarbageCollector,
 * internal/controller/apiextensions/composite/composition_functions.go, v2.2.1):
 * the chaos test (test/chaos/) saw Lenses HQ, its agent and their configuration
 * deleted that way. Recreating the Secret with another value changes it again.
 */
export function operatorSecretValue(required: Record<string, KubeObject[]>, ref: SecretKeyRef, namespace: string, composed: () => string | undefined): { value?: string; kept: boolean } {
  const value = requiredSecretValue(required, ref, namespace);
  if (value !== undefined) return { value, kept: false };
  const copy = composed();
  return copy ? { value: copy, kept: true } : { kept: false };
}

/** Short stable digest, for names that must change when content changes (Jobs). */
export function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 8);
}

/**
 * The digest as an annotation value (a pod template's, so a changed
 * configuration restarts the Pods). Prefixed because eight hex digits can read
 * as a number: `12e45678` is a string to Go's YAML, which prints it unquoted
 * (a plain scalar is a float only when strconv.ParseFloat succeeds, and it
 * overflows: go.yaml.in/yaml/v2 v2.4.2 resolve.go l.163-167, the YAML of
 * sigs.k8s.io/yaml v1.6.0 that crank v2.2.1 builds with, tools/crank/go.sum),
 * and a float overflowing to Infinity to a YAML 1.2 reader (the `yaml`
 * package), which writes it back as `.inf`: one realtime render in about 25
 * failed so in the conformance suite.
 */
export function configDigest(...parts: string[]): string {
  return `sha256-${digest(...parts)}`;
}
