/**
 * A PostgreSQL server from the official image, as the platform runs it for
 * the realtime platform's own store and for an application's database: a
 * one-replica StatefulSet under `restricted` as the image's own user, its
 * data on a retained 5Gi volume, probed with pg_isready. The Service, the
 * Secret with the password and any setup stay with the caller.
 */
import type { StatefulSet } from 'kubernetes-models/apps/v1';
import { officialDbPodSecurity } from './images.js';
import { secretEnv, statefulSet, type Resources } from './k8s/workloads.js';

export const POSTGRES_PORT = 5432;

/** The connection URL applications read (libpq's URI form; the password URI-encoded). */
export function postgresUrl(c: { user: string; password: string; host: string; database: string }): string {
  return `postgresql://${c.user}:${encodeURIComponent(c.password)}@${c.host}:${POSTGRES_PORT}/${c.database}`;
}

export interface PostgresServer {
  /** StatefulSet name (and its Service's, by the caller). */
  name: string;
  namespace: string;
  labels: Record<string, string>;
  image: string;
  /** The password of `owner.user`, or of the superuser `postgres` without an owner. */
  password: { secret: string; key: string };
  /**
   * The user and database the image creates on first start (POSTGRES_USER,
   * POSTGRES_DB). Omitted: only the superuser, and the caller's own setup
   * creates roles and databases.
   */
  owner?: { user: string; database: string };
  resources: Resources;
  /** Failed readiness probes before the Pod leaves its Service; Kubernetes' default (3) when omitted. */
  readinessFailureThreshold?: number;
}

export function postgresStatefulSet(s: PostgresServer): StatefulSet {
  const isReady = { exec: { command: ['pg_isready', '-U', s.owner?.user ?? 'postgres', ...(s.owner ? ['-d', s.owner.database] : []), '-h', '127.0.0.1'] } };
  return statefulSet(
    {
      name: s.name,
      namespace: s.namespace,
      labels: s.labels,
      podSecurity: officialDbPodSecurity(),
      containers: [
        {
          name: 'postgres',
          image: s.image,
          ports: [{ name: 'postgres', containerPort: POSTGRES_PORT }],
          env: [
            // The image creates user and database on first start from these.
            ...(s.owner
              ? [
                  { name: 'POSTGRES_USER', value: s.owner.user },
                  { name: 'POSTGRES_DB', value: s.owner.database },
                ]
              : []),
            secretEnv('POSTGRES_PASSWORD', s.password.secret, s.password.key),
            // A subdirectory: the volume's root holds lost+found, which initdb refuses.
            { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
          ],
          readinessProbe: { ...isReady, periodSeconds: 5, timeoutSeconds: 5, ...(s.readinessFailureThreshold ? { failureThreshold: s.readinessFailureThreshold } : {}) },
          livenessProbe: { ...isReady, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
          resources: s.resources,
          volumeMounts: [
            { name: 'data', mountPath: '/var/lib/postgresql/data' },
            { name: 'run', mountPath: '/var/run/postgresql' },
          ],
        },
      ],
      volumes: [{ name: 'run', emptyDir: {} }],
    },
    [{ name: 'data', size: '5Gi' }],
  );
}
