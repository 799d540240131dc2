/**
 * Policies. KubeVela dispatches what a PolicyDefinition's template outputs
 * together with the Application's components. `override` (per-environment
 * changes of component properties) is KubeVela's built-in policy and is used
 * as it is: this repository ships no copy of it.
 */
import { StringEnum, Type } from '../../../functions/lib/schema/types.js';
import { IMAGE_REFS } from '../../../functions/lib/pins.js';
import type { CatalogEntry } from '../catalog.js';
import { RESTRICTED_CONTAINER, restrictedPod } from '../snippets.js';

/** The curl image the probe runs (the realtime platform's tool image). */
const CURL_IMAGE = IMAGE_REFS.curl;
const CURL_UID = 100;

export const health: CatalogEntry = {
  name: 'health',
  kind: 'PolicyDefinition',
  description: 'Periodic health checking of the application: a CronJob probes each listed component over HTTP every probeInterval minutes and fails when one does not answer.',
  parameters: Type.Object({
    probeInterval: Type.Integer({ minimum: 1, maximum: 59, default: 5, description: 'Minutes between probes (a CronJob runs at most once a minute).' }),
    probeTimeout: Type.Integer({ minimum: 1, maximum: 60, default: 10, description: 'Seconds each request may take.' }),
    targets: Type.Array(
      Type.Object({
        component: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', description: 'Component whose Service is probed.' }),
        path: Type.String({ default: '/health', pattern: '^/', description: 'HTTP path.' }),
        port: Type.Integer({ minimum: 1, maximum: 65535, default: 80, description: 'Service port (80 for Knative Services).' }),
      }),
      { minItems: 1, description: 'What to probe.' },
    ),
  }),
  body: [
    `_urls: [for t in parameter.targets {"http://" + t.component + "." + context.namespace + ".svc.cluster.local:" + "\\(t.port)" + t.path}]
output: {
	apiVersion: "batch/v1"
	kind:       "CronJob"
	metadata: name: context.appName + "-health"
	spec: {
		schedule:          "*/\\(parameter.probeInterval) * * * *"
		concurrencyPolicy: "Forbid"
		successfulJobsHistoryLimit: 1
		failedJobsHistoryLimit:     3
		jobTemplate: spec: {
			backoffLimit: 0
			template: {
				metadata: labels: {"app.oam.dev/name": context.appName, "app.oam.dev/component": context.appName + "-health"}
				spec: {
					restartPolicy: "Never"
					securityContext: ${restrictedPod({ runAsUser: CURL_UID, runAsGroup: CURL_UID })}
					containers: [{
						name:  "probe"
						image: "${CURL_IMAGE}"
						// Every URL must answer 2xx within the timeout; curl --fail exits non-zero otherwise.
						command: list.Concat([["curl", "--fail", "--silent", "--show-error", "--max-time", "\\(parameter.probeTimeout)", "--output", "/dev/null"], _urls])
						resources: {requests: {cpu: "10m", memory: "16Mi"}, limits: {cpu: "100m", memory: "64Mi"}}
						securityContext: ${RESTRICTED_CONTAINER}
					}]
				}
			}
		}
	}
}`,
  ],
  imports: ['list'],
  outputs: [
    '`batch/v1` `CronJob` `{app}-health`, schedule `*/probeInterval * * * *`: curl (restricted, uid 100) requests every target URL `http://{component}.{namespace}.svc.cluster.local:{port}{path}` with `--fail --max-time probeTimeout`; a failed Job marks a failed probe',
  ],
  example: 'examples/oam/realtime-health-platform.yaml',
  notes: `KubeVela 1.10 has no built-in \`health\` policy any more (the old one emitted a
HealthScope). Probe *periods* of a component's own containers are component properties:
change them per environment with the built-in \`override\` policy.`,
};

export const securityPolicy: CatalogEntry = {
  name: 'security-policy',
  kind: 'PolicyDefinition',
  description: "Network isolation of the application's pods: only the application itself, the listed namespaces and the allowed origin networks may connect.",
  parameters: Type.Object({
    allowedNamespaces: Type.Array(Type.String({ minLength: 1 }), {
      default: ['istio-system', 'knative-serving'],
      description: 'Namespaces whose pods may connect (the ingress gateway and the Knative activator by default).',
    }),
    allowedOrigins: Type.Array(Type.String({ pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' }), {
      default: [],
      description: 'Networks (CIDR) outside the cluster that may connect directly.',
    }),
    egress: StringEnum(['allow', 'restrict'], {
      default: 'allow',
      description: 'restrict: pods may only reach DNS, the application itself and the allowed namespaces.',
    }),
  }),
  body: [
    `_app: {"app.oam.dev/name": context.appName}
_peers: [
	{podSelector: matchLabels: _app},
	for ns in parameter.allowedNamespaces {namespaceSelector: matchLabels: "kubernetes.io/metadata.name": ns},
	for block in parameter.allowedOrigins {ipBlock: cidr: block},
]
output: {
	apiVersion: "networking.k8s.io/v1"
	kind:       "NetworkPolicy"
	metadata: name: context.appName + "-ingress"
	spec: {
		podSelector: matchLabels: _app
		policyTypes: ["Ingress"]
		ingress: [{from: _peers}]
	}
}
if parameter.egress == "restrict" {
	outputs: egress: {
		apiVersion: "networking.k8s.io/v1"
		kind:       "NetworkPolicy"
		metadata: name: context.appName + "-egress"
		spec: {
			podSelector: matchLabels: _app
			policyTypes: ["Egress"]
			egress: [
				{
					to: [{namespaceSelector: {}, podSelector: matchLabels: "k8s-app": "kube-dns"}]
					ports: [{protocol: "UDP", port: 53}, {protocol: "TCP", port: 53}]
				},
				{to: [for p in _peers if p.ipBlock == _|_ {p}]},
			]
		}
	}
}`,
  ],
  outputs: [
    '`NetworkPolicy` `{app}-ingress`: the pods labelled `app.oam.dev/name={app}` accept connections only from pods of the same application, from `allowedNamespaces` and from `allowedOrigins` (ipBlock)',
    'With `egress: restrict`: `NetworkPolicy` `{app}-egress` allowing DNS (kube-dns, 53) and the same peers without the external networks',
  ],
  example: 'examples/oam/event-driven-microservices.yaml',
  notes: '"Allowed origins" are taken as network origins (CIDRs) a NetworkPolicy can express. Browser CORS origins are the service\'s own configuration (e.g. the `--cors` of rasa-chatbot).',
};
