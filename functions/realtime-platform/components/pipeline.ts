/**
 * The health-data pipeline as idempotent Jobs that retry until their target
 * is up: the HealthData Avro schema, the topics with their retention, the
 * MQTT source connector, the four Lenses SQL processors and, when enabled,
 * the Snowflake sink. Each Job's name carries a digest of what it applies,
 * so a change (say, dataRetention) runs a new Job; an unchanged one is left
 * alone.
 */
import { describeRef, digest, secretObject, type SecretKeyRef } from '../../lib/secrets.js';
import { job, secretEnv } from '../../lib/k8s/workloads.js';
import type { IContainer } from 'kubernetes-models/v1';
import { composedSecretKey, CREDENTIALS_SECRET, host, keptMessage, labels, readiness, res, resources, type Component, type Platform } from '../context.js';
import { IMAGE_UIDS, IMAGES, TOOLS_HEAP } from '../images.js';
import { restrictedPodSecurity } from '../../lib/k8s/security.js';
import { HQ_HTTP_PORT, kafkaUrls, LENSES_ENVIRONMENT, MQTT_PLATFORM_USER } from '../names.js';
import { MQTT_PORT } from '../../lib/mosquitto.js';

export const DEVICE_TOPIC = 'device_data';

/** The PRD's HealthData record. */
export const HEALTH_DATA_SCHEMA = {
  type: 'record',
  name: 'HealthData',
  namespace: 'com.example',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'timestamp', type: 'long' },
    { name: 'heartRate', type: 'int' },
    { name: 'systolic', type: 'int' },
    { name: 'diastolic', type: 'int' },
    { name: 'oxygenSaturation', type: 'int' },
    { name: 'bodyTemperature', type: 'double' },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
  ],
};

/** The four processed topics and the value columns each keeps (PRD "Stream Processing Transformations"). */
export const PROCESSORS: { topic: string; columns: string[] }[] = [
  { topic: 'blood_pressure_device_topic', columns: ['_value.systolic AS systolic', '_value.diastolic AS diastolic'] },
  { topic: 'heart_rate_device_topic', columns: ['_value.heartRate AS value'] },
  { topic: 'oxygen_saturation_device_topic', columns: ['_value.oxygenSaturation AS value'] },
  { topic: 'temperature_device_topic', columns: ['_value.bodyTemperature AS value'] },
];

export const HEALTH_TOPICS = [DEVICE_TOPIC, ...PROCESSORS.map((x) => x.topic)];

export function processorSql(topic: string, columns: string[]): string {
  return [
    `INSERT INTO ${topic}`,
    'STORE KEY AS STRING VALUE AS AVRO',
    'SELECT STREAM',
    '    _value.deviceId AS _key,',
    '    _value.deviceId AS deviceId,',
    ...columns.map((c) => `    ${c},`),
    '    _value.latitude AS latitude,',
    '    _value.longitude AS longitude,',
    '    _value.timestamp AS createdTime',
    `FROM ${DEVICE_TOPIC};`,
  ].join('\n');
}

const DAY_MS = 86_400_000;
/** dataRetention (`7d`, `2w`, `6m`) in milliseconds; a month counts 30 days. */
export function retentionMs(retention: string): number {
  const n = Number(retention.slice(0, -1));
  const unit = retention.slice(-1);
  return n * DAY_MS * (unit === 'w' ? 7 : unit === 'm' ? 30 : 1);
}

export function mqttSourceConnector(p: Platform): Record<string, string> {
  return {
    'connector.class': 'io.lenses.streamreactor.connect.mqtt.source.MqttSourceConnector',
    'tasks.max': '1',
    'connect.mqtt.hosts': `tcp://${host(p, 'mqtt')}:${MQTT_PORT}`,
    'connect.mqtt.kcql': `INSERT INTO ${DEVICE_TOPIC} SELECT * FROM health/device_data WITHKEY(deviceId)`,
    'connect.mqtt.username': MQTT_PLATFORM_USER,
    // Resolved by the Job from its environment: the password stays out of the Job spec.
    'connect.mqtt.password': '${MQTT_PASSWORD}',
    'connect.mqtt.service.quality': '1',
    'connect.mqtt.client.id': `${p.name}-device-data`,
    'errors.tolerance': 'all',
  };
}

