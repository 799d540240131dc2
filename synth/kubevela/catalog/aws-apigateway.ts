/**
 * `aws-apigateway` (PRD "Infrastructure Components"): an AWS API Gateway
 * HTTP API in front of a service, as Crossplane managed resources of the
 * upjet AWS provider's apigatewayv2 family, namespaced group
 * `apigatewayv2.aws.m.upbound.io/v1beta1` (Crossplane v2 managed resources
 * live in the Application's namespace). Checked against
 * crossplane-contrib/provider-upjet-aws v2.6.0: package/crds/
 * apigatewayv2.aws.m.upbound.io_{apis,integrations,routes,stages}.yaml
 * (committed as test/upstream/crds/provider-upjet-aws-v2.6.0/), references in
 * config/namespaced/apigatewayv2/config.go (Route.target from an
 * Integration as "integrations/{id}"), external names in
 * config/externalname.go (Stage: NameAsIdentifier, so the stage name is
 * the external-name annotation; API, Integration, Route: from the provider).
 */
import { StringEnum, StringMap, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { errsCue } from './errs.js';
import { PROVIDER_AWS_APIGATEWAYV2 } from './providers.js';

const GROUP = 'apigatewayv2.aws.m.upbound.io/v1beta1';

export const awsApigateway: CatalogEntry = {
  name: 'aws-apigateway',
  kind: 'ComponentDefinition',
  description: "An AWS API Gateway HTTP API in front of a service (an external URL, or an in-cluster service behind a VPC link), with CORS, routes and stages, through Crossplane's AWS provider.",
  parameters: Type.Object({
    region: Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]$', description: 'AWS region, e.g. eu-west-1.' }),
    endpoint: Type.Object(
      {
        url: Type.Optional(Type.String({ pattern: '^https?://', description: 'Public URL of the service (e.g. the cluster ingress host of a webservice); HTTP_PROXY over the internet.' })),
        privateIntegration: Type.Optional(
          Type.Object(
            {
              vpcLinkId: Type.String({ minLength: 1, description: 'API Gateway VPC link ID.' }),
              listenerArn: Type.String({
                pattern: '^arn:aws',
                description: 'ARN of the internal NLB/ALB listener in front of the in-cluster Service (e.g. a LoadBalancer Service of the AWS Load Balancer Controller).',
              }),
            },
            { description: 'An in-cluster service reached privately: HTTP_PROXY over a VPC link to a load balancer listener.' },
          ),
        ),
        method: Type.String({ default: 'ANY', pattern: '^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$', description: 'HTTP method the integration calls with.' }),
        timeoutMilliseconds: Type.Integer({ minimum: 50, maximum: 30000, default: 30000, description: 'Integration timeout (HTTP APIs: 50 to 30,000 ms).' }),
      },
      { description: 'Where requests go: exactly one of url and privateIntegration.' },
    ),
    routes: Type.Array(Type.String({ pattern: '^(\\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /.*)$' }), {
      default: ['$default'],
      description: 'Route keys, e.g. "GET /orders" or "ANY /{proxy+}"; $default catches every request no other route matches.',
    }),
    cors: Type.Optional(
      Type.Object(
        {
          allowOrigins: Type.Array(Type.String({ minLength: 1 }), { description: 'Allowed origins, e.g. https://shop.example.com (or *).' }),
          allowMethods: Type.Array(Type.String({ pattern: '^([A-Z]+|\\*)$' }), { default: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'], description: 'Allowed methods.' }),
          allowHeaders: Type.Array(Type.String({ minLength: 1 }), { default: ['content-type', 'authorization'], description: 'Allowed request headers.' }),
          exposeHeaders: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Response headers browsers may read.' }),
          allowCredentials: Type.Boolean({ default: false, description: 'Allow cookies and authorization headers (not with origin *).' }),
          maxAge: Type.Integer({ minimum: 0, maximum: 86400, default: 300, description: 'Seconds browsers cache a preflight response.' }),
        },
        { description: 'CORS of the API; none when unset.' },
      ),
    ),
    stages: Type.Array(
      Type.Object({
        name: Type.String({ pattern: '^(\\$default|[A-Za-z0-9_-]{1,128})$', description: 'Stage name; $default serves at the API root.' }),
        autoDeploy: Type.Boolean({ default: true, description: 'Deploy every change of the API automatically.' }),
        throttlingBurstLimit: Type.Optional(Type.Integer({ minimum: 0, description: 'Burst limit of the default route settings.' })),
        throttlingRateLimit: Type.Optional(Type.Number({ minimum: 0, description: 'Requests per second of the default route settings.' })),
        variables: Type.Optional(StringMap({ description: 'Stage variables.' })),
      }),
      { default: [{ name: '$default', autoDeploy: true }], description: 'Stages; each has its own invoke URL.' },
    ),
    description: Type.Optional(Type.String({ description: 'Description of the API.' })),
    tags: StringMap({ default: {}, description: 'AWS tags on the API and stages.' }),
    providerConfig: Type.Object(
      {
        kind: StringEnum(['ClusterProviderConfig', 'ProviderConfig'], { default: 'ClusterProviderConfig', description: "ClusterProviderConfig, or a ProviderConfig in the Application's namespace." }),
        name: Type.String({ default: 'default', description: 'Its name.' }),
      },
      { default: {}, description: `AWS credentials of ${PROVIDER_AWS_APIGATEWAYV2.provider}.` },
    ),
  }),
  body: [
    errsCue([
      'if len([if parameter.endpoint.url != _|_ {1}, if parameter.endpoint.privateIntegration != _|_ {1}]) != 1 {"endpoint: set exactly one of url and privateIntegration"}',
      'if len(parameter.routes) == 0 {"routes must not be empty"}',
      'if len(parameter.stages) == 0 {"stages must not be empty"}',
      // Object names drop "$" and case ({component}-default for $default), so those must differ too.
      'for i, s in parameter.stages for t in list.Drop(parameter.stages, i+1) if strings.ToLower(strings.Replace(t.name, "$", "", -1)) == strings.ToLower(strings.Replace(s.name, "$", "", -1)) {"stages: \\(s.name) and \\(t.name) are the same stage object"}',
      'if parameter.cors != _|_ if parameter.cors.allowCredentials && list.Contains(parameter.cors.allowOrigins, "*") {"cors: allowCredentials cannot be used with origin *"}',
    ]),
    `_base: {
	providerConfigRef: {kind: parameter.providerConfig.kind, name: parameter.providerConfig.name}
}
_region: parameter.region
_apiRef: apiIdRef: name: context.name
_labels: {
	"app.oam.dev/name":      context.appName
	"app.oam.dev/component": context.name
}
output: {
	apiVersion: "${GROUP}"
	kind:       "API"
	metadata: {
		name:   context.name
		labels: _labels
	}
	spec: _base & {
		forProvider: {
			region:       _region
			name:         context.name
			protocolType: "HTTP"
			if parameter.description != _|_ {
				description: parameter.description
			}
			if parameter.cors != _|_ {
				corsConfiguration: {
					allowOrigins:     parameter.cors.allowOrigins
					allowMethods:     parameter.cors.allowMethods
					allowHeaders:     parameter.cors.allowHeaders
					exposeHeaders:    parameter.cors.exposeHeaders
					allowCredentials: parameter.cors.allowCredentials
					maxAge:           parameter.cors.maxAge
				}
			}
			tags: parameter.tags
		}
	}
}
outputs: integration: {
	apiVersion: "${GROUP}"
	kind:       "Integration"
	metadata: {
		name:   context.name
		labels: _labels
	}
	spec: _base & {
		forProvider: _apiRef & {
			region:               _region
			integrationType:      "HTTP_PROXY"
			integrationMethod:    parameter.endpoint.method
			payloadFormatVersion: "1.0"
			timeoutMilliseconds:  parameter.endpoint.timeoutMilliseconds
			if parameter.endpoint.url != _|_ {
				connectionType: "INTERNET"
				integrationUri: parameter.endpoint.url
			}
			if parameter.endpoint.privateIntegration != _|_ {
				connectionType: "VPC_LINK"
				connectionId:   parameter.endpoint.privateIntegration.vpcLinkId
				integrationUri: parameter.endpoint.privateIntegration.listenerArn
			}
		}
	}
}
for i, key in parameter.routes {
	outputs: "route-\\(i)": {
		apiVersion: "${GROUP}"
		kind:       "Route"
		metadata: {
			name:   "\\(context.name)-\\(i)"
			labels: _labels
		}
		spec: _base & {
			forProvider: _apiRef & {
				region:   _region
				routeKey: key
				// Resolved to "integrations/{id}" (config/namespaced/apigatewayv2/config.go).
				targetRef: name: context.name
			}
		}
	}
}
for s in parameter.stages {
	let _id = strings.ToLower(strings.Replace(s.name, "$", "", -1))
	outputs: "stage-\\(_id)": {
		apiVersion: "${GROUP}"
		kind:       "Stage"
		metadata: {
			name: "\\(context.name)-\\(_id)"
			labels: _labels
			// The stage's name in AWS (config/externalname.go: NameAsIdentifier).
			annotations: "crossplane.io/external-name": s.name
		}
		spec: _base & {
			forProvider: _apiRef & {
				region:     _region
				autoDeploy: s.autoDeploy
				if s.variables != _|_ {
					stageVariables: s.variables
				}
				if s.throttlingBurstLimit != _|_ || s.throttlingRateLimit != _|_ {
					defaultRouteSettings: {
						if s.throttlingBurstLimit != _|_ {
							throttlingBurstLimit: s.throttlingBurstLimit
						}
						if s.throttlingRateLimit != _|_ {
							throttlingRateLimit: s.throttlingRateLimit
						}
					}
				}
				tags: parameter.tags
			}
		}
	}
}`,
  ],
  imports: ['list', 'strings'],
  status: {
    healthPolicy: `${managedReady()}isHealth: _allReady
`,
    // No imports here: KubeVela compiles the status with the context only.
    customStatus: `${managedReady()}_urls: [for k, o in context.outputs if o.kind != _|_ if o.kind == "Stage" if o.status != _|_ if o.status.atProvider != _|_ if o.status.atProvider.invokeUrl != _|_ {o.status.atProvider.invokeUrl}]
if !_allReady {
	message: "waiting for \\(len(_waiting)) object(s) to become Ready, first \\(_waiting[0])"
}
if _allReady && len(_urls) == 0 {
	message: "ready"
}
if _allReady && len(_urls) > 0 {
	message: "invoke URL: " + _urls[0]
}
`,
  },
  outputs: [
    `\`${GROUP}\` \`API\` \`{component}\`: protocol HTTP, \`corsConfiguration\` from \`cors\`, \`tags\``,
    '`outputs.integration`: `Integration` `{component}`: `HTTP_PROXY` (payload format 1.0) to `endpoint.url` over `INTERNET`, or to `endpoint.privateIntegration.listenerArn` over the `VPC_LINK`; method and timeout',
    '`outputs.route-{i}`: one `Route` per route key, targeting the Integration through `targetRef`',
    '`outputs.stage-{name}`: one `Stage` per stage (`$default` → `stage-default`), the AWS stage name in `crossplane.io/external-name`, `autoDeploy`, stage variables, throttling',
    `Every object: \`region\`, \`providerConfigRef\` (default \`ClusterProviderConfig\` \`default\`), in the Application's namespace. The provider \`${PROVIDER_AWS_APIGATEWAYV2.package}:${PROVIDER_AWS_APIGATEWAYV2.version}\` is in \`install/providers.yaml\`.`,
  ],
  health:
    "Healthy when the API and every Integration, Route and Stage report `Ready` `True`; the message then gives the first stage's invoke URL (`status.atProvider.invokeUrl`), e.g. `invoke URL: https://abc123.execute-api.eu-west-1.amazonaws.com/`; before that it counts the objects still waiting and names one.",
  example: 'examples/oam/full-stack-ecommerce.yaml',
  notes: `## Upstream sources

- Kinds \`API\`, \`Integration\`, \`Route\`, \`Stage\` of \`${GROUP}\` and every field used (\`region\`, \`protocolType\`, \`corsConfiguration\`, \`integrationType\`, \`integrationMethod\`, \`integrationUri\`, \`connectionType\`, \`connectionId\`, \`payloadFormatVersion\`, \`timeoutMilliseconds\`, \`routeKey\`, \`targetRef\`, \`apiIdRef\`, \`autoDeploy\`, \`stageVariables\`, \`defaultRouteSettings\`, \`providerConfigRef\` with its default \`ClusterProviderConfig\`/\`default\`, \`status.atProvider.invokeUrl\`): crossplane-contrib/provider-upjet-aws v2.6.0, \`package/crds/apigatewayv2.aws.m.upbound.io_*.yaml\` (the tests validate every output against them with \`crossplane beta validate\`).
- \`Route.targetRef\` → \`integrations/{id}\`: \`config/namespaced/apigatewayv2/config.go\`; Stage name from \`crossplane.io/external-name\`: \`config/externalname.go\` (\`aws_apigatewayv2_stage: NameAsIdentifier\`).
- Package \`${PROVIDER_AWS_APIGATEWAYV2.package}\`: the family subpackage \`cmd/provider/apigatewayv2\`, published to \`xpkg.crossplane.io/crossplane-contrib\` by \`.github/workflows/publish-provider-packages.yaml\` → crossplane-contrib/provider-workflows \`publish-provider-family.yml\` (\`CROSSPLANE_PROXY_REGORG\`).

## Setting up

\`install/providers.yaml\` installs the provider; create its \`ClusterProviderConfig\` \`default\` (\`aws.m.upbound.io/v1beta1\`, e.g. \`credentials.source: IRSA\`) or name another in \`providerConfig\`. Crossplane's RBAC already covers provider-managed kinds; KubeVela applies them in the Application's namespace.

## Choices

- The namespaced (\`.m.\`) group, not the cluster-scoped \`apigatewayv2.aws.upbound.io\`: the objects belong to the Application and its namespace, and a \`ProviderConfig\` may then be per team.
- An in-cluster service is reached through a VPC link to a load balancer listener: API Gateway runs outside the cluster and cannot resolve cluster DNS, so \`endpoint\` takes either a public URL or the listener ARN (the Service's load balancer comes from the AWS Load Balancer Controller, outside this component).`,
};

/** Binds `_waiting` (names of outputs without Ready=True) and `_allReady` over output and outputs. */
function managedReady(): string {
  return `_all: {
	api: context.output
	// Absent until KubeVela has read the auxiliary objects back.
	if context.outputs != _|_ {
		for k, o in context.outputs {
			(k): o
		}
	}
}
_waiting: [for k, o in _all if len([if o.status != _|_ if o.status.conditions != _|_ for c in o.status.conditions if c.type == "Ready" && c.status == "True" {c}]) == 0 {k}]
_allReady: len(_waiting) == 0
`;
}
