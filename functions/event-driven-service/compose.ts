/**
 * What an EventDrivenService is made of: ServiceAccount, Deployment, Service
 * (8080) and a KEDA ScaledObject, all in the claim's namespace and named after
 * the claim. Readiness and XR status come from the observed objects.
 */
// Model classes per kind: a group's index loads every kind of the group.
import type { IContainer, IEnvVar } from 'kubernetes-models/v1';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IScaleTriggers } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ComposeInput, ComposeOutput } from '../lib/function/compose.js';
import { condition, conditionTrue, standardLabels, type KubeObject } from '../lib/k8s/objects.js';
import { deployment, service } from '../lib/k8s/workloads.js';
import { liveSecret } from '../lib/secrets.js';
import { SIZES, type EventDrivenServiceSpec } from './api.js';

const HTTP_PORT = 8080;
/** NATS serves its HTTP monitoring API (which KEDA reads) on this port by default. */
const NATS_MONITORING_PORT = 8222;

/** Documentation of the rule below; the reference page prints it. */
export const natsMonitoringNote = `## NATS monitoring endpoint

KEDA's \`nats-jetstream\` scaler reads consumer lag from the NATS HTTP monitoring
API (\`natsServerMonitoringEndpoint\`, a \`host:port\`), not from the client URL
the worker connects to. Unless \`spec.nats.monitoringEndpoint\` is set, the
function takes the host of \`spec.nats.url\` and the NATS monitoring port
${NATS_MONITORING_PORT}: \`nats://nats.nats.svc:4222\` gives \`nats.nats.svc:${NATS_MONITORING_PORT}\`. Set
\`monitoringEndpoint\` when monitoring is served elsewhere (another port, a
separate Service), and \`useHttps\` when it is served over TLS.
`;

