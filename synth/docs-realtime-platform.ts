/** Prose of the realtime-platform reference page (the field tables come from the schema). */
import { IMAGES } from '../functions/realtime-platform/images.js';

export const REALTIME_COMPOSES = [
  'Namespace `{name}-realtime` (Pod Security: enforce `baseline`, warn/audit `restricted`)',
  `PostgreSQL (\`${IMAGES.postgres}\`, StatefulSet, 5Gi) with databases hq, agent1, agent2 (role lenses), metabaseappdb, grafana (role dashboard) and, for \`database: postgres\`, app (role app), created by an idempotent setup Job`,
  `Kafka (\`${IMAGES.kafka}\`, StatefulSet, \`kafka.storage\`): broker 9092, Schema Registry 8081, Connect 8083`,
  `MySQL (\`${IMAGES.mysql}\`) or MongoDB (\`${IMAGES.mongodb}\`) for \`database: mysql|mongodb\``,
  `Lenses HQ (\`${IMAGES.lensesHq}\`, 9991 UI, 10000 agents) and Lenses Agent (\`${IMAGES.lensesAgent}\`), configuration rendered into Secrets`,
  `Eclipse Mosquitto (\`${IMAGES.mosquitto}\`, StatefulSet, 1883 and 9001 WebSockets), authenticated, persistent (only with \`iot\`)`,
  `Metabase (\`${IMAGES.metabase}\`) or Grafana (\`${IMAGES.grafana}\`) on 3000`,
  'Pipeline Jobs: topics and retention, HealthData Avro schema, MQTT source connector, four Lenses SQL processors, Snowflake sink',
  'Istio Gateway `{name}-gateway` and VirtualServices (HTTP hosts `<service>.{name}-realtime.<domain>`, MQTT TCP 1883)',
  'NetworkPolicies: default deny, then per component',
  'Secrets `{name}-{mqtt,kafka,db,metabase,lenses}-secret` in the claim namespace, their copies `{name}-{kind}-connection` in the platform namespace, and `platform-credentials` (platform namespace) with its copy `{name}-platform-credentials-backup` (claim namespace)',
];

