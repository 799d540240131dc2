/**
 * ComponentDefinitions `knative-webservice` and `application-infrastructure`: the
 * expert path of the platform. Both emit an ApplicationClaim with source
 * `oam-driven`, so the application function never writes their Application
 * back into the GitOps repository it came from.
 */
import { application, FRAMEWORKS, LANGUAGES, SOURCE_ANNOTATION } from '../../functions/application/api.js';
import { ApplicationInfrastructureParameters, WEBSERVICE_TYPE, WebserviceParameters } from '../../functions/application/webservice.js';
import { REALTIME_SECRET_KINDS } from '../../functions/lib/realtime.js';
import { cueParameter } from '../../functions/lib/schema/cue.js';
import { toOpenApi } from '../../functions/lib/schema/openapi.js';
import { CLAIM_HEALTH_POLICY, claimCustomStatus, readyPrelude } from './claim.js';
import { componentDefinition, cueTemplate } from './definitions.js';
import { POD_LABELS, RESTRICTED_CONTAINER, indent, orParameter } from './snippets.js';

/** Realtime Secrets that exist only when the platform enables MQTT / Lenses. */
const OPTIONAL_REALTIME = ['mqtt', 'lenses'];

/** `_appName`: parameter.name, else the component name. */
const APP_NAME = orParameter('_appName', 'context.name', 'parameter.name');

/** The framework/language rule of the XRD (CEL there), as CUE checks that fail evaluation. */
const FRAMEWORK_CHECK = `// framework must belong to language, as the ApplicationClaim XRD requires.
_frameworks: ${JSON.stringify(Object.fromEntries(LANGUAGES.map((l) => [l, FRAMEWORKS[l]])))}
if parameter.framework != _|_ && parameter.language == _|_ {
	_frameworkCheck: "framework requires language" & true
}
if parameter.framework != _|_ && parameter.language != _|_ {
	if !list.Contains(_frameworks[parameter.language], parameter.framework) {
		_frameworkCheck: "framework must be one of the frameworks of language" & true
	}
}`;

/** The claim both definitions emit; `fields` are CUE lines of its spec, `source` the CUE of its source. */
function claim(output: string, fields: string, source: string): string {
  return `${output}: {
	apiVersion: "${application.apiVersion}"
	kind:       "${application.claimKind}"
	metadata: {
		name: context.name
		// The claim comes from an OAM manifest: the function must not write it back.
		annotations: "${SOURCE_ANNOTATION}": ${source}
	}
	spec: {
${fields}
	}
}`;
}

const OPTIONAL_SPEC = (names: [string, string][]) => names.map(([param, field]) => `\t\tif parameter.${param} != _|_ {\n\t\t\t${field}: parameter.${param}\n\t\t}`).join('\n');

