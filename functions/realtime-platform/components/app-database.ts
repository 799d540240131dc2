/**
 * The applications' database when it is not the platform's PostgreSQL:
 * a dedicated MySQL or MongoDB server (`spec.database`).
 */
import { secretEnv, service, statefulSet } from '../../lib/k8s/workloads.js';
import { officialDbPodSecurity } from '../../lib/images.js';
import { CREDENTIALS_SECRET, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { IMAGES } from '../images.js';
import { APP_DB_PORTS } from '../names.js';

export function appDatabase(p: Platform): Component | undefined {
  if (p.spec.database === 'postgres') return undefined;
  const mysql = p.spec.database === 'mysql';
  // Named after the engine: switching engines starts a new server with its
  // own volume; the old StatefulSet goes, its volume claim stays (Retain).
  const name = `app-db-${p.spec.database}`;
  const l = labels(p, name);
  const port = APP_DB_PORTS[p.spec.database];
  const env = mysql
    ? [
        secretEnv('MYSQL_ROOT_PASSWORD', CREDENTIALS_SECRET, 'APP_DB_ROOT_PASSWORD'),
        { name: 'MYSQL_DATABASE', value: 'app' },
        { name: 'MYSQL_USER', value: 'app' },
        secretEnv('MYSQL_PASSWORD', CREDENTIALS_SECRET, 'APP_DB_PASSWORD'),
      ]
    : [{ name: 'MONGO_INITDB_ROOT_USERNAME', value: 'app' }, secretEnv('MONGO_INITDB_ROOT_PASSWORD', CREDENTIALS_SECRET, 'APP_DB_PASSWORD'), { name: 'MONGO_INITDB_DATABASE', value: 'app' }];
  const probe = mysql ? { exec: { command: ['mysqladmin', 'ping', '-h', '127.0.0.1'] } } : { exec: { command: ['mongosh', '--quiet', '--eval', 'db.adminCommand("ping")'] } };
  const sts = statefulSet(
    {
      name,
      namespace: p.ns,
      labels: l,
      podSecurity: officialDbPodSecurity(),
      containers: [
        {
          name: p.spec.database,
          image: mysql ? IMAGES.mysql : IMAGES.mongodb,
          ports: [{ name: 'db', containerPort: port }],
          env,
          readinessProbe: { ...probe, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5 },
          livenessProbe: { ...probe, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5 },
          resources: resources(p, 'appDatabase'),
          volumeMounts: [{ name: 'data', mountPath: mysql ? '/var/lib/mysql' : '/data/db' }],
        },
      ],
    },
    [{ name: 'data', size: '5Gi' }],
  );
  return {
    resources: {
      [name]: res(p, name, sts, readiness.statefulSet),
      'app-db-service': res(p, 'app-db-service', service('app-db', p.ns, l, [{ name: 'db', port }]), readiness.exists),
    },
  };
}