export function snowflakeSinkConnector(p: Platform): Record<string, string> {
  return {
    'connector.class': 'com.snowflake.kafka.connector.SnowflakeSinkConnector',
    'tasks.max': '1',
    topics: PROCESSORS.map((x) => x.topic).join(','),
    'snowflake.url.name': '${SNOWFLAKE_URL}',
    'snowflake.user.name': '${SNOWFLAKE_USER}',
    'snowflake.private.key': '${SNOWFLAKE_PRIVATE_KEY}',
    'snowflake.database.name': '${SNOWFLAKE_DATABASE}',
    'snowflake.schema.name': '${SNOWFLAKE_SCHEMA}',
    'buffer.count.records': '1000000',
    'buffer.flush.time': '10',
    'buffer.size.bytes': '250000000',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'com.snowflake.kafka.connector.records.SnowflakeAvroConverter',
    'value.converter.schema.registry.url': kafkaUrls(p).schemaRegistry,
  };
}

/** Shell that PUTs a connector config (idempotent), expanding ${VARS} from the environment. */
function putConnectorScript(p: Platform, name: string, config: Record<string, string>): string {
  const connect = kafkaUrls(p).connect;
  const json = JSON.stringify(config);
  return [
    'set -eu',
    `until curl -fsS ${connect}/connectors >/dev/null; do echo waiting for kafka connect; sleep 5; done`,
    `cat > /tmp/config.json <<EOF\n${json}\nEOF`,
    `curl -fsS -X PUT -H 'Content-Type: application/json' --data @/tmp/config.json ${connect}/connectors/${name}/config >/dev/null`,
    `echo "connector ${name} configured"`,
  ].join('\n');
}

function schemaScript(p: Platform): string {
  const sr = kafkaUrls(p).schemaRegistry;
  const body = JSON.stringify({ schema: JSON.stringify(HEALTH_DATA_SCHEMA) });
  return [
    'set -eu',
    `until curl -fsS ${sr}/subjects >/dev/null; do echo waiting for schema registry; sleep 5; done`,
    // Registering an identical schema again returns the same id: idempotent.
    `curl -fsS -X POST -H 'Content-Type: application/vnd.schemaregistry.v1+json' --data '${body}' ${sr}/subjects/${DEVICE_TOPIC}-value/versions`,
  ].join('\n');
}

function topicsScript(p: Platform): string {
  const bootstrap = kafkaUrls(p).bootstrap;
  const ms = retentionMs(p.spec.dataRetention);
  return [
    'set -eu',
    `until /opt/kafka/bin/kafka-topics.sh --bootstrap-server ${bootstrap} --list >/dev/null; do echo waiting for kafka; sleep 5; done`,
    `for t in ${HEALTH_TOPICS.join(' ')}; do`,
    `  /opt/kafka/bin/kafka-topics.sh --bootstrap-server ${bootstrap} --create --if-not-exists --topic "$t" --partitions 1 --replication-factor 1`,
    `  /opt/kafka/bin/kafka-configs.sh --bootstrap-server ${bootstrap} --alter --entity-type topics --entity-name "$t" --add-config retention.ms=${ms}`,
    'done',
  ].join('\n');
}

