/**
 * The five connection Secrets `{name}-{mqtt,kafka,db,metabase,lenses}-secret`
 * in the claim's namespace (for applications), their copies
 * `{name}-{kind}-connection` in the platform namespace (for workloads beside
 * the platform), plus `platform-credentials` (platform namespace)
 * and its copy `{name}-platform-credentials-backup` (claim namespace), which
 * keep every generated password. Keys are prefixed per service, so an
 * application can `envFrom` all five without collisions.
 */
import { MQTT_PORT, MQTT_WEBSOCKET_PORT } from '../../lib/mosquitto.js';
import { realtimeSecretName, type RealtimeSecretKind } from '../../lib/realtime.js';
import { secretObject } from '../../lib/secrets.js';
import { CREDENTIALS, CREDENTIALS_BACKUP, CREDENTIALS_SECRET, credentialsBackupSecret, host, labels, platformCopyResource, readiness, res, type Component, type Platform } from '../context.js';
import { appDatabaseEndpoint, DASHBOARD_PORT, dashboardAdmin, endpoints, HQ_HTTP_PORT, kafkaUrls, LENSES_ADMIN, MQTT_PLATFORM_USER } from '../names.js';

export type SecretKind = RealtimeSecretKind;

export function secretName(p: Platform, kind: SecretKind): string {
  return realtimeSecretName(p.name, kind);
}

/**
 * The platform namespace's copy has a name of its own: Crossplane v2.2.1 orders
 * an XR's spec.resourceRefs by apiVersion, kind and name only, with an unstable
 * sort (UpdateResourceRefs, internal/controller/apiextensions/composite/composition_functions.go
 * @v2.2.1), so two Secrets of one name swapped places on every reconcile, each
 * swap an XR update that queued the next reconcile at once (17 function calls
 * a minute per claim, bench/claims-scale.ts). A new resource name too
 * (context.ts platformCopyResource), so Crossplane deletes the copy composed
 * under the old name.
 */
export function platformCopyName(p: Platform, kind: SecretKind): string {
  return `${p.name}-${kind}-connection`;
}

/** Which connection Secrets exist for this spec (MQTT only with IoT, Lenses only when enabled). */
export function secretKinds(p: Platform): SecretKind[] {
  return ['kafka', 'db', 'metabase', ...(p.iot ? (['mqtt'] as const) : []), ...(p.spec.lenses.enabled ? (['lenses'] as const) : [])];
}

function values(p: Platform, kind: SecretKind): Record<string, string> {
  const ext = endpoints(p);
  switch (kind) {
    case 'mqtt':
      return {
        MQTT_HOST: host(p, 'mqtt'),
        MQTT_PORT: String(MQTT_PORT),
        MQTT_WEBSOCKET_URL: `ws://${host(p, 'mqtt')}:${MQTT_WEBSOCKET_PORT}/mqtt`,
        MQTT_USERNAME: MQTT_PLATFORM_USER,
        MQTT_PASSWORD: p.passwords.MQTT_PLATFORM_PASSWORD,
      };
    case 'kafka': {
      const k = kafkaUrls(p);
      return { KAFKA_BOOTSTRAP_SERVERS: k.bootstrap, SCHEMA_REGISTRY_URL: k.schemaRegistry, KAFKA_CONNECT_URL: k.connect };
    }
    case 'db': {
      const db = appDatabaseEndpoint(p);
      return {
        DB_TYPE: db.type,
        DB_HOST: db.host,
        DB_PORT: String(db.port),
        DB_NAME: 'app',
        DB_USER: 'app',
        DB_PASSWORD: p.passwords.APP_DB_PASSWORD,
        DATABASE_URL: db.url(p.passwords.APP_DB_PASSWORD),
      };
    }
    case 'metabase':
      return {
        DASHBOARD_TYPE: p.spec.visualization,
        DASHBOARD_URL: `http://${host(p, p.spec.visualization)}:${DASHBOARD_PORT}`,
        ...(ext.metabaseUI ? { DASHBOARD_EXTERNAL_URL: ext.metabaseUI } : {}),
        DASHBOARD_ADMIN_USER: dashboardAdmin(p).user,
        DASHBOARD_ADMIN_PASSWORD: p.passwords.DASHBOARD_ADMIN_PASSWORD,
      };
    case 'lenses':
      return {
        LENSES_URL: `http://${host(p, 'lenses-hq')}:${HQ_HTTP_PORT}`,
        ...(ext.lensesUI ? { LENSES_EXTERNAL_URL: ext.lensesUI } : {}),
        LENSES_ADMIN_USER: LENSES_ADMIN,
        LENSES_ADMIN_PASSWORD: p.passwords.LENSES_ADMIN_PASSWORD,
      };
  }
}

export function connectionSecrets(p: Platform): Component {
  const out: Component['resources'] = {
    [CREDENTIALS]: res(p, CREDENTIALS, secretObject(CREDENTIALS_SECRET, p.ns, p.passwords, labels(p, 'credentials')), readiness.exists),
    [CREDENTIALS_BACKUP]: res(p, CREDENTIALS_BACKUP, secretObject(credentialsBackupSecret(p.name), p.claimNs, p.passwords, labels(p, 'credentials')), readiness.exists),
  };
  for (const kind of secretKinds(p)) {
    const data = values(p, kind);
    const name = secretName(p, kind);
    const l = labels(p, `${kind}-secret`);
    out[`${kind}-secret`] = res(p, `${kind}-secret`, secretObject(name, p.claimNs, data, l), readiness.exists);
    out[platformCopyResource(kind)] = res(p, platformCopyResource(kind), secretObject(platformCopyName(p, kind), p.ns, data, l), readiness.exists);
  }
  return { resources: out };
}
