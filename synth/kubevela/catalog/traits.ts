/**
 * Traits (seed "Current OAM Capabilities"). Each says honestly which
 * workloads it applies to: the Knative Services of webservice,
 * realtime-platform and rasa-chatbot, and Deployments / StatefulSets.
 * Patches follow KubeVela's convention: containers merge by name (the
 * component name, `+patchKey=name`), so they reach the main container.
 */
import { realtimeSecretName } from '../../../functions/lib/realtime.js';
import { StringEnum, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { indent, orParameter } from '../snippets.js';

const KNATIVE = 'services.serving.knative.dev';
const POD_WORKLOADS = ['deployments.apps', 'statefulsets.apps', KNATIVE];
const IS_KNATIVE = 'context.output.apiVersion == "serving.knative.dev/v1" && context.output.kind == "Service"';

export const ingress: CatalogEntry = {
  name: 'ingress',
  kind: 'TraitDefinition',
  description: 'Routes a domain (and path) to the component, with TLS: a Knative DomainMapping for Knative Services, an Ingress for the Service of a Deployment.',
  parameters: Type.Object({
    domain: Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', description: 'Host name to route.' }),
    path: Type.String({ default: '/', pattern: '^/', description: 'Path prefix; Knative Services take / only.' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080, description: 'Service port of a Deployment component (Knative Services use their own).' }),
    className: Type.String({ default: 'istio', description: 'IngressClass of the Ingress.' }),
    tls: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Serve HTTPS.' }),
        secretName: Type.Optional(Type.String({ minLength: 1, description: 'TLS Secret. Default: {component}-tls.' })),
      },
      { default: {}, description: 'TLS.' },
    ),
  }),
  body: [
    `${orParameter('_tlsSecret', '(context.name + "-tls")', 'parameter.tls.secretName')}
_knative: ${IS_KNATIVE}
if _knative && parameter.path != "/" {
	_pathCheck: "a Knative Service is mapped as a whole domain: path must be /" & true
}
if _knative {
	outputs: ingress: {
		apiVersion: "serving.knative.dev/v1beta1"
		kind:       "DomainMapping"
		metadata: name: parameter.domain
		spec: {
			ref: {apiVersion: "serving.knative.dev/v1", kind: "Service", name: context.output.metadata.name}
			if parameter.tls.enabled {
				tls: secretName: _tlsSecret
			}
		}
	}
}
if !_knative {
	outputs: ingress: {
		apiVersion: "networking.k8s.io/v1"
		kind:       "Ingress"
		metadata: name: context.name
		spec: {
			ingressClassName: parameter.className
			if parameter.tls.enabled {
				tls: [{hosts: [parameter.domain], secretName: _tlsSecret}]
			}
			rules: [{
				host: parameter.domain
				http: paths: [{
					path:     parameter.path
					pathType: "Prefix"
					backend: service: {name: context.name, port: number: parameter.port}
				}]
			}]
		}
	}
}`,
  ],
  appliesToWorkloads: ['deployments.apps', KNATIVE],
  outputs: [
    'On a Knative Service: `serving.knative.dev/v1beta1` `DomainMapping` named `domain` → the Service (with `tls.secretName` when TLS is on)',
    'On a Deployment: `networking.k8s.io/v1` `Ingress` `{component}` (class `className`, default `istio`) routing `domain` + `path` to the Service `{component}` on `port`',
  ],
  example: 'examples/oam/event-driven-microservices.yaml',
};

export const autoscaler: CatalogEntry = {
  name: 'autoscaler',
  kind: 'TraitDefinition',
  description: 'Horizontal autoscaling on CPU and/or memory: an HPA for Deployments and StatefulSets; Knative autoscaling annotations for Knative Services.',
  parameters: Type.Object({
    min: Type.Integer({ minimum: 0, default: 1, description: 'Fewest replicas (0 only for Knative Services).' }),
    max: Type.Integer({ minimum: 1, default: 10, description: 'Most replicas.' }),
    cpu: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Target average CPU utilisation, percent of requests.' })),
    memory: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Target average memory utilisation, percent of requests.' })),
  }),
  body: [
    `if parameter.min > parameter.max {
	_scaleCheck: "min must not exceed max" & true
}
_knative: ${IS_KNATIVE}
if _knative && parameter.cpu != _|_ && parameter.memory != _|_ {
	_metricCheck: "a Knative Service scales on one metric: set cpu or memory, not both" & true
}
if !_knative && parameter.min == 0 {
	_minCheck: "min must be at least 1 for a Deployment or StatefulSet" & true
}
if _knative {
	patch: spec: template: metadata: annotations: {
		"autoscaling.knative.dev/min-scale": "\\(parameter.min)"
		"autoscaling.knative.dev/max-scale": "\\(parameter.max)"
		// CPU or memory targets need Knative's HPA class; without them Knative
		// keeps its request-concurrency autoscaler.
		if parameter.cpu != _|_ {
			"autoscaling.knative.dev/class":  "hpa.autoscaling.knative.dev"
			"autoscaling.knative.dev/metric": "cpu"
			"autoscaling.knative.dev/target": "\\(parameter.cpu)"
		}
		if parameter.memory != _|_ {
			"autoscaling.knative.dev/class":  "hpa.autoscaling.knative.dev"
			"autoscaling.knative.dev/metric": "memory"
			"autoscaling.knative.dev/target": "\\(parameter.memory)"
		}
	}
}
_metrics: [
	if parameter.cpu != _|_ {type: "Resource", resource: {name: "cpu", target: {type: "Utilization", averageUtilization: parameter.cpu}}},
	if parameter.memory != _|_ {type: "Resource", resource: {name: "memory", target: {type: "Utilization", averageUtilization: parameter.memory}}},
]
if !_knative {
	outputs: hpa: {
		apiVersion: "autoscaling/v2"
		kind:       "HorizontalPodAutoscaler"
		metadata: name: context.name
		spec: {
			scaleTargetRef: {apiVersion: context.output.apiVersion, kind: context.output.kind, name: context.output.metadata.name}
			minReplicas: parameter.min
			maxReplicas: parameter.max
			// Without a target, 80% CPU (the usual HPA starting point).
			metrics: [if len(_metrics) == 0 {[{type: "Resource", resource: {name: "cpu", target: {type: "Utilization", averageUtilization: 80}}}]}, _metrics][0]
		}
	}
}`,
  ],
  appliesToWorkloads: POD_WORKLOADS,
  outputs: [
    'On a Knative Service: patches `autoscaling.knative.dev/min-scale`, `max-scale`, and with `cpu` or `memory` the HPA class, metric and target annotations',
    'On a Deployment or StatefulSet: `autoscaling/v2` `HorizontalPodAutoscaler` `{component}` with the given targets (80% CPU when none is given)',
  ],
  example: 'examples/oam/event-driven-microservices.yaml',
};

