/**
 * Secrets a function composes. Generated passwords are created once and then
 * read back from the observed Secret on every later call, so they never change
 * while the Secret exists; a key added later (a new option) is generated then
 * and kept the same way. Operator-provided secrets are fetched through the
 * function's resource requirements and read from the required resources.
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

/** The decoded data of an observed Secret (empty when absent). */
export function secretData(secret: KubeObject | undefined): Record<string, string> {
  const data = (secret?.data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, unb64(v)]));
}

/** 32 URL-safe characters from the system CSPRNG. */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The passwords named by `keys`: each one as the observed Secret has it, or
 * newly generated when the Secret does not hold it yet.
 */
export function keptPasswords<K extends string>(observed: KubeObject | undefined, keys: readonly K[]): Record<K, string> {
  const current = secretData(observed);
  return Object.fromEntries(keys.map((k) => [k, current[k] || newPassword()])) as Record<K, string>;
}

/** A Secret object with string data (stored base64, as the API returns it). */
export function secretObject(
  name: string,
  namespace: string,
  values: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject {
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
export function requiredSecretValue(
  required: Record<string, KubeObject[]>,
  ref: SecretKeyRef,
  namespace: string,
): string | undefined {
  const [secret] = required[requirementName(ref, namespace)] ?? [];
  const value = secretData(secret)[ref.key];
  return value === '' ? undefined : value;
}

/** Short stable digest, for names that must change when content changes (Jobs). */
export function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 8);
}
