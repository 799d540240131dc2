/**
 * Traits (seed "Current OAM Capabilities"). Each says which workloads it
 * applies to: the Knative Services of knative-webservice, realtime-platform
 * and rasa-chatbot, and Deployments / StatefulSets. KubeVela does not enforce
 * `appliesToWorkloads`, so each trait also checks `context.output` itself and
 * refuses any other workload (a claim, a HelmRelease) through `errs`.
 * Patches follow KubeVela's conventions: containers merge by name (the
 * component name, `+patchKey=name`), so they reach the main container; a
 * value the trait must win over carries `+patchStrategy=retainKeys`.
 */
import { realtimeSecretName } from '../../../functions/lib/realtime.js';
import { StringEnum, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { indent, orParameter } from '../snippets.js';

/** Workloads a trait can patch: how appliesToWorkloads names them, and how `context.output` shows them. */
const WORKLOADS = {
  knative: { resource: 'services.serving.knative.dev', apiVersion: 'serving.knative.dev/v1', kind: 'Service', says: 'a Knative Service' },
  deployment: { resource: 'deployments.apps', apiVersion: 'apps/v1', kind: 'Deployment', says: 'a Deployment' },
  statefulset: { resource: 'statefulsets.apps', apiVersion: 'apps/v1', kind: 'StatefulSet', says: 'a StatefulSet' },
} as const;
type Workload = keyof typeof WORKLOADS;

const POD_WORKLOADS: Workload[] = ['knative', 'deployment', 'statefulset'];
const appliesTo = (workloads: Workload[]) => workloads.map((w) => WORKLOADS[w].resource);

/**
 * `_on.<workload>` for each workload the trait handles and `_supported`; any
 * other workload is the trait's error, naming what it is.
 */
function workloadGuard(trait: string, workloads: Workload[]): string {
  const says = workloads.map((w) => WORKLOADS[w].says);
  const list = says.length > 1 ? `${says.slice(0, -1).join(', ')} or ${says[says.length - 1]}` : says[0];
  return `_on: {
${workloads.map((w) => `	${w}: context.output.apiVersion == "${WORKLOADS[w].apiVersion}" && context.output.kind == "${WORKLOADS[w].kind}"`).join('\n')}
}
_supported: ${workloads.map((w) => `_on.${w}`).join(' || ')}
if !_supported {
	_errs: workload: "${trait} applies to ${list}, not to \\(context.output.kind) \\(context.output.metadata.name)"
}`;
}

export const domainRoute: CatalogEntry = {
  name: 'domain-route',
  kind: 'TraitDefinition',
  description:
    "Routes a domain (and path) to the component, with TLS: a Knative DomainMapping for Knative Services, an Ingress for the Service of a Deployment. (Not vela-core's built-in ingress trait, which it leaves alone.)",
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
    `${workloadGuard('domain-route', ['knative', 'deployment'])}
${orParameter('_tlsSecret', '(context.name + "-tls")', 'parameter.tls.secretName')}
if _on.knative && parameter.path != "/" {
	_errs: path: "a Knative Service is mapped as a whole domain: path must be /"
}
if _on.knative {
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
if _on.deployment {
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
  appliesToWorkloads: appliesTo(['deployment', 'knative']),
  outputs: [
    'On a Knative Service: `serving.knative.dev/v1beta1` `DomainMapping` named `domain` → the Service (with `tls.secretName` when TLS is on)',
    'On a Deployment: `networking.k8s.io/v1` `Ingress` `{component}` (class `className`, default `istio`) routing `domain` + `path` to the Service `{component}` on `port`',
    'On any other workload: the error `domain-route applies to a Knative Service or a Deployment, not to <kind> <name>`',
  ],
  example: 'examples/oam/event-driven-microservices.yaml',
};

/** A Knative autoscaling annotation the trait sets over the component's own (webservice `scaling`). */
const knativeAnnotation = (key: string, value: string) => `// +patchStrategy=retainKeys\n"autoscaling.knative.dev/${key}": ${value}`;

export const autoscaler: CatalogEntry = {
  name: 'autoscaler',
  kind: 'TraitDefinition',
  description:
    "Horizontal autoscaling on CPU or memory: an HPA for Deployments and StatefulSets; Knative autoscaling annotations for Knative Services, replacing the component's own scaling settings.",
  parameters: Type.Object({
    min: Type.Integer({ minimum: 0, default: 1, description: 'Fewest replicas (0 only for Knative Services).' }),
    max: Type.Integer({ minimum: 1, default: 10, description: 'Most replicas.' }),
    cpu: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Target average CPU utilisation, percent of the CPU request.' })),
    memory: Type.Optional(Type.Integer({ minimum: 1, description: "Target average memory use per replica, in MiB (Knative's HPA class reads its memory target so)." })),
  }),
  body: [
    `${workloadGuard('autoscaler', POD_WORKLOADS)}
if parameter.min > parameter.max {
	_errs: scale: "min must not exceed max"
}
if _on.knative && parameter.cpu != _|_ && parameter.memory != _|_ {
	_errs: metric: "a Knative Service scales on one metric: set cpu or memory, not both"
}
if !_on.knative && parameter.min == 0 {
	_errs: min: "min must be at least 1 for a Deployment or StatefulSet"
}
// The Knative target: cpu or memory (both is an error above, so no annotation then).
_knativeTargets: [
	if parameter.cpu != _|_ {metric: "cpu", target: parameter.cpu},
	if parameter.memory != _|_ {metric: "memory", target: parameter.memory},
]
if _on.knative {
	// The trait's bounds and target win over the ones the component sets
	// (retainKeys replaces each value instead of unifying with it).
	patch: spec: template: metadata: annotations: {
		${indent(knativeAnnotation('min-scale', '"\\(parameter.min)"'), 2)}
		${indent(knativeAnnotation('max-scale', '"\\(parameter.max)"'), 2)}
		// A cpu or memory target needs Knative's HPA class; without one Knative
		// keeps its request-concurrency autoscaler and the component's target.
		// Knative turns a cpu target into averageUtilization (percent) and a
		// memory target into an averageValue of that many MiB (knative/serving
		// pkg/reconciler/autoscaling/hpa/resources/hpa.go).
		if len(_knativeTargets) == 1 {
			${indent(knativeAnnotation('class', '"hpa.autoscaling.knative.dev"'), 3)}
			${indent(knativeAnnotation('metric', '_knativeTargets[0].metric'), 3)}
			${indent(knativeAnnotation('target', '"\\(_knativeTargets[0].target)"'), 3)}
		}
	}
}
_metrics: [
	if parameter.cpu != _|_ {type: "Resource", resource: {name: "cpu", target: {type: "Utilization", averageUtilization: parameter.cpu}}},
	if parameter.memory != _|_ {type: "Resource", resource: {name: "memory", target: {type: "AverageValue", averageValue: "\\(parameter.memory)Mi"}}},
]
if _on.deployment || _on.statefulset {
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
  appliesToWorkloads: appliesTo(POD_WORKLOADS),
  outputs: [
    "On a Knative Service: patches `autoscaling.knative.dev/min-scale`, `max-scale`, and with `cpu` or `memory` the HPA class, metric and target annotations, each replacing the value the component set (`+patchStrategy=retainKeys`): the trait wins over `knative-webservice`'s `scaling`. The HPA class needs Knative's optional `serving-hpa` component (below)",
    'On a Deployment or StatefulSet: `autoscaling/v2` `HorizontalPodAutoscaler` `{component}`: `cpu` as average utilisation (percent of requests), `memory` as an average value of that many MiB, as Knative does (80% CPU when neither is given)',
    'On any other workload: the error `autoscaler applies to a Knative Service, a Deployment or a StatefulSet, not to <kind> <name>`',
  ],
  example: 'examples/oam/event-driven-microservices.yaml',
  notes: `## Knative: the HPA class needs \`serving-hpa\`

With \`cpu\` or \`memory\` on a Knative Service, the trait selects Knative's HPA autoscaling
class (\`hpa.autoscaling.knative.dev\`). Knative Serving runs that class in a separate
controller, \`autoscaler-hpa\`, which is not part of \`serving-core.yaml\`: it is the optional
\`serving-hpa.yaml\` release file (knative/serving \`config/hpa-autoscaling/\` and
\`hack/generate-yamls.sh\`, module knative.dev/serving v0.42.3 = knative-v1.15.3). A YAML install
must apply it as well; the Knative Operator installs it with Serving (knative/operator
\`cmd/operator/kodata/knative-serving/<version>/3-serving-hpa.yaml\` for every 1.15 release it
ships, module knative.dev/operator v0.42.3). Without it the Service keeps its annotations and
nothing scales it on CPU or memory.`,
};

/**
 * Env patch of the component's container, merged by name: only into a pod
 * workload that has a container named after the component (a claim has no
 * pod; iot-broker's container is `mosquitto`), else the trait's error.
 */
function envPatch(trait: string, env: string): string {
  return `${workloadGuard(trait, POD_WORKLOADS)}
_containers: *[] | [...]
if _supported {
	_containers: context.output.spec.template.spec.containers
}
_patchable: _supported && len([for c in _containers if c.name == context.name {c}]) > 0
if _supported && !_patchable {
	_errs: container: "${trait} sets the environment of the container named \\(context.name), and \\(context.output.kind) \\(context.output.metadata.name) has none"
}
if _patchable {
	patch: spec: template: spec: {
		// +patchKey=name
		containers: [{
			name: context.name
			// +patchKey=name
			env: ${indent(env, 3)}
		}]
	}
}`;
}

const Connection = {
  platform: Type.Optional(
    Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: `Realtime platform whose Kafka Secret (${realtimeSecretName('<platform>', 'kafka')}) gives the brokers.` }),
  ),
  bootstrapServers: Type.Optional(
    Type.String({ minLength: 1, description: "host:port list of brokers (e.g. a kafka component `events`: `events-kafka:9092`, the chart's Service `<component>-kafka`)." }),
  ),
  topics: Type.Array(Type.String({ pattern: '^[A-Za-z0-9._-]+$' }), { minItems: 1, description: 'Topics.' }),
};

const CONNECTION_CUE = `if (parameter.platform == _|_) == (parameter.bootstrapServers == _|_) {
	_errs: connection: "exactly one of platform and bootstrapServers must be set"
}
_bootstrap: *[] | [...]
if parameter.platform != _|_ {
	_bootstrap: [{name: "KAFKA_BOOTSTRAP_SERVERS", valueFrom: secretKeyRef: {name: parameter.platform + "-kafka-secret", key: "KAFKA_BOOTSTRAP_SERVERS"}}]
}
if parameter.bootstrapServers != _|_ {
	_bootstrap: [{name: "KAFKA_BOOTSTRAP_SERVERS", value: parameter.bootstrapServers}]
}`;

const NO_CONTAINER = "A workload other than a Knative Service, Deployment or StatefulSet, or one without a container named `{component}`, is the trait's error";

const CONNECTION_DOC = "`KAFKA_BOOTSTRAP_SERVERS` from the realtime platform's `{platform}-kafka-secret` (key `KAFKA_BOOTSTRAP_SERVERS`) or the literal `bootstrapServers`";

export const kafkaProducer: CatalogEntry = {
  name: 'kafka-producer',
  kind: 'TraitDefinition',
  description: 'Makes the component a Kafka producer: the brokers and its topics in its environment.',
  parameters: Type.Object({ ...Connection, clientId: Type.Optional(Type.String({ minLength: 1, description: 'Kafka client id. Default: the component name.' })) }),
  body: [
    CONNECTION_CUE,
    envPatch(
      'kafka-producer',
      `list.Concat([_bootstrap, [
	{name: "KAFKA_PRODUCER_TOPICS", value: strings.Join(parameter.topics, ",")},
	{name: "KAFKA_CLIENT_ID", value: [if parameter.clientId != _|_ {parameter.clientId}, context.name][0]},
]])`,
    ),
  ],
  imports: ['list', 'strings'],
  appliesToWorkloads: appliesTo(POD_WORKLOADS),
  podDisruptive: true,
  outputs: [`Patches the container \`{component}\` with ${CONNECTION_DOC}, \`KAFKA_PRODUCER_TOPICS\` (comma-separated) and \`KAFKA_CLIENT_ID\``, NO_CONTAINER],
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
    envPatch(
      'kafka-consumer',
      `list.Concat([_bootstrap, [
	{name: "KAFKA_CONSUMER_TOPICS", value: strings.Join(parameter.topics, ",")},
	{name: "KAFKA_CONSUMER_GROUP", value: parameter.consumerGroup},
	{name: "KAFKA_AUTO_OFFSET_RESET", value: parameter.offsetReset},
]])`,
    ),
  ],
  imports: ['list', 'strings'],
  appliesToWorkloads: appliesTo(POD_WORKLOADS),
  podDisruptive: true,
  outputs: [`Patches the container \`{component}\` with ${CONNECTION_DOC}, \`KAFKA_CONSUMER_TOPICS\`, \`KAFKA_CONSUMER_GROUP\`, \`KAFKA_AUTO_OFFSET_RESET\``, NO_CONTAINER],
  example: 'examples/oam/event-driven-microservices.yaml',
};