export function webserviceDefinition() {
  const schema = toOpenApi(WebserviceParameters);
  const required = REALTIME_SECRET_KINDS.filter((k) => !OPTIONAL_REALTIME.includes(k));
  const env = `_env: [
	{name: "AGENT_TYPE", value: context.name},
	{name: "LOG_LEVEL", value: parameter.logLevel},
	if parameter.realtime != _|_ {name: "REALTIME_PLATFORM_NAME", value: parameter.realtime},
	if parameter.realtime != _|_ {name: "WEBSOCKET_ENABLED", value: "true"},
]
_customEnv: *[] | [...]
if parameter.env != _|_ {
	_customEnv: [for k, v in parameter.env {name: k, value: v}]
}

// Secrets the container reads whole: the ones named, the ApplicationClaim's
// database and cache, and the realtime platform's (MQTT and Lenses exist only
// when that platform enables them, so they are optional).
${orParameter('_named', '[]', 'parameter.secrets', '[...string]')}
${orParameter('_database', '"none"', 'parameter.database')}
${orParameter('_cache', '"none"', 'parameter.cache')}
_secrets: list.Concat([
	_named,
	[if parameter.language != _|_ && _database == "postgres" {_appName + "-db-secret"}],
	[if parameter.language != _|_ && _cache == "redis" {_appName + "-cache-secret"}],
])
_realtimeSecrets: [
	if parameter.realtime != _|_ for k in ${JSON.stringify(required)} {{name: parameter.realtime + "-" + k + "-secret", optional: false}},
	if parameter.realtime != _|_ for k in ${JSON.stringify(OPTIONAL_REALTIME)} {{name: parameter.realtime + "-" + k + "-secret", optional: true}},
]

_probe: {...}
if parameter.healthPath == _|_ {
	_probe: tcpSocket: port: parameter.port
}
if parameter.healthPath != _|_ {
	_probe: httpGet: {path: parameter.healthPath, port: parameter.port}
}

if parameter.scaling.minScale > parameter.scaling.maxScale {
	_scalingCheck: "scaling.minScale must not exceed scaling.maxScale" & true
}`;
  const output = `output: {
	apiVersion: "serving.knative.dev/v1"
	kind:       "Service"
	metadata: {
		name: context.name
		labels: ${indent(POD_LABELS, 2)}
	}
	spec: template: {
		metadata: {
			labels: ${indent(POD_LABELS, 3)}
			annotations: {
				"autoscaling.knative.dev/min-scale": "\\(parameter.scaling.minScale)"
				"autoscaling.knative.dev/max-scale": "\\(parameter.scaling.maxScale)"
				"autoscaling.knative.dev/target":    "\\(parameter.scaling.target)"
			}
		}
		spec: containers: [{
			name:  context.name
			image: parameter.image
			ports: [{containerPort: parameter.port}]
			env: list.Concat([_env, _customEnv])
			// Later sources win (Kubernetes): the app's own database and cache
			// Secrets come last, so their DATABASE_URL beats the realtime one.
			envFrom: list.Concat([
				[for s in _realtimeSecrets {secretRef: s}],
				[for s in _secrets {secretRef: name: s}],
			])
			resources: {
				requests: {cpu: parameter.resources.cpu, memory: parameter.resources.memory}
				limits: {cpu: parameter.resources.cpuLimit, memory: parameter.resources.memoryLimit}
			}
			securityContext: ${RESTRICTED_CONTAINER}
			readinessProbe: _probe
			livenessProbe:  _probe
		}]
	}
}`;
  const infrastructure = `// Only with a language: the ApplicationClaim sets up the repository and the data services.
if parameter.language != _|_ {
${claim(
  'outputs: infrastructure',
  [
    '\t\tname:     _appName',
    '\t\tlanguage: parameter.language',
    OPTIONAL_SPEC([
      ['framework', 'framework'],
      ['database', 'database'],
      ['cache', 'cache'],
      ['realtime', 'realtime'],
    ]),
    '\t\timage: parameter.image',
    '\t\tport:  parameter.port',
  ].join('\n'),
  'parameter.source',
)
  .split('\n')
  .map((l) => '\t' + l)
  .join('\n')}
}`;
  return componentDefinition({
    name: WEBSERVICE_TYPE,
    description:
      "A web service as a Knative Service (scales 0-10 by default). With language, an ApplicationClaim (source oam-driven) also sets up its repository, database and cache; with realtime, the realtime platform's Secrets become its environment.",
    template: cueTemplate([APP_NAME, FRAMEWORK_CHECK, env, output, infrastructure, cueParameter(schema)], schema, ['list']),
    healthPolicy: `${readyPrelude('context.output')}isHealth: _ready\n`,
    customStatus: `${readyPrelude('context.output')}message: [
	for c in _conditions if c.type == "Ready" && c.status == "False" && c.message != _|_ {"not ready: " + c.message},
	if _ready if _status.url != _|_ {"serving at " + _status.url},
	if _ready {"Knative Service ready"},
	"waiting for the Knative Service to become Ready",
][0]
`,
  });
}

export function applicationInfrastructureDefinition() {
  const schema = toOpenApi(ApplicationInfrastructureParameters);
  const output = claim(
    'output',
    [
      '\t\tname: _appName',
      OPTIONAL_SPEC([
        ['language', 'language'],
        ['framework', 'framework'],
        ['repository', 'appContainer'],
      ]),
      '\t\tdatabase: parameter.database',
      '\t\tcache:    parameter.cache',
    ].join('\n'),
    '"oam-driven"',
  );
  return componentDefinition({
    name: 'application-infrastructure',
    description: 'An ApplicationClaim (source oam-driven): the repository, database and cache of an application described in this OAM Application.',
    template: cueTemplate([APP_NAME, FRAMEWORK_CHECK, output, cueParameter(schema)], schema, ['list']),
    healthPolicy: CLAIM_HEALTH_POLICY,
    customStatus: claimCustomStatus(
      '_status.repository.url != _|_ && _status.gitops.reason != _|_',
      '"repository \\(_status.repository.url); GitOps: \\(_status.gitops.reason)"',
      application.claimKind,
    ),
  });
}
