/**
 * The analytics dashboard: Metabase (3000) on its PostgreSQL database, or
 * Grafana (3000). Both keep their state in PostgreSQL, so switching between
 * them loses nothing. Metabase's first admin is created by a Job through its
 * setup API, once.
 */
import { digest } from '../../lib/secrets.js';
import { deployment, job, secretEnv, service } from '../../lib/k8s/workloads.js';
import { restrictedPodSecurity } from '../../lib/k8s/security.js';
import { CREDENTIALS_SECRET, host, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { IMAGE_UIDS, IMAGES } from '../images.js';
import { DASHBOARD_PORT, dashboardAdmin, POSTGRES_PORT } from '../names.js';

/** Users the images define: metabase (2000) and grafana (472). */
const UID = { metabase: 2000, grafana: 472 } as const;

/** Creates Metabase's first admin through /api/setup; exits 0 when setup was already done. */
function metabaseSetupScript(p: Platform): string {
  const url = `http://${host(p, 'metabase')}:${DASHBOARD_PORT}`;
  return [
    'set -eu',
    `until curl -fsS ${url}/api/health >/dev/null; do echo waiting for metabase; sleep 5; done`,
    `token=$(curl -fsS ${url}/api/session/properties | grep -o '"setup-token":"[^"]*"' | cut -d'"' -f4 || true)`,
    'if [ -z "$token" ]; then echo "metabase is set up already"; exit 0; fi',
    `printf '{"token":"%s","user":{"email":"%s","password":"%s","first_name":"Platform","last_name":"Admin"},"prefs":{"site_name":"${p.name}","allow_tracking":false}}' "$token" "$ADMIN_EMAIL" "$ADMIN_PASSWORD" > /tmp/setup.json`,
    `curl -fsS -X POST -H 'Content-Type: application/json' --data @/tmp/setup.json ${url}/api/setup >/dev/null`,
    'echo "metabase admin created"',
  ].join('\n');
}

export function dashboard(p: Platform): Component {
  const kind = p.spec.visualization;
  const l = labels(p, kind);
  const db = { host: host(p, 'postgres'), port: String(POSTGRES_PORT) };
  const env =
    kind === 'metabase'
      ? [
          { name: 'MB_DB_TYPE', value: 'postgres' },
          // Metabase unpacks its drivers at start; /plugins is not writable by its user.
          { name: 'MB_PLUGINS_DIR', value: '/tmp/plugins' },
          { name: 'MB_DB_HOST', value: db.host },
          { name: 'MB_DB_PORT', value: db.port },
          { name: 'MB_DB_DBNAME', value: 'metabaseappdb' },
          { name: 'MB_DB_USER', value: 'dashboard' },
          secretEnv('MB_DB_PASS', CREDENTIALS_SECRET, 'DASHBOARD_DB_PASSWORD'),
        ]
      : [
          { name: 'GF_DATABASE_TYPE', value: 'postgres' },
          { name: 'GF_DATABASE_HOST', value: `${db.host}:${db.port}` },
          { name: 'GF_DATABASE_NAME', value: 'grafana' },
          { name: 'GF_DATABASE_USER', value: 'dashboard' },
          secretEnv('GF_DATABASE_PASSWORD', CREDENTIALS_SECRET, 'DASHBOARD_DB_PASSWORD'),
          { name: 'GF_SECURITY_ADMIN_USER', value: 'admin' },
          secretEnv('GF_SECURITY_ADMIN_PASSWORD', CREDENTIALS_SECRET, 'DASHBOARD_ADMIN_PASSWORD'),
        ];
  // Both serve GET /api/health (the PRD's Metabase check).
  const healthPath = '/api/health';
  const dep = deployment(
    {
      name: kind,
      namespace: p.ns,
      labels: l,
      podSecurity: restrictedPodSecurity({ runAsUser: UID[kind], runAsGroup: UID[kind], fsGroup: UID[kind] }),
      containers: [
        {
          name: kind,
          image: kind === 'metabase' ? IMAGES.metabase : IMAGES.grafana,
          ports: [{ name: 'http', containerPort: DASHBOARD_PORT }],
          env,
          readinessProbe: { httpGet: { path: healthPath, port: DASHBOARD_PORT }, initialDelaySeconds: 20, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 20 },
          livenessProbe: { httpGet: { path: healthPath, port: DASHBOARD_PORT }, initialDelaySeconds: 180, periodSeconds: 30, timeoutSeconds: 5 },
          resources: resources(p, kind),
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
    1,
  );
  const parts: Component['resources'] = {
    [kind]: res(p, kind, dep, readiness.deployment),
    [`${kind}-service`]: res(p, `${kind}-service`, service(kind, p.ns, l, [{ name: 'http', port: DASHBOARD_PORT }]), readiness.exists),
  };
  if (kind === 'metabase') {
    const script = metabaseSetupScript(p);
    const name = `metabase-setup-${digest(script)}`;
    parts[name] = res(
      p,
      name,
      job({
        name,
        namespace: p.ns,
        labels: labels(p, 'metabase-setup'),
        podSecurity: restrictedPodSecurity({ runAsUser: IMAGE_UIDS[IMAGES.curl] }),
        containers: [
          {
            name: 'setup',
            image: IMAGES.curl,
            command: ['/bin/sh', '-c', script],
            env: [{ name: 'ADMIN_EMAIL', value: dashboardAdmin(p).user }, secretEnv('ADMIN_PASSWORD', CREDENTIALS_SECRET, 'DASHBOARD_ADMIN_PASSWORD')],
            resources: resources(p, 'job'),
          },
        ],
      }),
      readiness.job,
    );
  }
  return { resources: parts };
}
