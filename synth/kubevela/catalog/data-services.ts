/**
 * `kafka`, `redis`, `mongodb`: Bitnami Helm charts installed by Flux's
 * helm-controller as `HelmRelease`s (seed Table 2). Flux, not an ArgoCD
 * Application, because a HelmRelease is a namespaced object in the app's
 * namespace with a standard `Ready` condition KubeVela's health check reads,
 * and it needs no access to ArgoCD's namespace. It needs Flux's
 * source-controller and helm-controller, and the HelmRepository `bitnami`
 * from install/flux-sources.yaml: Bitnami's OCI registry
 * (`oci://registry-1.docker.io/bitnamicharts`), since the HTTP index keeps
 * only recent releases.
 *
 * Chart versions, and the `bitnamilegacy` images they are pointed at (the
 * `bitnami/*` images were moved there on 2025-08-28), are pinned with their
 * sources in functions/lib/pins.ts; every values key set here is checked
 * against the chart's own values.yaml (and values.schema.json) at that
 * version, committed in test/upstream/bitnami/.
 *
 * Bitnami charts run their pods as uid 1001 with a restricted security
 * context by default; the values below keep that and set requests/limits.
 */
import { ContainerResources, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { helmReleaseCue, indent, readyHealth, readyStatus, resourcesCue } from '../snippets.js';
import { BITNAMI_LEGACY_IMAGES, CHART_REPOSITORIES, CHARTS as PINNED } from '../../../functions/lib/pins.js';

type BitnamiChart = keyof typeof BITNAMI_LEGACY_IMAGES;
/** Chart versions, pinned in functions/lib/pins.ts. */
export const CHARTS = { kafka: PINNED.kafka.version, redis: PINNED.redis.version, mongodb: PINNED.mongodb.version } as const;

/**
 * Values that point every image of the chart at `bitnamilegacy`, at the
 * chart's own tags. Each chart's NOTES.txt runs `common.errors.insecureImages`
 * (bitnami/charts bitnami/common/templates/_errors.tpl@common/2.31.4, the
 * common version in each chart's Chart.lock): substituted images fail the
 * install unless they are all `docker.io/bitnamilegacy/…` (then it only
 * warns) or `global.security.allowInsecureImages` is true. It is set, so a
 * registry mirror (`global.imageRegistry`) in front of these keeps installing.
 */
export function legacyImagesCue(chart: BitnamiChart): string {
  const lines = Object.entries(BITNAMI_LEGACY_IMAGES[chart]).map(([path, i]) => `${path.split('.').join(': ')}: {registry: "docker.io", repository: "${i.repository}", tag: "${i.tag}"}`);
  return ['global: security: allowInsecureImages: true', ...lines].join('\n');
}

/** Where each chart, its repository and its images come from, for the reference page. */
function provenance(chart: BitnamiChart): string {
  const c = PINNED[chart];
  const images = Object.entries(BITNAMI_LEGACY_IMAGES[chart])
    .map(([path, i]) => `| \`${path}\` | \`docker.io/${i.repository}:${i.tag}\` |`)
    .join('\n');
  return `## Where the chart and images come from

- Chart \`${c.chart}\` ${c.version} from \`${CHART_REPOSITORIES.bitnami.url}\` (Flux \`HelmRepository\` \`bitnami\`,
  \`type: oci\`). Checked against ${c.source}; source of the repository: ${CHART_REPOSITORIES.bitnami.source}.
- The last ${c.chart} release before Bitnami moved its images to \`bitnamilegacy\` (2025-08-28, bitnami/containers#83267,
  bitnami/charts#35164). The values point every image at \`bitnamilegacy\` at the tag the chart's values.yaml names, and set
  \`global.security.allowInsecureImages\` (the charts' image check, bitnami/common 2.31.4 \`common.errors.insecureImages\`,
  only warns about \`bitnamilegacy\` images but fails on any other substitute, e.g. behind a registry mirror).
  \`bitnamilegacy\` receives no updates: moving to Bitnami Secure Images or another chart is a later decision.

| values key | image |
| --- | --- |
${images}`;
}

/**
 * Object names: the release is the component (helmReleaseCue), and each chart
 * names its Services and Secret after its full name (bitnami/common 2.31.4
 * templates/_names.tpl `common.names.fullname`): `<component>-<chart>`, or the
 * component name alone when it already contains the chart's name.
 */
export const fullname = (chart: BitnamiChart) => `<component>-${chart}`;
const fullnameNote = (chart: BitnamiChart) => `\`${fullname(chart)}\` stands for the chart's full name: the component name alone when it already contains \`${chart}\``;

/**
 * The Secret keys the MongoDB pods read from `auth.existingSecret`
 * (bitnami/mongodb templates/{standalone/dep-sts,replicaset/statefulset,arbiter/statefulset}.yaml,
 * templates/secrets.yaml@mongodb/16.5.45): `mongodb-metrics-password` only with
 * `metrics.username`, which this definition does not set (the exporter logs in as root).
 */
export const MONGODB_SECRET_KEYS = { always: ['mongodb-root-password', 'mongodb-passwords'], replicaSet: ['mongodb-replica-set-key'] } as const;

const resources = () => ContainerResources({ cpu: '250m', memory: '512Mi', cpuLimit: '1', memoryLimit: '1Gi' });
const storageSize = (dflt: string) => Type.String({ default: dflt, pattern: '^[0-9]+(Mi|Gi|Ti)$', description: 'Size of each volume.' });
const helmStatus = {
  healthPolicy: readyHealth(),
  customStatus: readyStatus('the Helm release', '"Helm release ready"'),
};
const HELM_HEALTH = "Healthy when the Flux `HelmRelease` reports `Ready` `True` (installed and its tests passed); the message carries Flux's reason otherwise.";

export const kafka: CatalogEntry = {
  name: 'kafka',
  kind: 'ComponentDefinition',
  description: 'Apache Kafka (KRaft) from the Bitnami chart, with topics created at install.',
  parameters: Type.Object({
    replicas: Type.Integer({ minimum: 1, default: 1, description: 'Kafka controller+broker nodes.' }),
    storageSize: storageSize('8Gi'),
    topics: Type.Array(
      Type.Object({
        name: Type.String({ pattern: '^[A-Za-z0-9._-]+$', description: 'Topic name.' }),
        partitions: Type.Integer({ minimum: 1, default: 3, description: 'Partitions.' }),
        replicationFactor: Type.Integer({ minimum: 1, default: 1, description: 'Replicas of each partition; at most replicas.' }),
      }),
      { default: [], description: 'Topics to create.' },
    ),
    metrics: Type.Boolean({ default: false, description: 'Expose JMX metrics for Prometheus.' }),
    resources: resources(),
  }),
  body: [
    `for t in parameter.topics if t.replicationFactor > parameter.replicas {
	_topicCheck: "topic replicationFactor must not exceed replicas" & true
}`,
    helmReleaseCue(
      'bitnami',
      'kafka',
      CHARTS.kafka,
      `{
	${indent(legacyImagesCue('kafka'), 1)}
	controller: {
		replicaCount: parameter.replicas
		persistence: size: parameter.storageSize
		resources: ${indent(resourcesCue(), 2)}
	}
	// In-cluster clients (the kafka-producer/-consumer traits) connect without SASL;
	// restrict who may connect with the security-policy policy.
	listeners: client: protocol: "PLAINTEXT"
	provisioning: {
		enabled: len(parameter.topics) > 0
		topics: [for t in parameter.topics {name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor}]
	}
	metrics: jmx: enabled: parameter.metrics
}`,
    ),
  ],
  status: helmStatus,
  outputs: [
    `\`helm.toolkit.fluxcd.io/v2\` \`HelmRelease\` of \`bitnami/kafka\` ${CHARTS.kafka}: \`controller.replicaCount\`, \`controller.persistence.size\`, \`controller.resources\`, \`provisioning.topics\`, \`metrics.jmx.enabled\`; client listener PLAINTEXT on \`${fullname('kafka')}:9092\` (${fullnameNote('kafka')})`,
  ],
  health: HELM_HEALTH,
  example: 'examples/oam/event-driven-microservices.yaml',
  notes: provenance('kafka'),
};

export const redis: CatalogEntry = {
  name: 'redis',
  kind: 'ComponentDefinition',
  description: 'Redis from the Bitnami chart: standalone, or a primary with read replicas; authentication always on.',
  parameters: Type.Object({
    replicas: Type.Integer({ minimum: 0, default: 0, description: 'Read replicas; 0 is a standalone server.' }),
    storageSize: storageSize('8Gi'),
    persistence: Type.Boolean({ default: true, description: 'Keep data on volumes.' }),
    password: Type.Optional(
      Type.Object(
        {
          secretName: Type.String({ minLength: 1, description: 'Secret holding the password.' }),
          key: Type.String({ default: 'redis-password', description: 'Key of the password in it.' }),
        },
        { description: `Use this Secret's password; without it the chart generates one into the Secret \`${fullname('redis')}\` (key \`redis-password\`).` },
      ),
    ),
    metrics: Type.Boolean({ default: false, description: 'Run the Prometheus exporter.' }),
    resources: resources(),
  }),
  body: [
    helmReleaseCue(
      'bitnami',
      'redis',
      CHARTS.redis,
      `{
	${indent(legacyImagesCue('redis'), 1)}
	architecture: [if parameter.replicas == 0 {"standalone"}, "replication"][0]
	auth: {
		enabled: true
		if parameter.password != _|_ {
			existingSecret:            parameter.password.secretName
			existingSecretPasswordKey: parameter.password.key
		}
	}
	master: {
		persistence: {enabled: parameter.persistence, size: parameter.storageSize}
		resources: ${indent(resourcesCue(), 2)}
	}
	replica: {
		replicaCount: parameter.replicas
		persistence: {enabled: parameter.persistence, size: parameter.storageSize}
		resources: ${indent(resourcesCue(), 2)}
	}
	metrics: enabled: parameter.metrics
}`,
    ),
  ],
  status: helmStatus,
  outputs: [
    `\`HelmRelease\` of \`bitnami/redis\` ${CHARTS.redis}: \`architecture\` standalone (replicas 0) or replication (\`replica.replicaCount\`), \`auth\` with the given Secret or a generated one, persistence, resources, \`metrics.enabled\`; clients use \`${fullname('redis')}-master:6379\` (read replicas: \`${fullname('redis')}-replicas:6379\`) with the password in Secret \`${fullname('redis')}\` key \`redis-password\` or the given Secret (${fullnameNote('redis')})`,
  ],
  health: HELM_HEALTH,
  example: 'examples/oam/event-driven-microservices.yaml',
  notes: provenance('redis'),
};

export const mongodb: CatalogEntry = {
  name: 'mongodb',
  kind: 'ComponentDefinition',
  description: 'MongoDB from the Bitnami chart: standalone or a replica set, with a database and user, optional scheduled backups.',
  parameters: Type.Object({
    replicas: Type.Integer({
      minimum: 1,
      default: 1,
      description: '1: standalone; more: a replica set of that many data-bearing members, plus an arbiter when that number is even (so the voters are an odd number).',
    }),
    storageSize: storageSize('8Gi'),
    database: Type.String({ pattern: '^[A-Za-z0-9_-]+$', description: 'Database created for the application.' }),
    auth: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Require authentication.' }),
        username: Type.String({ default: 'app', description: 'User that owns the database.' }),
        existingSecret: Type.Optional(
          Type.String({
            minLength: 1,
            description: `Secret with the keys ${MONGODB_SECRET_KEYS.always.map((k) => `\`${k}\``).join(' and ')}, and ${MONGODB_SECRET_KEYS.replicaSet.map((k) => `\`${k}\``).join(', ')} when replicas > 1; without it the chart generates them into the Secret \`${fullname('mongodb')}\`.`,
          }),
        ),
      },
      { default: {}, description: 'Authentication.' },
    ),
    backup: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Run mongodump on a schedule.' }),
        schedule: Type.String({ default: '0 2 * * *', description: 'Cron schedule of the backup.' }),
        storageSize: storageSize('8Gi'),
      },
      { default: {}, description: "Scheduled backups (the chart's mongodump CronJob)." },
    ),
    metrics: Type.Boolean({ default: false, description: 'Run the Prometheus exporter.' }),
    resources: resources(),
  }),
  body: [
    helmReleaseCue(
      'bitnami',
      'mongodb',
      CHARTS.mongodb,
      `{
	${indent(legacyImagesCue('mongodb'), 1)}
	architecture: [if parameter.replicas == 1 {"standalone"}, "replicaset"][0]
	replicaCount: parameter.replicas
	// The chart adds an arbiter to every replica set (arbiter.enabled: true);
	// only an even number of members needs one for an odd number of voters.
	arbiter: enabled: mod(parameter.replicas, 2) == 0
	persistence: {enabled: true, size: parameter.storageSize}
	auth: {
		enabled: parameter.auth.enabled
		databases: [parameter.database]
		usernames: [parameter.auth.username]
		if parameter.auth.existingSecret != _|_ {
			existingSecret: parameter.auth.existingSecret
		}
	}
	backup: {
		enabled: parameter.backup.enabled
		cronjob: {
			schedule: parameter.backup.schedule
			storage: size: parameter.backup.storageSize
			// The chart's default is no requests or limits (resourcesPreset "none").
			resources: ${indent(resourcesCue(), 3)}
		}
	}
	resources: ${indent(resourcesCue(), 1)}
	metrics: enabled: parameter.metrics
}`,
    ),
  ],
  status: helmStatus,
  outputs: [
    `\`HelmRelease\` of \`bitnami/mongodb\` ${CHARTS.mongodb}: \`architecture\` standalone or replicaset, \`replicaCount\`, persistence, \`auth.databases\`/\`auth.usernames\` (and \`auth.existingSecret\`), \`backup.cronjob\`, resources, \`metrics.enabled\`; an arbiter (\`arbiter.enabled\`) only for an even number of members; clients use \`${fullname('mongodb')}:27017\` (standalone) or the members \`${fullname('mongodb')}-<i>.${fullname('mongodb')}-headless:27017\` of the headless Service \`${fullname('mongodb')}-headless:27017\` (replica set), credentials in Secret \`${fullname('mongodb')}\` or \`auth.existingSecret\` (${fullnameNote('mongodb')})`,
  ],
  health: HELM_HEALTH,
  example: 'examples/oam/event-driven-microservices.yaml',
  notes: provenance('mongodb'),
};
