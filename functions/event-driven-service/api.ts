/**
 * EventDrivenService: a worker that consumes a NATS JetStream stream or a
 * Kafka topic and is scaled by KEDA on the backlog. This schema is the single
 * source of the XRD, the function's validation, the TypeScript types, the
 * KubeVela `parameter` block and the reference page.
 */
import { defineApi } from '../lib/api.js';
import { BoundedText, DnsSubdomain, Formatted, ImageReference } from '../lib/schema/strings.js';
import { StringEnum, Type, type Static } from '../lib/schema/types.js';

export const SIZES = {
  small: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '2Gi' } },
  medium: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } },
  large: { requests: { cpu: '1000m', memory: '2Gi' }, limits: { cpu: '4000m', memory: '8Gi' } },
} as const;

/** NATS stream and consumer names: no whitespace, '.', '*', '>' or path separators (NATS docs, "Naming"). */
const NATS_NAME = '^[^\\s.*>/\\\\]+$';

const Nats = Type.Object(
  {
    url: Formatted('^nats://[^/:@]+(:[0-9]+)?$', 300, {
      default: 'nats://nats.nats.svc:4222',
      description: 'NATS client URL, given to the worker as NATS_URL.',
    }),
    monitoringEndpoint: Type.Optional(
      Formatted('^[^/:@]+:[0-9]+$', 300, {
        description: 'host:port of the NATS HTTP monitoring endpoint KEDA reads consumer lag from. Default: the host of url with port 8222.',
      }),
    ),
    account: Formatted(NATS_NAME, 255, {
      default: '$G',
      description: 'NATS account that owns the stream; $G is the global account of a server without accounts.',
    }),
    stream: Formatted(NATS_NAME, 255, { description: 'JetStream stream to consume.' }),
    consumer: Formatted(NATS_NAME, 255, { description: 'Durable JetStream consumer whose pending messages drive scaling.' }),
    useHttps: Type.Boolean({ default: false, description: 'Read the monitoring endpoint over HTTPS.' }),
  },
  { description: 'Consume from NATS JetStream. Exactly one of nats and kafka is set.' },
);

const Kafka = Type.Object(
  {
    bootstrapServers: Formatted('^[^,\\s/@]+:[0-9]+(,[^,\\s/@]+:[0-9]+)*$', 2048, { description: 'Comma-separated host:port list of Kafka brokers.' }),
    // Kafka topic names: at most 249 of a-z A-Z 0-9 . _ - (apache/kafka, Topic.java: LEGAL_CHARS, MAX_NAME_LENGTH).
    topic: Formatted('^[a-zA-Z0-9._-]+$', 249, { description: 'Topic to consume.' }),
    consumerGroup: Formatted('^[^\\s]+$', 255, { description: 'Consumer group whose lag drives scaling.' }),
    offsetResetPolicy: StringEnum(['latest', 'earliest'], {
      default: 'latest',
      description: 'Where a new consumer group starts; KEDA counts lag from there.',
    }),
  },
  { description: 'Consume from Kafka. Exactly one of nats and kafka is set.' },
);

export const EventDrivenServiceSpec = Type.Object({
  image: ImageReference({ description: 'Container image of the worker.' }),
  size: StringEnum(['small', 'medium', 'large'], {
    default: 'medium',
    description: 'Resources: small (250m-1000m CPU, 512Mi-2Gi memory), medium (500m-2000m CPU, 1Gi-4Gi), large (1000m-4000m CPU, 2Gi-8Gi).',
  }),
  nats: Type.Optional(Nats),
  kafka: Type.Optional(Kafka),
  scaling: Type.Object(
    {
      minReplicas: Type.Integer({ minimum: 0, default: 1, description: 'Fewest replicas; 0 lets KEDA scale to zero when idle.' }),
      maxReplicas: Type.Integer({ minimum: 1, default: 10, description: 'Most replicas.' }),
      lagThreshold: Formatted('^[1-9][0-9]*$', 10, {
        default: '5',
        description: 'Pending messages per replica before KEDA adds one.',
      }),
    },
    { default: {}, description: 'KEDA autoscaling on the consumer backlog.' },
  ),
  secretName: Type.Optional(DnsSubdomain({ description: 'Secret whose keys become environment variables (envFrom) of both containers.' })),
  imagePullSecrets: Type.Optional(
    Type.Array(Type.Object({ name: DnsSubdomain({ description: 'Name of a Secret in the namespace.' }) }), { maxItems: 20, description: 'Secrets for pulling private images.' }),
  ),
  initContainer: Type.Optional(
    Type.Object(
      {
        image: Type.Optional(ImageReference({ description: 'Init container image; defaults to image.' })),
        command: Type.Optional(Type.Array(BoundedText(4096), { maxItems: 64, description: 'Command of the init container.' })),
      },
      { description: 'Init container run before the worker starts (migrations, setup).' },
    ),
  ),
});

export const EventDrivenServiceStatus = Type.Object({
  message: Type.Optional(Type.String({ description: 'What the service waits for that only the operator can fix (a missing Secret), naming the field.' })),
  replicas: Type.Optional(
    Type.Object(
      {
        desired: Type.Integer({ description: 'Replicas the Deployment wants now (set by KEDA).' }),
        ready: Type.Integer({ description: 'Replicas passing their readiness probe.' }),
      },
      { description: 'Replica counts of the worker Deployment.' },
    ),
  ),
  scaler: Type.Optional(
    Type.Object(
      {
        ready: Type.Boolean({ description: 'KEDA accepted the ScaledObject and can read the trigger.' }),
        active: Type.Boolean({ description: 'The backlog is above the activation threshold.' }),
        message: Type.Optional(Type.String({ description: "KEDA's message when not ready." })),
      },
      { description: 'State of the KEDA ScaledObject.' },
    ),
  ),
  trigger: Type.Optional(Type.String({ description: 'What KEDA scales on.' })),
  endpoint: Type.Optional(Type.String({ description: 'In-cluster HTTP endpoint of the worker.' })),
});

export type EventDrivenServiceSpec = Static<typeof EventDrivenServiceSpec>;

export const eventDrivenService = defineApi<EventDrivenServiceSpec>({
  claimKind: 'EventDrivenService',
  claimPlural: 'eventdrivenservices',
  compositeKind: 'XEventDrivenService',
  compositePlural: 'xeventdrivenservices',
  description: 'A worker that consumes a NATS JetStream stream or a Kafka topic, with a Service on 8080 and KEDA autoscaling on the backlog.',
  spec: EventDrivenServiceSpec,
  status: EventDrivenServiceStatus,
  functionName: 'event-driven-service',
  rules: [
    {
      at: '',
      cel: 'has(self.nats) != has(self.kafka)',
      message: 'exactly one of nats and kafka must be set',
      field: 'spec.nats',
      holds: (s) => (s.nats === undefined) !== (s.kafka === undefined),
    },
    {
      at: 'scaling',
      cel: 'self.minReplicas <= self.maxReplicas',
      message: 'minReplicas must not exceed maxReplicas',
      field: 'spec.scaling.minReplicas',
      holds: (s) => s.scaling.minReplicas <= s.scaling.maxReplicas,
    },
  ],
  printerColumns: [
    { name: 'IMAGE', type: 'string', jsonPath: '.spec.image' },
    { name: 'REPLICAS', type: 'integer', jsonPath: '.status.replicas.ready' },
  ],
});
