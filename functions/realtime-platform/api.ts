/**
 * RealtimePlatformClaim: a complete real-time data platform (PostgreSQL,
 * Kafka with Schema Registry and Connect, Lenses HQ + Agent, Mosquitto,
 * Metabase or Grafana, the health-data pipeline) in its own namespace
 * `{name}-realtime`, with connection Secrets in the claim's namespace.
 * This schema is the single source of the XRD, the function's validation,
 * the types, the KubeVela parameter block and the reference page.
 */
import { defineApi } from '../lib/api.js';
import { BoundedText, DnsLabel, DnsSubdomain, Formatted, SecretKey } from '../lib/schema/strings.js';
import { StringEnum, Type, type Static } from '../lib/schema/types.js';

const SecretKeyRef = (what: string, defaultKey: string) =>
  Type.Object(
    {
      name: DnsSubdomain({ description: 'Secret name.' }),
      key: SecretKey({ default: defaultKey, description: 'Key in the Secret.' }),
    },
    // No namespace field, on purpose: Crossplane reads these Secrets with its
    // own rights, so a claim may only name Secrets of its own namespace.
    { description: `${what} A Secret in the claim's namespace.` },
  );

const MqttUser = Type.Object({
  username: Formatted('^[A-Za-z0-9_.-]+$', 64, { description: 'MQTT user name.' }),
  passwordSecretRef: Type.Optional(SecretKeyRef('Secret key holding the password (the supported form).', 'password')),
  password: Type.Optional(BoundedText(256, { minLength: 1, description: 'Password in clear text. Deprecated: accepted for the seed examples, with a warning; use passwordSecretRef.' })),
});

export const RealtimePlatformSpec = Type.Object({
  name: DnsLabel({
    maxLength: 40,
    description: 'Name of the platform: its namespace is {name}-realtime and its Secrets {name}-<service>-secret.',
  }),
  database: StringEnum(['postgres', 'mysql', 'mongodb'], {
    default: 'postgres',
    description:
      "The applications' database, exposed as {name}-db-secret. postgres: a database in the platform's PostgreSQL; mysql / mongodb: a dedicated server. Lenses and Metabase always keep their own data in PostgreSQL.",
  }),
  visualization: StringEnum(['metabase', 'grafana'], { default: 'metabase', description: 'Analytics dashboard.' }),
  iot: Type.Boolean({ default: true, description: 'Run the MQTT broker and the MQTT → Kafka source connector.' }),
  mqttUsers: Type.Optional(Type.Array(MqttUser, { maxItems: 100, description: 'MQTT users for devices and apps, besides the platform user the function generates.' })),
  dataRetention: Formatted('^[0-9]+[dwm]$', 8, {
    default: '7d',
    description: 'Retention of the health-data topics (d days, w weeks, m 30-day months).',
  }),
  scaling: Type.Object(
    {
      minReplicas: Type.Integer({ minimum: 1, default: 1, description: 'Fewest replicas of the real-time service.' }),
      maxReplicas: Type.Integer({ minimum: 1, default: 5, description: 'Most replicas of the real-time service.' }),
    },
    {
      default: {},
      description: "Autoscaling bounds of the platform's real-time service (the Knative Service the realtime-platform KubeVela component runs). The stateful components run one replica each.",
    },
  ),
  snowflake: Type.Object(
    {
      enabled: Type.Boolean({ default: false, description: 'Run the Snowflake sink connector for the four health topics.' }),
      credentialsSecret: Type.Optional(
        DnsSubdomain({
          description: 'Secret in the claim namespace with SNOWFLAKE_URL, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY (and optionally SNOWFLAKE_DATABASE, SNOWFLAKE_SCHEMA).',
        }),
      ),
    },
    { default: {}, description: 'Sink the processed topics into Snowflake.' },
  ),
  kafka: Type.Object(
    {
      replicas: Type.Integer({
        minimum: 1,
        maximum: 1,
        default: 1,
        description: 'Kafka brokers. lensesio/fast-data-dev runs a single broker, so 1 is the only value it supports.',
      }),
      storage: Formatted('^[0-9]+(Mi|Gi|Ti)$', 16, { default: '10Gi', description: 'Volume size of the Kafka data.' }),
    },
    { default: {}, description: 'Kafka (broker, Schema Registry, Connect).' },
  ),
  mqtt: Type.Object(
    {
      enabled: Type.Boolean({ default: true, description: 'The broker runs when both iot and mqtt.enabled are true.' }),
      websockets: Type.Boolean({ default: true, description: 'Serve MQTT over WebSockets on 9001 too.' }),
    },
    { default: {}, description: 'MQTT broker options.' },
  ),
  lenses: Type.Object(
    {
      enabled: Type.Boolean({ default: true, description: 'Run Lenses HQ and Agent and the SQL processors.' }),
      licenseSecretRef: Type.Optional(SecretKeyRef('Lenses license key, provided by the operator.', 'LICENSE_KEY')),
      agentKeySecretRef: Type.Optional(SecretKeyRef('Agent key of the HQ environment the agent joins, provided by the operator.', 'AGENT_KEY')),
      apiTokenSecretRef: Type.Optional(SecretKeyRef('Token of a Lenses service account allowed to create SQL processors; without it the processors are not created.', 'API_TOKEN')),
    },
    { default: {}, description: 'Lenses stream management.' },
  ),
  resources: StringEnum(['small', 'medium', 'large'], {
    default: 'medium',
    description: 'Resource profile applied to every component (requests and limits per component in the reference page).',
  }),
  ingress: Type.Object(
    {
      enabled: Type.Boolean({ default: true, description: 'Expose Lenses HQ, the dashboard and MQTT through an Istio Gateway.' }),
      // 190: the longest host, metabase.{40-character name}-realtime.<domain>, stays within DNS's 253.
      domain: DnsSubdomain({ maxLength: 190, default: 'local', description: 'Hosts are <service>.{name}-realtime.<domain>.' }),
    },
    { default: {}, description: 'External access.' },
  ),
});