export const REALTIME_NOTES = `## Decisions

- **database** selects the *applications'* database (\`{name}-db-secret\`). Lenses HQ
  needs PostgreSQL, so the platform always runs one for itself (and Metabase/Grafana);
  \`postgres\` adds an \`app\` database to it, \`mysql\` and \`mongodb\` add a dedicated server.
- **scaling** bounds the real-time service (the Knative Service of the KubeVela component:
  \`autoscaling.knative.dev/min-scale\`/\`max-scale\`). The stateful components run one
  replica each; the function does not read it.
- **kafka.replicas** is limited to 1: fast-data-dev is a single-broker image.
- **iot** and **mqtt.enabled**: the broker, its Secret and the MQTT source connector exist
  only when both are true (the PRD names the first, the seed README the second).
- **resources** is a profile (small, medium, large) applied to every component.
- **RUNNING_SAMPLEDATA** is 0: the demo's sample topics are not health data.

## Secrets

Operator Secrets are read through the function's requirements (Crossplane fetches them
and calls the function again): \`lenses.licenseSecretRef\`, \`lenses.agentKeySecretRef\`,
\`lenses.apiTokenSecretRef\` (a Lenses service-account token; without it the SQL
processors are not created), \`mqttUsers[].passwordSecretRef\`, and
\`snowflake.credentialsSecret\`. Until one exists the status says which Secret and key it
waits for. An inline \`mqttUsers[].password\` is accepted with a Warning event.

Generated passwords (PostgreSQL roles, Lenses admin, the MQTT \`platform\` user, the
dashboard admin) are created once and kept in \`platform-credentials\` (platform
namespace) and its copy \`{name}-platform-credentials-backup\` (claim namespace, so deleting
the platform namespace loses none). They are never regenerated while any copy exists: every
reconcile takes each password from the first place that still holds it (the observed
Secret, the same Secret read live through the function's requirements, the backup, the
connection Secrets that carry it), so a Secret missing from Crossplane's observed state
(a partial first apply, an apply error) or deleted by someone gets its old values back.
Only a password no copy holds is generated. Deleting both credentials Secrets loses the
four that no connection Secret carries (PostgreSQL's superuser among them): don't. No
value appears in status, events or logs.

An operator Secret deleted after the platform was composed from it (the Lenses license or
agent key, the API token, an MQTT user's password, the Snowflake credentials) changes
nothing that was composed: the function keeps the values it composed before, read back from
its own objects, and the status says the component keeps them because the Secret is
missing. Recreating the Secret (with another value, too) takes effect on the next
reconcile. See [docs/chaos.md](../chaos.md).

Connection Secret keys are prefixed per service so an application can \`envFrom\` all of
them: \`MQTT_HOST MQTT_PORT MQTT_WEBSOCKET_URL MQTT_USERNAME MQTT_PASSWORD\`,
\`KAFKA_BOOTSTRAP_SERVERS SCHEMA_REGISTRY_URL KAFKA_CONNECT_URL\`,
\`DB_TYPE DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD DATABASE_URL\`,
\`DASHBOARD_TYPE DASHBOARD_URL DASHBOARD_EXTERNAL_URL DASHBOARD_ADMIN_USER DASHBOARD_ADMIN_PASSWORD\`,
\`LENSES_URL LENSES_EXTERNAL_URL LENSES_ADMIN_USER LENSES_ADMIN_PASSWORD\`.

## Pod Security: the Kafka exception

Every pod of the platform runs under the \`restricted\` Pod Security Standard **except
Kafka**. \`lensesio/fast-data-dev\` has no \`USER\` (its Dockerfile), and its entry point
\`setup-and-run.sh\` must run as root: it writes the services' configuration at start into
root-owned directories of the image (\`/etc/supervisord.d\`, \`/var/run/*\`, \`/var/www\`) and
then starts supervisord, which drops the broker, Schema Registry and Connect to \`nobody\`.
So the pod cannot set \`runAsNonRoot\` or another user. It runs with \`RuntimeDefault\` seccomp and no privilege
escalation, which the \`baseline\` profile allows; the namespace \`{name}-realtime\`
therefore enforces \`baseline\` and warns and audits on \`restricted\`, so any other pod
that is not restricted is reported by the API server. Replacing it with a restricted setup
means three images (a non-root broker, Schema Registry, Connect with the Stream Reactor MQTT
connector) configured to give the same topics, schemas and connectors: not done yet.

## Data

- Turning an option off removes only what it added. PostgreSQL and Kafka exist for every
  spec. StatefulSets keep their volume claims when they are deleted
  (\`persistentVolumeClaimRetentionPolicy: Retain\`): \`iot: false\` removes the broker
  but keeps its volume, and turning it on again reuses it; switching \`database\` between
  mysql and mongodb starts a new server (\`app-db-<engine>\`) and keeps the old volume.
- Deleting the claim deletes the namespace \`{name}-realtime\` and with it every volume
  claim in it: **the platform's data is deleted with the claim.** Back up PostgreSQL and
  Kafka first, or remove the claim's resources from Crossplane's control if the data must stay.
- Two claims with the same \`spec.name\` want the same namespace; the second cannot
  compose it. Use distinct names.

## Readiness

Each component is ready from its observed state (StatefulSets with all replicas ready,
Deployments \`Available\`, Jobs \`Complete\`, the rest once they exist). The XR is ready
only when every component is, so \`status.components\` and \`status.message\` say what is
missing (including Secrets it waits for).

## Snowflake

The sink connector class must be installed on the Connect worker: fast-data-dev 3.9.0 does
not ship it (the PRD mounted the jar). \`SNOWFLAKE_PRIVATE_KEY\` is the key body on one line.
`;