/** Env patch of the component's container, merged by name. */
function envPatch(env: string): string {
  return `patch: spec: template: spec: {
	// +patchKey=name
	containers: [{
		name: context.name
		// +patchKey=name
		env: ${indent(env, 2)}
	}]
}`;
}

const Connection = {
  platform: Type.Optional(
    Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: `Realtime platform whose Kafka Secret (${realtimeSecretName('<platform>', 'kafka')}) gives the brokers.` }),
  ),
  bootstrapServers: Type.Optional(Type.String({ minLength: 1, description: 'host:port list of brokers (e.g. a kafka component: <component>:9092).' })),
  topics: Type.Array(Type.String({ pattern: '^[A-Za-z0-9._-]+$' }), { minItems: 1, description: 'Topics.' }),
};

const CONNECTION_CUE = `if (parameter.platform == _|_) == (parameter.bootstrapServers == _|_) {
	_connectionCheck: "exactly one of platform and bootstrapServers must be set" & true
}
_bootstrap: *[] | [...]
if parameter.platform != _|_ {
	_bootstrap: [{name: "KAFKA_BOOTSTRAP_SERVERS", valueFrom: secretKeyRef: {name: parameter.platform + "-kafka-secret", key: "KAFKA_BOOTSTRAP_SERVERS"}}]
}
if parameter.bootstrapServers != _|_ {
	_bootstrap: [{name: "KAFKA_BOOTSTRAP_SERVERS", value: parameter.bootstrapServers}]
}`;

const CONNECTION_DOC = '`KAFKA_BOOTSTRAP_SERVERS` from the realtime platform\'s `{platform}-kafka-secret` (key `KAFKA_BOOTSTRAP_SERVERS`) or the literal `bootstrapServers`';

export const kafkaProducer: CatalogEntry = {
  name: 'kafka-producer',
  kind: 'TraitDefinition',
  description: 'Makes the component a Kafka producer: the brokers and its topics in its environment.',
  parameters: Type.Object({ ...Connection, clientId: Type.Optional(Type.String({ minLength: 1, description: 'Kafka client id. Default: the component name.' })) }),
  body: [
    CONNECTION_CUE,
    envPatch(`list.Concat([_bootstrap, [
	{name: "KAFKA_PRODUCER_TOPICS", value: strings.Join(parameter.topics, ",")},
	{name: "KAFKA_CLIENT_ID", value: [if parameter.clientId != _|_ {parameter.clientId}, context.name][0]},
]])`),
  ],
  imports: ['list', 'strings'],
  appliesToWorkloads: POD_WORKLOADS,
  podDisruptive: true,
  outputs: [`Patches the container \`{component}\` with ${CONNECTION_DOC}, \`KAFKA_PRODUCER_TOPICS\` (comma-separated) and \`KAFKA_CLIENT_ID\``],
  example: 'examples/oam/event-driven-microservices.yaml',
};

export const kafkaConsumer: CatalogEntry = {
  name: 'kafka-consumer',
  kind: 'TraitDefinition',
  description: 'Makes the component a Kafka consumer: the brokers, its topics and consumer group in its environment.',
  parameters: Type.Object({
    ...Connection,
    consumerGroup: Type.String({ pattern: '^[A-Za-z0-9._-]+$', description: 'Consumer group.' }),
    offsetReset: StringEnum(['latest', 'earliest'], { default: 'latest', description: 'Where a new group starts.' }),
  }),
  body: [
    CONNECTION_CUE,
    envPatch(`list.Concat([_bootstrap, [
	{name: "KAFKA_CONSUMER_TOPICS", value: strings.Join(parameter.topics, ",")},
	{name: "KAFKA_CONSUMER_GROUP", value: parameter.consumerGroup},
	{name: "KAFKA_AUTO_OFFSET_RESET", value: parameter.offsetReset},
]])`),
  ],
  imports: ['list', 'strings'],
  appliesToWorkloads: POD_WORKLOADS,
  podDisruptive: true,
  outputs: [`Patches the container \`{component}\` with ${CONNECTION_DOC}, \`KAFKA_CONSUMER_TOPICS\`, \`KAFKA_CONSUMER_GROUP\`, \`KAFKA_AUTO_OFFSET_RESET\``],
  example: 'examples/oam/event-driven-microservices.yaml',
};
