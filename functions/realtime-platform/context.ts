/**
 * What every component of the platform needs to know: names, hosts, labels,
 * resources, the kept passwords and the operator's secrets.
 */
import type { DesiredResource } from '../lib/function/compose.js';
import { standardLabels, type KubeObject } from '../lib/k8s/objects.js';
import type { Resources } from '../lib/k8s/workloads.js';
import type { ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import { parse } from 'yaml';
import { describeRef, fullCopy, keptPasswords, liveSecret, operatorSecretValue, secretData, requiredSecretValue, type PasswordCopy, type SecretKeyRef } from '../lib/secrets.js';
import type { RealtimePlatformSpec } from './api.js';
import { RESOURCES } from './images.js';

/** Every generated password, kept in the `platform-credentials` Secret. */
export const PASSWORD_KEYS = [
  'POSTGRES_PASSWORD',
  'LENSES_DB_PASSWORD',
  'DASHBOARD_DB_PASSWORD',
  'APP_DB_ROOT_PASSWORD',
  'APP_DB_PASSWORD',
  'LENSES_ADMIN_PASSWORD',
  'MQTT_PLATFORM_PASSWORD',
  'DASHBOARD_ADMIN_PASSWORD',
] as const;
export type PasswordKey = (typeof PASSWORD_KEYS)[number];

/** Composition resource name of the Secret that keeps the generated passwords. */
export const CREDENTIALS = 'credentials';
export const CREDENTIALS_SECRET = 'platform-credentials';
/**
 * A second full copy, in the claim's namespace, so neither deleting one of the
 * two Secrets nor deleting the platform namespace (with everything in it) loses
 * a password: four of them (PostgreSQL's superuser among them) are in no
 * connection Secret. The chaos test (test/chaos/, issue 25) saw those four
 * generated again when the copy lived in the platform namespace and that was
 * deleted. Its resource name is new, so Crossplane removes the copy earlier
 * versions kept in the platform namespace (read below while it is observed).
 */
export const CREDENTIALS_BACKUP = 'credentials-backup-claim-namespace';
export const credentialsBackupSecret = (name: string) => `${name}-platform-credentials-backup`;
/** Where versions before issue 25 kept the copy: the platform namespace. */
const EARLIER_CREDENTIALS_BACKUP = 'credentials-backup';

/**
 * Composition resource name of a connection Secret's copy in the platform
 * namespace (components/connection-secrets.ts says why it is new), and the one
 * versions before it used, read below while Crossplane still observes it.
 */
export const platformCopyResource = (kind: string) => `${kind}-connection-platform`;
const earlierPlatformCopyResource = (kind: string) => `${kind}-secret-platform`;

/** Connection Secrets (both namespaces' copies) that carry a generated password, under their own key. */
const CONNECTION_COPIES: Record<string, Partial<Record<PasswordKey, string>>> = {
  mqtt: { MQTT_PLATFORM_PASSWORD: 'MQTT_PASSWORD' },
  db: { APP_DB_PASSWORD: 'DB_PASSWORD' },
  metabase: { DASHBOARD_ADMIN_PASSWORD: 'DASHBOARD_ADMIN_PASSWORD' },
  lenses: { LENSES_ADMIN_PASSWORD: 'LENSES_ADMIN_PASSWORD' },
};

/**
 * Every place the generated passwords may still be, best first, and the
 * requirements that read the two credentials Secrets back live.
 */
function passwordCopies(name: string, ns: string, claimNs: string, observed: Record<string, KubeObject | undefined>, required: Record<string, KubeObject[]>) {
  const live = liveSecret(CREDENTIALS_SECRET, ns, required);
  const liveBackup = liveSecret(credentialsBackupSecret(name), claimNs, required);
  const copies: PasswordCopy<PasswordKey>[] = [
    fullCopy(observed[CREDENTIALS], PASSWORD_KEYS),
    fullCopy(live.secret, PASSWORD_KEYS),
    fullCopy(observed[CREDENTIALS_BACKUP], PASSWORD_KEYS),
    fullCopy(liveBackup.secret, PASSWORD_KEYS),
    fullCopy(observed[EARLIER_CREDENTIALS_BACKUP], PASSWORD_KEYS),
    ...Object.entries(CONNECTION_COPIES).flatMap(([kind, keys]) => [
      { secret: observed[platformCopyResource(kind)], keys },
      { secret: observed[earlierPlatformCopyResource(kind)], keys },
      { secret: observed[`${kind}-secret`], keys },
    ]),
  ];
  return { copies, requirements: { ...live.requirement, ...liveBackup.requirement } };
}

export interface Platform {
  spec: RealtimePlatformSpec;
  name: string;
  /** The platform's own namespace, `{name}-realtime`. */
  ns: string;
  claimNs: string;
  passwords: Record<PasswordKey, string>;
  /** Reading the credentials Secrets back live (see passwordCopies). */
  passwordRequirements: Record<string, ResourceSelector>;
  observed: Record<string, KubeObject | undefined>;
  /** Operator secret values, once Crossplane supplied them. */
  secret: (ref: SecretKeyRef) => string | undefined;
  /**
   * An operator secret value, or while its Secret is missing the value last
   * composed from it, read back by `composed` (lib/secrets.ts operatorSecretValue).
   */
  keptSecret: (ref: SecretKeyRef, composed: () => string | undefined) => { value?: string; kept: boolean };
  iot: boolean;
}

export function platformOf(spec: RealtimePlatformSpec, claimNs: string, observed: Record<string, KubeObject | undefined>, required: Record<string, KubeObject[]>): Platform {
  const ns = `${spec.name}-realtime`;
  const { copies, requirements } = passwordCopies(spec.name, ns, claimNs, observed, required);
  return {
    spec,
    name: spec.name,
    ns,
    claimNs,
    passwords: keptPasswords(PASSWORD_KEYS, copies),
    passwordRequirements: requirements,
    observed,
    secret: (ref) => requiredSecretValue(required, ref, claimNs),
    keptSecret: (ref, composed) => operatorSecretValue(required, ref, claimNs, composed),
    iot: spec.iot && spec.mqtt.enabled,
  };
}

/** Status words for a component that keeps values composed before, while the operator Secrets they came from are missing. */
export function keptMessage(component: string, refs: SecretKeyRef[]): string {
  return `${component} keeps what was composed from ${refs.map(describeRef).join(' and ')}: missing`;
}

/**
 * A field of a YAML file this function composed into a Secret (resource name,
 * data key, path), read back from observed state; undefined when it is not
 * there or not a non-empty string (observed state is not trusted).
 */
export function composedYamlField(p: Platform, resource: string, file: string, path: (string | number)[]): string | undefined {
  const text = secretData(p.observed[resource])[file];
  if (!text) return undefined;
  try {
    let v: unknown = parse(text);
    for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[k] : undefined;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A key of a Secret this function composed, read back from observed state. */
export function composedSecretKey(p: Platform, resource: string, key: string): string | undefined {
  return secretData(p.observed[resource])[key] || undefined;
}

export function host(p: Platform, service: string): string {
  return `${service}.${p.ns}.svc.cluster.local`;
}

export function labels(p: Platform, component: string): Record<string, string> {
  return { ...standardLabels(p.name, component), 'app.kubernetes.io/part-of': 'realtime-platform' };
}

export function resources(p: Platform, component: keyof typeof RESOURCES): Resources {
  const res = RESOURCES[component][p.spec.resources];
  return { requests: { ...res.requests }, limits: { ...res.limits } };
}

/**
 * A component: its composed resources, each with its readiness. The
 * component is ready when all of them are and it waits for nothing.
 */
export interface Component {
  resources: Record<string, DesiredResource>;
  /** Why it cannot be ready yet (an operator Secret it needs), for the status message. */
  waiting?: string;
}

export { readiness } from '../lib/k8s/readiness.js';

/** A resource with readiness judged from its observed counterpart of the same name. */
export function res(p: Platform, name: string, resource: DesiredResource['resource'], judge: (o: KubeObject | undefined) => boolean): DesiredResource {
  return { resource, ready: judge(p.observed[name]) };
}