/** KEDA wants the monitoring host:port, not the client URL. */
export function natsMonitoringEndpoint(nats: NonNullable<EventDrivenServiceSpec['nats']>): string {
  if (nats.monitoringEndpoint) return nats.monitoringEndpoint;
  const host = nats.url.replace(/^nats:\/\//, '').replace(/:\d+$/, '');
  return `${host}:${NATS_MONITORING_PORT}`;
}

function brokerEnv(spec: EventDrivenServiceSpec): IEnvVar[] {
  if (spec.nats) {
    return [
      { name: 'NATS_URL', value: spec.nats.url },
      { name: 'NATS_STREAM', value: spec.nats.stream },
      { name: 'NATS_CONSUMER', value: spec.nats.consumer },
    ];
  }
  const kafka = spec.kafka!;
  return [
    { name: 'KAFKA_BOOTSTRAP_SERVERS', value: kafka.bootstrapServers },
    { name: 'KAFKA_TOPIC', value: kafka.topic },
    { name: 'KAFKA_CONSUMER_GROUP', value: kafka.consumerGroup },
  ];
}

function trigger(spec: EventDrivenServiceSpec): IScaleTriggers {
  const lagThreshold = spec.scaling.lagThreshold;
  if (spec.nats) {
    return {
      type: 'nats-jetstream',
      metadata: {
        natsServerMonitoringEndpoint: natsMonitoringEndpoint(spec.nats),
        account: spec.nats.account,
        stream: spec.nats.stream,
        consumer: spec.nats.consumer,
        lagThreshold,
        ...(spec.nats.useHttps ? { useHttps: 'true' } : {}),
      },
    };
  }
  const kafka = spec.kafka!;
  return {
    type: 'kafka',
    metadata: {
      bootstrapServers: kafka.bootstrapServers,
      consumerGroup: kafka.consumerGroup,
      topic: kafka.topic,
      lagThreshold,
      offsetResetPolicy: kafka.offsetResetPolicy,
    },
  };
}

function describeTrigger(spec: EventDrivenServiceSpec): string {
  return spec.nats ? `nats-jetstream stream ${spec.nats.stream} consumer ${spec.nats.consumer}` : `kafka topic ${spec.kafka!.topic} group ${spec.kafka!.consumerGroup}`;
}

export function composeEventDrivenService({ spec, claim, observed, required }: ComposeInput<EventDrivenServiceSpec>): ComposeOutput {
  const { name, namespace } = claim;
  // Both containers read spec.secretName through envFrom: a kubelet does not
  // start them without it (k8s.io/kubernetes v1.35.4 pkg/kubelet/kubelet_pods.go,
  // makeEnvironmentVariables), so the service is not ready either, and
  // status says which Secret and field to fix.
  const envSecret = spec.secretName ? liveSecret(spec.secretName, namespace, required) : undefined;
  const missingSecret =
    envSecret && !envSecret.secret ? `spec.secretName: Secret ${spec.secretName} not found in namespace ${namespace}; the worker reads it (envFrom) and cannot start without it` : undefined;
  const labels = standardLabels(name, 'event-driven-service');
  const resources = SIZES[spec.size];
  const env = brokerEnv(spec);
  const envFrom = spec.secretName ? [{ secretRef: { name: spec.secretName } }] : undefined;

  const worker: IContainer = {
    name: 'worker',
    image: spec.image,
    ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
    env,
    envFrom,
    resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
    livenessProbe: { httpGet: { path: '/health', port: HTTP_PORT }, initialDelaySeconds: 30, periodSeconds: 10 },
    readinessProbe: { httpGet: { path: '/ready', port: HTTP_PORT }, initialDelaySeconds: 10, periodSeconds: 5 },
  };
  const initContainers: IContainer[] | undefined = spec.initContainer
    ? [
        {
          name: 'init',
          image: spec.initContainer.image ?? spec.image,
          command: spec.initContainer.command,
          env,
          envFrom,
          resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
        },
      ]
    : undefined;

  const serviceAccount = new ServiceAccount({ metadata: { name, namespace, labels } });
  // No `replicas`: KEDA's HPA owns the count, and a desired value here would
  // make Crossplane and the HPA fight over it.
  const deploymentObject = deployment({
    name,
    namespace,
    labels,
    serviceAccountName: name,
    imagePullSecrets: spec.imagePullSecrets?.map((s) => ({ name: s.name })),
    initContainers,
    containers: [worker],
  });
  const serviceObject = service(name, namespace, labels, [{ name: 'http', port: HTTP_PORT }]);
  const scaledObject = new ScaledObject({
    metadata: { name: `${name}-scaler`, namespace, labels },
    spec: {
      scaleTargetRef: { name },
      minReplicaCount: spec.scaling.minReplicas,
      maxReplicaCount: spec.scaling.maxReplicas,
      triggers: [trigger(spec)],
    },
  });

  const observedDeployment = observed.deployment as (KubeObject & { status?: { replicas?: number; readyReplicas?: number } }) | undefined;
  const observedScaler = observed.scaledobject;
  const scalerNotReady = condition(observedScaler, 'Ready');

  return {
    ...(envSecret ? { requirements: envSecret.requirement } : {}),
    ...(missingSecret ? { ready: false } : {}),
    resources: {
      serviceaccount: { resource: serviceAccount, ready: observed.serviceaccount !== undefined },
      deployment: { resource: deploymentObject, ready: conditionTrue(observedDeployment, 'Available') },
      service: { resource: serviceObject, ready: observed.service !== undefined },
      scaledobject: { resource: scaledObject, ready: conditionTrue(observedScaler, 'Ready') },
    },
    status: {
      ...(missingSecret ? { message: missingSecret } : {}),
      trigger: describeTrigger(spec),
      endpoint: `http://${name}.${namespace}.svc.cluster.local:${HTTP_PORT}`,
      ...(observedDeployment
        ? {
            replicas: {
              desired: observedDeployment.status?.replicas ?? 0,
              ready: observedDeployment.status?.readyReplicas ?? 0,
            },
          }
        : {}),
      ...(observedScaler
        ? {
            scaler: {
              ready: conditionTrue(observedScaler, 'Ready'),
              active: conditionTrue(observedScaler, 'Active'),
              ...(scalerNotReady && scalerNotReady.status !== 'True' && scalerNotReady.message ? { message: scalerNotReady.message } : {}),
            },
          }
        : {}),
    },
  };
}
