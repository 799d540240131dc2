/**
 * The app's own data services, in the claim's namespace: PostgreSQL
 * (`database: postgres`) and Redis (`cache: redis`), each a one-replica
 * StatefulSet with a Service and a connection Secret the app reads with
 * envFrom. Passwords are generated once and recovered on every later call
 * from any copy that still holds them (lib/secrets.ts): the connection Secret
 * (observed or read live) and the backup `{name}-passwords-backup`.
 *
 * Turning an option off removes the server but keeps its Secret and (by the
 * StatefulSet's retention policy) its volume: turning it back on finds the
 * data with the password it was created with.
 */
import type { DesiredResource } from '../lib/function/compose.js';
import { officialDbPodSecurity, SHARED_IMAGES } from '../lib/images.js';
import { standardLabels, type KubeObject } from '../lib/k8s/objects.js';
import { readiness } from '../lib/k8s/readiness.js';
import { secretEnv, service, statefulSet, type Resources } from '../lib/k8s/workloads.js';
import { POSTGRES_PORT, postgresStatefulSet, postgresUrl } from '../lib/postgres.js';
import type { ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import { fullCopy, liveSecret, newPassword, recoverPasswords, secretObject, type PasswordCopy } from '../lib/secrets.js';
import type { ApplicationSpec } from './api.js';

export const REDIS_PORT = 6379;

const RESOURCES: Resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

/** Composition resource names. */
export const RESOURCE = {
  dbSecret: 'db-secret',
  db: 'db',
  dbService: 'db-service',
  cacheSecret: 'cache-secret',
  cache: 'cache',
  cacheService: 'cache-service',
  passwordsBackup: 'passwords-backup',
} as const;

export const dbSecretName = (name: string) => `${name}-db-secret`;
export const cacheSecretName = (name: string) => `${name}-cache-secret`;
export const passwordsBackupName = (name: string) => `${name}-passwords-backup`;

const PASSWORD_KEYS = ['DATABASE_PASSWORD', 'REDIS_PASSWORD'] as const;
type PasswordKey = (typeof PASSWORD_KEYS)[number];

/**
 * The app's generated passwords: each recovered from the first copy that holds
 * it, generated only when none does; `backup` is the second copy of all of
 * them, so deleting a connection Secret loses nothing.
 */
export interface Passwords {
  get(key: PasswordKey): string;
  backup(): DesiredResource | undefined;
  /** Reading the Secrets back live, for reconciles where Crossplane does not observe them. */
  requirements: Record<string, ResourceSelector>;
}

export function passwordsOf(spec: ApplicationSpec, namespace: string, observed: Record<string, KubeObject | undefined>, required: Record<string, KubeObject[]>): Passwords {
  const live = {
    db: liveSecret(dbSecretName(spec.name), namespace, required),
    cache: liveSecret(cacheSecretName(spec.name), namespace, required),
    backup: liveSecret(passwordsBackupName(spec.name), namespace, required),
  };
  const copies: PasswordCopy<PasswordKey>[] = [
    { secret: observed[RESOURCE.dbSecret], keys: { DATABASE_PASSWORD: 'DATABASE_PASSWORD' } },
    { secret: live.db.secret, keys: { DATABASE_PASSWORD: 'DATABASE_PASSWORD' } },
    { secret: observed[RESOURCE.cacheSecret], keys: { REDIS_PASSWORD: 'REDIS_PASSWORD' } },
    { secret: live.cache.secret, keys: { REDIS_PASSWORD: 'REDIS_PASSWORD' } },
    fullCopy(observed[RESOURCE.passwordsBackup], PASSWORD_KEYS),
    fullCopy(live.backup.secret, PASSWORD_KEYS),
  ];
  // Whatever any copy holds is kept (a part turned off keeps its password); new ones are added when asked for.
  const kept = recoverPasswords(PASSWORD_KEYS, copies);
  return {
    get: (key) => (kept[key] ??= newPassword()),
    backup: () =>
      Object.keys(kept).length === 0
        ? undefined
        : {
            resource: secretObject(passwordsBackupName(spec.name), namespace, kept as Record<string, string>, standardLabels(spec.name, RESOURCE.passwordsBackup)),
            ready: observed[RESOURCE.passwordsBackup] !== undefined,
          },
    requirements: { ...live.db.requirement, ...live.cache.requirement, ...live.backup.requirement },
  };
}

export interface Part {
  resources: Record<string, DesiredResource>;
  /** Secret the app reads, when the part has one. */
  secret?: string;
  ready: boolean;
  message?: string;
}

interface Context {
  spec: ApplicationSpec;
  namespace: string;
  observed: Record<string, KubeObject | undefined>;
  passwords: Passwords;
}

const host = (name: string, namespace: string) => `${name}.${namespace}.svc.cluster.local`;

/** The part's connection Secret; its password is kept (see passwordsOf), new only on first creation. */
function connectionSecret(c: Context, key: string, secret: string, passwordKey: PasswordKey, values: (password: string) => Record<string, string>): DesiredResource {
  const password = c.passwords.get(passwordKey);
  return {
    resource: secretObject(secret, c.namespace, values(password), standardLabels(c.spec.name, key)),
    ready: c.observed[key] !== undefined,
  };
}

/** A data server's part: its Secret, StatefulSet and Service, ready when the StatefulSet is. */
function serverPart(
  c: Context,
  secret: string,
  name: string,
  sts: DesiredResource['resource'],
  keys: { secret: [string, DesiredResource]; server: string; service: string },
  port: { name: string; port: number },
  labels: Record<string, string>,
): Part {
  const ready = readiness.statefulSet(c.observed[keys.server]);
  return {
    secret,
    ready,
    ...(ready ? {} : { message: `waiting for StatefulSet ${name}` }),
    resources: {
      [keys.secret[0]]: keys.secret[1],
      [keys.server]: { resource: sts, ready },
      [keys.service]: { resource: service(name, c.namespace, labels, [port]), ready: c.observed[keys.service] !== undefined },
    },
  };
}

export function database(c: Context): Part | undefined {
  const on = c.spec.database === 'postgres';
  if (!on && !c.observed[RESOURCE.dbSecret]) return undefined;
  const name = `${c.spec.name}-db`;
  const secret = dbSecretName(c.spec.name);
  const dbName = c.spec.name.replace(/-/g, '_');
  const hostName = host(name, c.namespace);
  const secretResource = connectionSecret(c, RESOURCE.dbSecret, secret, 'DATABASE_PASSWORD', (pw) => ({
    DATABASE_HOST: hostName,
    DATABASE_PORT: String(POSTGRES_PORT),
    DATABASE_NAME: dbName,
    DATABASE_USER: 'app',
    DATABASE_PASSWORD: pw,
    DATABASE_URL: postgresUrl({ user: 'app', password: pw, host: hostName, database: dbName }),
  }));
  if (!on) return { resources: { [RESOURCE.dbSecret]: secretResource }, ready: true, message: 'database: none; the Secret and volume are kept' };
  const labels = standardLabels(c.spec.name, 'database');
  const sts = postgresStatefulSet({
    name,
    namespace: c.namespace,
    labels,
    image: SHARED_IMAGES.postgres,
    password: { secret, key: 'DATABASE_PASSWORD' },
    owner: { user: 'app', database: dbName },
    resources: RESOURCES,
  });
  return serverPart(c, secret, name, sts, { secret: [RESOURCE.dbSecret, secretResource], server: RESOURCE.db, service: RESOURCE.dbService }, { name: 'postgres', port: POSTGRES_PORT }, labels);
}

export function cache(c: Context): Part | undefined {
  const on = c.spec.cache === 'redis';
  if (!on && !c.observed[RESOURCE.cacheSecret]) return undefined;
  const name = `${c.spec.name}-cache`;
  const secret = cacheSecretName(c.spec.name);
  const hostName = host(name, c.namespace);
  const secretResource = connectionSecret(c, RESOURCE.cacheSecret, secret, 'REDIS_PASSWORD', (pw) => ({
    REDIS_HOST: hostName,
    REDIS_PORT: String(REDIS_PORT),
    REDIS_PASSWORD: pw,
    REDIS_URL: `redis://:${encodeURIComponent(pw)}@${hostName}:${REDIS_PORT}/0`,
  }));
  if (!on) return { resources: { [RESOURCE.cacheSecret]: secretResource }, ready: true, message: 'cache: none; the Secret and volume are kept' };
  const labels = standardLabels(c.spec.name, 'cache');
  const ping = { exec: { command: ['sh', '-c', 'redis-cli --no-auth-warning -a "$REDIS_PASSWORD" ping | grep -q PONG'] } };
  const sts = statefulSet(
    {
      name,
      namespace: c.namespace,
      labels,
      podSecurity: officialDbPodSecurity(),
      containers: [
        {
          name: 'redis',
          image: SHARED_IMAGES.redis,
          // $(VAR) is expanded by the kubelet, so the password never sits in the spec.
          args: ['redis-server', '--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'yes', '--dir', '/data'],
          env: [secretEnv('REDIS_PASSWORD', secret, 'REDIS_PASSWORD')],
          ports: [{ name: 'redis', containerPort: REDIS_PORT }],
          readinessProbe: { ...ping, periodSeconds: 5, timeoutSeconds: 5 },
          livenessProbe: { ...ping, initialDelaySeconds: 20, periodSeconds: 10, timeoutSeconds: 5 },
          resources: RESOURCES,
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
    },
    [{ name: 'data', size: '1Gi' }],
  );
  return serverPart(c, secret, name, sts, { secret: [RESOURCE.cacheSecret, secretResource], server: RESOURCE.cache, service: RESOURCE.cacheService }, { name: 'redis', port: REDIS_PORT }, labels);
}