/** Creates each SQL processor through HQ's proxy to the agent, unless one of that name exists. */
function processorsScript(p: Platform): string {
  const api = `http://${host(p, 'lenses-hq')}:${HQ_HTTP_PORT}/api/v1/environments/${LENSES_ENVIRONMENT}/proxy/api/v2/streams`;
  const lines = ['set -eu', `until curl -fsS -H "Authorization: Bearer $LENSES_API_TOKEN" ${api} > /tmp/existing.json; do echo waiting for lenses; sleep 10; done`];
  for (const proc of PROCESSORS) {
    const name = proc.topic.replace(/_device_topic$/, '');
    const body = JSON.stringify({ name, sql: processorSql(proc.topic, proc.columns), deployment: { mode: 'IN_PROC' } }).replace(/'/g, "'\\''");
    lines.push(
      `if grep -q '"name":"${name}"' /tmp/existing.json; then echo "processor ${name} exists"; else`,
      `  curl -fsS -X POST -H "Authorization: Bearer $LENSES_API_TOKEN" -H 'Content-Type: application/json' --data '${body}' ${api} >/dev/null && echo "processor ${name} created"`,
      'fi',
    );
  }
  return lines.join('\n');
}

function pipelineJob(p: Platform, step: string, script: string, image: string, env: IContainer['env'] = []) {
  const name = `${step}-${digest(script, image)}`;
  return {
    name,
    resource: res(
      p,
      name,
      job({
        name,
        namespace: p.ns,
        labels: labels(p, 'pipeline'),
        podSecurity: restrictedPodSecurity({ runAsUser: IMAGE_UIDS[image] }),
        containers: [{ name: step, image, command: ['/bin/sh', '-c', script], env, resources: resources(p, 'job') }],
      }),
      readiness.job,
    ),
  };
}

export function pipeline(p: Platform): Component {
  const jobs = [pipelineJob(p, 'topics', topicsScript(p), IMAGES.kafkaTools, [{ name: 'KAFKA_HEAP_OPTS', value: TOOLS_HEAP }])];
  const extra: Component['resources'] = {};
  const waiting: string[] = [];
  if (p.iot) {
    jobs.push(pipelineJob(p, 'health-schema', schemaScript(p), IMAGES.curl));
    jobs.push(
      pipelineJob(p, 'mqtt-source', putConnectorScript(p, 'device_data_connector', mqttSourceConnector(p)), IMAGES.curl, [secretEnv('MQTT_PASSWORD', CREDENTIALS_SECRET, 'MQTT_PLATFORM_PASSWORD')]),
    );
  }
  const lensesOpts = p.spec.lenses;
  if (lensesOpts.enabled && lensesOpts.apiTokenSecretRef) {
    const ref = lensesOpts.apiTokenSecretRef;
    const { value: token, kept } = p.keptSecret(ref, () => composedSecretKey(p, 'lenses-api-token', 'API_TOKEN'));
    if (kept) waiting.push(keptMessage('SQL processors', [ref]));
    if (token) {
      extra['lenses-api-token'] = res(p, 'lenses-api-token', secretObject('lenses-api-token', p.ns, { API_TOKEN: token }, labels(p, 'pipeline')), readiness.exists);
      jobs.push(pipelineJob(p, 'sql-processors', processorsScript(p), IMAGES.curl, [secretEnv('LENSES_API_TOKEN', 'lenses-api-token', 'API_TOKEN')]));
    } else {
      waiting.push(`SQL processors wait for ${describeRef(lensesOpts.apiTokenSecretRef)}`);
    }
  }
  if (p.spec.snowflake.enabled) {
    const ref = { name: p.spec.snowflake.credentialsSecret!, key: 'SNOWFLAKE_URL' };
    const keys = ['SNOWFLAKE_URL', 'SNOWFLAKE_USER', 'SNOWFLAKE_PRIVATE_KEY', 'SNOWFLAKE_DATABASE', 'SNOWFLAKE_SCHEMA'];
    const keptKeys: SecretKeyRef[] = [];
    const values = Object.fromEntries(
      keys.map((k) => {
        const v = p.keptSecret({ ...ref, key: k }, () => composedSecretKey(p, 'snowflake-credentials', k));
        if (v.kept) keptKeys.push({ ...ref, key: k });
        return [k, v.value];
      }),
    );
    if (keptKeys.length) waiting.push(keptMessage('snowflake sink', keptKeys));
    values.SNOWFLAKE_DATABASE ??= 'INGEST';
    values.SNOWFLAKE_SCHEMA ??= 'INGEST';
    const missingKeys = keys.filter((k) => !values[k]);
    if (missingKeys.length === 0) {
      // Copied into the platform namespace: a Pod reads Secrets of its own namespace only.
      extra['snowflake-credentials'] = res(p, 'snowflake-credentials', secretObject('snowflake-credentials', p.ns, values as Record<string, string>, labels(p, 'pipeline')), readiness.exists);
      jobs.push(
        pipelineJob(
          p,
          'snowflake-sink',
          putConnectorScript(p, 'HealthDataConnector', snowflakeSinkConnector(p)),
          IMAGES.curl,
          keys.map((k) => secretEnv(k, 'snowflake-credentials', k)),
        ),
      );
    } else {
      waiting.push(`snowflake sink waits for Secret ${ref.name} keys ${missingKeys.join(', ')}`);
    }
  }
  const resourcesOut: Component['resources'] = { ...extra };
  for (const j of jobs) resourcesOut[j.name] = j.resource;
  return {
    resources: resourcesOut,
    waiting: waiting.length ? waiting.join('; ') : undefined,
  };
}