export const RealtimePlatformStatus = Type.Object({
  ready: Type.Optional(Type.Boolean({ description: 'Every component of the platform is ready.' })),
  message: Type.Optional(Type.String({ description: 'What is still missing, or that the platform is ready.' })),
  namespace: Type.Optional(Type.String({ description: 'Namespace of the platform components.' })),
  secrets: Type.Optional(
    Type.Object(
      {
        mqtt: Type.Optional(Type.String()),
        kafka: Type.Optional(Type.String()),
        database: Type.Optional(Type.String()),
        metabase: Type.Optional(Type.String({ description: 'Dashboard Secret (Metabase or Grafana).' })),
        lenses: Type.Optional(Type.String()),
      },
      { description: "Connection Secrets in the claim's namespace." },
    ),
  ),
  endpoints: Type.Optional(
    Type.Object({ lensesUI: Type.Optional(Type.String()), metabaseUI: Type.Optional(Type.String()), mqttWebSocket: Type.Optional(Type.String()) }, { description: 'External URLs.' }),
  ),
  components: Type.Optional(Type.Record(Type.String(), Type.Boolean(), { description: 'Readiness per component.' })),
});

export type RealtimePlatformSpec = Static<typeof RealtimePlatformSpec>;

export const realtimePlatform = defineApi<RealtimePlatformSpec>({
  claimKind: 'RealtimePlatformClaim',
  claimPlural: 'realtimeplatformclaims',
  compositeKind: 'XRealtimePlatform',
  compositePlural: 'xrealtimeplatforms',
  description:
    'A real-time data platform: PostgreSQL, Kafka with Schema Registry and Connect, Lenses HQ and Agent, an MQTT broker, Metabase or Grafana and the health-data pipeline, with connection Secrets for applications.',
  spec: RealtimePlatformSpec,
  status: RealtimePlatformStatus,
  functionName: 'realtime-platform',
  rules: [
    {
      at: 'scaling',
      cel: 'self.minReplicas <= self.maxReplicas',
      message: 'minReplicas must not exceed maxReplicas',
      field: 'spec.scaling.minReplicas',
      holds: (s) => s.scaling.minReplicas <= s.scaling.maxReplicas,
    },
    {
      at: 'snowflake',
      cel: '!self.enabled || has(self.credentialsSecret)',
      message: 'credentialsSecret is required when enabled',
      field: 'spec.snowflake.credentialsSecret',
      holds: (s) => !s.snowflake.enabled || s.snowflake.credentialsSecret !== undefined,
    },
    {
      at: '',
      cel: '!has(self.mqttUsers) || self.mqttUsers.all(u, has(u.passwordSecretRef) != has(u.password))',
      message: 'each MQTT user needs exactly one of passwordSecretRef and password',
      field: 'spec.mqttUsers',
      holds: (s) => (s.mqttUsers ?? []).every((u) => (u.passwordSecretRef === undefined) !== (u.password === undefined)),
    },
    {
      at: '',
      cel: '!has(self.mqttUsers) || self.mqttUsers.all(u, u.username != "platform")',
      message: 'the user name platform is reserved for the platform itself',
      field: 'spec.mqttUsers',
      holds: (s) => (s.mqttUsers ?? []).every((u) => u.username !== 'platform'),
    },
  ],
  printerColumns: [
    { name: 'PLATFORM', type: 'string', jsonPath: '.spec.name' },
    { name: 'MESSAGE', type: 'string', jsonPath: '.status.message' },
  ],
});
