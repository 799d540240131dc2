/**
 * ComponentDefinition `realtime-platform`: emits a RealtimePlatformClaim and
 * runs the platform's real-time service as a Knative Service (WebSockets and
 * Kafka consumers, min scale from spec.scaling) wired to the platform's
 * connection Secrets.
 */
import { PLATFORM } from '../../functions/lib/platform.js';
import { realtimePlatform, RealtimePlatformSpec } from '../../functions/realtime-platform/api.js';
import { PROCESSORS } from '../../functions/realtime-platform/components/pipeline.js';
import { cueParameter } from '../../functions/lib/schema/cue.js';
import { toOpenApi } from '../../functions/lib/schema/openapi.js';
import { Type } from '../../functions/lib/schema/types.js';
import { CLAIM_HEALTH_POLICY, claimCustomStatus } from './claim.js';
import { componentDefinition, cueImports, cueTemplate } from './definitions.js';
import { POD_LABELS, RESTRICTED_CONTAINER, indent } from './snippets.js';

/** The claim's parameters plus what only the definition uses. */
export const RealtimePlatformParameters = Type.Object({
  ...RealtimePlatformSpec.properties,
  serviceImage: Type.String({
    default: PLATFORM.realtimeServiceImage,
    description: 'Image of the real-time service (WebSockets + Kafka consumers) run as a Knative Service.',
  }),
});

const DEFINITION_ONLY = ['serviceImage'];

export function realtimePlatformDefinition() {
  const schema = toOpenApi(RealtimePlatformParameters);
  const output = `output: {
	apiVersion: "${realtimePlatform.apiVersion}"
	kind:       "${realtimePlatform.claimKind}"
	metadata: name: context.name
	spec: {for k, v in parameter if !list.Contains(${JSON.stringify(DEFINITION_ONLY)}, k) {(k): v}}
}`;
  const service = `// The five connection Secrets this platform creates (MQTT and Lenses only when enabled).
_secrets: [
	parameter.name + "-kafka-secret",
	parameter.name + "-db-secret",
	parameter.name + "-metabase-secret",
	if parameter.iot && parameter.mqtt.enabled {parameter.name + "-mqtt-secret"},
	if parameter.lenses.enabled {parameter.name + "-lenses-secret"},
]

outputs: service: {
	apiVersion: "serving.knative.dev/v1"
	kind:       "Service"
	metadata: name: context.name + "-service"
	spec: template: {
		metadata: {
			labels: ${indent(POD_LABELS, 3)}
			annotations: {
				"autoscaling.knative.dev/min-scale": "\\(parameter.scaling.minReplicas)"
				"autoscaling.knative.dev/max-scale": "\\(parameter.scaling.maxReplicas)"
			}
		}
		spec: containers: [{
			image: parameter.serviceImage
			ports: [{containerPort: 8080}]
			env: [
				{name: "REALTIME_PLATFORM_NAME", value: parameter.name},
				{name: "WEBSOCKET_ENABLED", value: "true"},
				{name: "KAFKA_TOPICS", value: "${PROCESSORS.map((x) => x.topic).join(',')}"},
			]
			envFrom: [for s in _secrets {secretRef: name: s}]
			resources: {
				requests: {cpu: "100m", memory: "256Mi"}
				limits: {cpu: "1", memory: "512Mi"}
			}
			securityContext: ${RESTRICTED_CONTAINER}
			readinessProbe: httpGet: path: "/health"
		}]
	}
}`;
  return componentDefinition({
    name: 'realtime-platform',
    description: realtimePlatform.description,
    template: cueTemplate([output, service, cueParameter(schema)], schema, ['list']),
    healthPolicy: CLAIM_HEALTH_POLICY,
    customStatus: claimCustomStatus('_status.endpoints != _|_', '"platform ready" + strings.Join([for k, v in _status.endpoints {" \\(k): \\(v)"}], ";")', realtimePlatform.claimKind).replace(
      /^/,
      cueImports(['strings']),
    ),
  });
}
