/**
 * PostgreSQL: the platform's own store (Lenses HQ and agents, the dashboard)
 * and, with `database: postgres`, the applications' database. Databases and
 * roles come from an idempotent setup script that a Job runs against the
 * server; it runs again (a new Job) whenever the script changes.
 */
import { digest } from '../../lib/secrets.js';
import { configMap, job, secretEnv, service } from '../../lib/k8s/workloads.js';
import { officialDbPodSecurity } from '../../lib/images.js';
import { postgresStatefulSet } from '../../lib/postgres.js';
import { CREDENTIALS_SECRET, host, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { IMAGES } from '../images.js';
import { POSTGRES_PORT } from '../names.js';

/** Role → databases it owns, and the credentials key of its password. */
export function postgresDatabases(p: Platform): { role: string; passwordKey: string; databases: string[] }[] {
  return [
    { role: 'lenses', passwordKey: 'LENSES_DB_PASSWORD', databases: ['hq', 'agent1', 'agent2'] },
    { role: 'dashboard', passwordKey: 'DASHBOARD_DB_PASSWORD', databases: ['metabaseappdb', 'grafana'] },
    ...(p.spec.database === 'postgres' ? [{ role: 'app', passwordKey: 'APP_DB_PASSWORD', databases: ['app'] }] : []),
  ];
}

/** psql script: create missing roles and databases, (re)set passwords. Safe to run any number of times. */
export function setupScript(p: Platform): string {
  const lines = ['set -eu', `until pg_isready -h "$PGHOST" -U postgres; do echo waiting for postgres; sleep 3; done`];
  const sql: string[] = [];
  const vars: string[] = [];
  for (const { role, passwordKey, databases } of postgresDatabases(p)) {
    vars.push(`-v ${role}_pw="$${passwordKey}"`);
    sql.push(`SELECT 'CREATE ROLE ${role} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}')\\gexec`);
    sql.push(`ALTER ROLE ${role} PASSWORD :'${role}_pw';`);
    for (const db of databases) {
      sql.push(`SELECT 'CREATE DATABASE ${db} OWNER ${role}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${db}')\\gexec`);
    }
  }
  lines.push(`psql -v ON_ERROR_STOP=1 -U postgres ${vars.join(' ')} <<'SQL'`, ...sql, 'SQL');
  return lines.join('\n') + '\n';
}

export function postgres(p: Platform): Component {
  const l = labels(p, 'postgres');
  // The superuser only: the setup Job below creates every role and database.
  const sts = postgresStatefulSet({
    name: 'postgres',
    namespace: p.ns,
    labels: l,
    image: IMAGES.postgres,
    password: { secret: CREDENTIALS_SECRET, key: 'POSTGRES_PASSWORD' },
    resources: resources(p, 'postgres'),
    readinessFailureThreshold: 5,
  });
  const script = setupScript(p);
  const setupName = `postgres-setup-${digest(script)}`;
  const setup = job({
    name: setupName,
    namespace: p.ns,
    labels: labels(p, 'postgres-setup'),
    podSecurity: officialDbPodSecurity(),
    containers: [
      {
        name: 'setup',
        image: IMAGES.postgres,
        command: ['/bin/sh', '/scripts/setup.sh'],
        env: [
          { name: 'PGHOST', value: host(p, 'postgres') },
          secretEnv('PGPASSWORD', CREDENTIALS_SECRET, 'POSTGRES_PASSWORD'),
          ...postgresDatabases(p).map((d) => secretEnv(d.passwordKey, CREDENTIALS_SECRET, d.passwordKey)),
        ],
        resources: resources(p, 'job'),
        volumeMounts: [{ name: 'scripts', mountPath: '/scripts' }],
      },
    ],
    volumes: [{ name: 'scripts', configMap: { name: 'postgres-setup' } }],
  });
  return {
    resources: {
      postgres: res(p, 'postgres', sts, readiness.statefulSet),
      'postgres-service': res(p, 'postgres-service', service('postgres', p.ns, l, [{ name: 'postgres', port: POSTGRES_PORT }]), readiness.exists),
      'postgres-setup-script': res(p, 'postgres-setup-script', configMap('postgres-setup', p.ns, l, { 'setup.sh': script }), readiness.exists),
      // The Job's composition resource name carries the digest too, so a
      // changed script replaces the old Job instead of orphaning it.
      [setupName]: res(p, setupName, setup, readiness.job),
    },
  };
}
