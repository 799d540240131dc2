/**
 * The names, ports and URLs by which the platform's components find each
 * other, in one place: each component builds its own objects from these and
 * imports no other component. (context.ts holds what every component reads
 * from the claim; this holds what one component tells another.)
 */
import { POSTGRES_PORT, postgresUrl } from '../lib/postgres.js';
import { host, type Platform } from './context.js';

/** PostgreSQL (functions/lib/postgres.ts): the platform's own store and, with `database: postgres`, the applications'. */
export { POSTGRES_PORT };

/** Kafka from fast-data-dev: broker, Schema Registry and Connect in one pod. */
export const KAFKA_PORT = 9092;
export const SCHEMA_REGISTRY_PORT = 8081;
export const CONNECT_PORT = 8083;

export const kafkaUrls = (p: Platform) => ({
  bootstrap: `${host(p, 'kafka')}:${KAFKA_PORT}`,
  schemaRegistry: `http://${host(p, 'kafka')}:${SCHEMA_REGISTRY_PORT}`,
  connect: `http://${host(p, 'kafka')}:${CONNECT_PORT}`,
});

/** Metabase and Grafana both listen on 3000. */
export const DASHBOARD_PORT = 3000;

export function dashboardAdmin(p: Platform): { user: string } {
  return { user: p.spec.visualization === 'metabase' ? `admin@${p.name}.local` : 'admin' };
}

/** Lenses HQ: the UI and API, and the port its agents connect to. */
export const HQ_HTTP_PORT = 9991;
export const HQ_AGENTS_PORT = 10000;
export const LENSES_ADMIN = 'admin';
/** The HQ environment the agent joins; SQL processors are created in it. */
export const LENSES_ENVIRONMENT = 'realtime';

/** The MQTT user the platform itself connects as (the source connector, {name}-mqtt-secret). */
export const MQTT_PLATFORM_USER = 'platform';

/** The applications' database server when it is not the platform's PostgreSQL. */
export const APP_DB_PORTS = { mysql: 3306, mongodb: 27017 } as const;

export interface AppDatabase {
  type: string;
  host: string;
  port: number;
  url: (password: string) => string;
}

export function appDatabaseEndpoint(p: Platform): AppDatabase {
  switch (p.spec.database) {
    case 'mysql':
      return { type: 'mysql', host: host(p, 'app-db'), port: APP_DB_PORTS.mysql, url: (pw) => `mysql://app:${encodeURIComponent(pw)}@${host(p, 'app-db')}:${APP_DB_PORTS.mysql}/app` };
    case 'mongodb':
      return {
        type: 'mongodb',
        host: host(p, 'app-db'),
        port: APP_DB_PORTS.mongodb,
        url: (pw) => `mongodb://app:${encodeURIComponent(pw)}@${host(p, 'app-db')}:${APP_DB_PORTS.mongodb}/app?authSource=admin`,
      };
    default:
      return { type: 'postgres', host: host(p, 'postgres'), port: POSTGRES_PORT, url: (pw) => postgresUrl({ user: 'app', password: pw, host: host(p, 'postgres'), database: 'app' }) };
  }
}

/** A component's host name through the ingress gateway. */
export function externalHost(p: Platform, service: string): string {
  return `${service}.${p.ns}.${p.spec.ingress.domain}`;
}

/** The URLs users open from outside the cluster (none without ingress). */
export function endpoints(p: Platform): { lensesUI?: string; metabaseUI?: string; mqttWebSocket?: string } {
  if (!p.spec.ingress.enabled) return {};
  return {
    ...(p.spec.lenses.enabled ? { lensesUI: `http://${externalHost(p, 'lenses-hq')}` } : {}),
    metabaseUI: `http://${externalHost(p, p.spec.visualization)}`,
    ...(p.iot && p.spec.mqtt.websockets ? { mqttWebSocket: `ws://${externalHost(p, 'mqtt')}/mqtt` } : {}),
  };
}
