/**
 * `rasa-chatbot` (seed "Chat Services Development"): a Rasa server (always
 * on) and its actions server (scale to zero) as two Knative Services, wired
 * by ACTION_ENDPOINT_URL / ACTIONS_SERVER_HOST / ACTIONS_SERVER_PORT, and an
 * optional Istio Gateway + VirtualService for `chatbotHost`.
 */
import { ContainerResources, StringMap, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { readyPrelude } from '../claim.js';
import { POD_LABELS, RESTRICTED_CONTAINER, indent, orParameter, resourcesCue } from '../snippets.js';

/** Rasa's HTTP API and the rasa-sdk actions server listen here. */
export const RASA_PORT = 5005;
export const ACTIONS_PORT = 5055;

function knativeService(name: string, container: string, scaling: string): string {
  return `{
	apiVersion: "serving.knative.dev/v1"
	kind:       "Service"
	metadata: {
		name: ${name}
		labels: ${indent(POD_LABELS, 2)}
	}
	spec: template: {
		metadata: {
			labels: ${indent(POD_LABELS, 3)}
			annotations: ${indent(scaling, 3)}
		}
		spec: containers: [${indent(container, 2)}]
	}
}`;
}

export const rasaChatbot: CatalogEntry = {
  name: 'rasa-chatbot',
  kind: 'ComponentDefinition',
  description: 'A Rasa chatbot: the Rasa server (always on) and its actions server (scales to zero) as Knative Services, optionally exposed on chatbotHost through Istio.',
  parameters: Type.Object({
    rasaImage: Type.String({ minLength: 1, description: 'Image of the Rasa server (model included).' }),
    actionsImage: Type.String({ minLength: 1, description: 'Image of the rasa-sdk actions server.' }),
    minScale: Type.Integer({ minimum: 1, default: 1, description: 'Fewest Rasa server replicas: at least one, so the bot answers at once.' }),
    maxScale: Type.Integer({ minimum: 1, default: 10, description: 'Most Rasa server replicas.' }),
    targetConcurrency: Type.Integer({ minimum: 1, default: 10, description: 'Concurrent conversations per Rasa replica.' }),
    actionsMinScale: Type.Integer({ minimum: 0, default: 0, description: 'Fewest actions server replicas; 0 scales to zero.' }),
    actionsMaxScale: Type.Integer({ minimum: 1, default: 5, description: 'Most actions server replicas.' }),
    enableIstioGateway: Type.Boolean({ default: false, description: 'Expose the Rasa server on chatbotHost through the Istio ingress gateway.' }),
    chatbotHost: Type.Optional(Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', description: 'Public host name; required with enableIstioGateway.' })),
    enableTLS: Type.Boolean({ default: false, description: 'Serve chatbotHost over HTTPS (HTTP redirects to it).' }),
    tlsSecretName: Type.Optional(Type.String({ minLength: 1, description: 'TLS Secret in istio-system for chatbotHost. Default: {component}-tls.' })),
    environment: Type.Optional(StringMap({ description: 'Extra environment variables of both servers.' })),
    resources: ContainerResources({ cpu: '500m', memory: '1Gi', cpuLimit: '2', memoryLimit: '2Gi' }),
    actionsResources: ContainerResources({ cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' }),
  }),
  body: [
    `if parameter.enableIstioGateway && parameter.chatbotHost == _|_ {
	_hostCheck: "chatbotHost is required with enableIstioGateway" & true
}
if parameter.minScale > parameter.maxScale {
	_scaleCheck: "minScale must not exceed maxScale" & true
}
if parameter.actionsMinScale > parameter.actionsMaxScale {
	_actionsScaleCheck: "actionsMinScale must not exceed actionsMaxScale" & true
}

_actions: context.name + "-actions"
_actionsHost: _actions + "." + context.namespace + ".svc.cluster.local"
_custom: *[] | [...]
if parameter.environment != _|_ {
	_custom: [for k, v in parameter.environment {name: k, value: v}]
}
${orParameter('_tlsSecret', '(context.name + "-tls")', 'parameter.tlsSecretName')}`,
    `// The Rasa server: Knative routes to it on port 80 inside the cluster.
output: ${knativeService(
      'context.name',
      `{
	name:  "rasa"
	image: parameter.rasaImage
	args: ["run", "--enable-api", "--cors", "*", "--port", "${RASA_PORT}"]
	ports: [{containerPort: ${RASA_PORT}}]
	env: list.Concat([[
		{name: "ACTION_ENDPOINT_URL", value: "http://" + _actionsHost + "/webhook"},
		{name: "ACTIONS_SERVER_HOST", value: _actionsHost},
		{name: "ACTIONS_SERVER_PORT", value: "80"},
	], _custom])
	readinessProbe: httpGet: {path: "/", port: ${RASA_PORT}}
	resources: ${indent(resourcesCue(), 1)}
	securityContext: ${RESTRICTED_CONTAINER}
}`,
      `{
	"autoscaling.knative.dev/min-scale": "\\(parameter.minScale)"
	"autoscaling.knative.dev/max-scale": "\\(parameter.maxScale)"
	"autoscaling.knative.dev/target":    "\\(parameter.targetConcurrency)"
}`,
    )}`,
    `outputs: actions: ${knativeService(
      '_actions',
      `{
	name:  "actions"
	image: parameter.actionsImage
	ports: [{containerPort: ${ACTIONS_PORT}}]
	env: _custom
	readinessProbe: httpGet: {path: "/health", port: ${ACTIONS_PORT}}
	resources: ${indent(resourcesCue('parameter.actionsResources'), 1)}
	securityContext: ${RESTRICTED_CONTAINER}
}`,
      `{
	"autoscaling.knative.dev/min-scale": "\\(parameter.actionsMinScale)"
	"autoscaling.knative.dev/max-scale": "\\(parameter.actionsMaxScale)"
}`,
    )}`,
    `if parameter.enableIstioGateway {
	outputs: gateway: {
		apiVersion: "networking.istio.io/v1beta1"
		kind:       "Gateway"
		metadata: name: context.name + "-gateway"
		spec: {
			selector: istio: "ingressgateway"
			servers: [
				{
					port: {number: 80, name: "http", protocol: "HTTP"}
					hosts: [parameter.chatbotHost]
					if parameter.enableTLS {
						tls: httpsRedirect: true
					}
				},
				if parameter.enableTLS {
					port: {number: 443, name: "https", protocol: "HTTPS"}
					hosts: [parameter.chatbotHost]
					tls: {mode: "SIMPLE", credentialName: _tlsSecret}
				},
			]
		}
	}
	// Knative Services are reached through Knative's local gateway, with the
	// service's own host name as authority.
	outputs: "virtual-service": {
		apiVersion: "networking.istio.io/v1beta1"
		kind:       "VirtualService"
		metadata: name: context.name
		spec: {
			hosts: [parameter.chatbotHost]
			gateways: [context.name + "-gateway"]
			http: [{
				rewrite: authority: context.name + "." + context.namespace + ".svc.cluster.local"
				route: [{destination: {host: "knative-local-gateway.istio-system.svc.cluster.local", port: number: 80}}]
			}]
		}
	}
}`,
  ],
  imports: ['list'],
  status: {
    healthPolicy: `${readyPrelude('context.output')}_rasaReady: _ready
_actionsConditions: *[] | [...]
if context.outputs.actions.status != _|_ && context.outputs.actions.status.conditions != _|_ {
	_actionsConditions: context.outputs.actions.status.conditions
}
_actionsReady: len([for c in _actionsConditions if c.type == "Ready" && c.status == "True" {c}]) > 0
isHealth: _rasaReady && _actionsReady
`,
    customStatus: `${readyPrelude('context.output')}message: *"waiting for the Rasa server and the actions server to become Ready" | string
if _ready && _status.url != _|_ {
	message: "chatbot at " + _status.url
}
`,
  },
  outputs: [
    `\`serving.knative.dev/v1\` \`Service\` \`{component}\`: the Rasa server (\`rasa run --enable-api\` on ${RASA_PORT}), scaling \`minScale\`–\`maxScale\` (default 1–10) at \`targetConcurrency\`, env \`ACTION_ENDPOINT_URL=http://{component}-actions.{namespace}.svc.cluster.local/webhook\`, \`ACTIONS_SERVER_HOST\`, \`ACTIONS_SERVER_PORT=80\`, then \`environment\``,
    `\`outputs.actions\`: \`Service\` \`{component}-actions\` (rasa-sdk on ${ACTIONS_PORT}, \`/health\` probe), scaling \`actionsMinScale\`–\`actionsMaxScale\` (default 0–5), \`environment\``,
    'With `enableIstioGateway`: `outputs.gateway` (Istio `Gateway` `{component}-gateway` on the ingress gateway, port 80, and 443 with `credentialName` when `enableTLS`) and `outputs.virtual-service` (routes `chatbotHost` to the Rasa Service through `knative-local-gateway`)',
  ],
  health: "Healthy when both Knative Services report `Ready` `True`; the message gives the Rasa server's URL.",
  example: 'examples/oam/customer-support.yaml',
};
