/**
 * The five connection Secrets `{name}-{mqtt,kafka,db,metabase,lenses}-secret`,
 * in the claim's namespace (for applications) and in the platform namespace
 * (for its own components), plus `platform-credentials` and
 * `platform-credentials-backup`, which keep every generated password. Keys are prefixed per service, so an application can
 * `envFrom` all five without collisions.
 */
import { MQTT_PORT, MQTT_WEBSOCKET_PORT } from '../../lib/mosquitto.js';
import { realtimeSecretName, type RealtimeSecretKind } from '../../lib/realtime.js';
import { secretObject } from '../../lib/secrets.js';
import { CREDENTIALS, CREDENTIALS_BACKUP, CREDENTIALS_BACKUP_SECRET, CREDENTIALS_SECRET, host, labels, readiness, res, type Component, type Platform } from '../context.js';
import { appDatabaseEndpoint, DASHBOARD_PORT, dashboardAdmin, endpoints, HQ_HTTP_PORT, kafkaUrls, LENSES_ADMIN, MQTT_PLATFORM_USER } from '../names.js';

export type SecretKind = RealtimeSecretKind;

export function secretName(p: Platform, kind: SecretKind): string {
  return realtimeSecretName(p.name, kind);
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
    [CREDENTIALS_BACKUP]: res(p, CREDENTIALS_BACKUP, secretObject(CREDENTIALS_BACKUP_SECRET, p.ns, p.passwords, labels(p, 'credentials')), readiness.exists),
  };
  for (const kind of secretKinds(p)) {
    const data = values(p, kind);
    const name = secretName(p, kind);
    const l = labels(p, `${kind}-secret`);
    out[`${kind}-secret`] = res(p, `${kind}-secret`, secretObject(name, p.claimNs, data, l), readiness.exists);
    out[`${kind}-secret-platform`] = res(p, `${kind}-secret-platform`, secretObject(name, p.ns, data, l), readiness.exists);
  }
  return { resources: out };
}
