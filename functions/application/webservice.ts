/**
 * Parameters of the KubeVela `knative-webservice` and
 * `application-infrastructure` components. They live beside the
 * ApplicationClaim API because both sides use them: the definitions are
 * generated from them, and the application function writes
 * `knative-webservice` components into the GitOps repository that must
 * satisfy the same schema (the unit tests check that).
 */
import { SHORT } from '../lib/schema/walk.js';
import { ContainerResources, StringEnum, StringMap, Type, type Static } from '../lib/schema/types.js';
import { ApplicationSpec, SOURCES } from './api.js';

const spec = ApplicationSpec.properties;

/**
 * The component type of a web service on Knative. Not `webservice`: vela-core
 * 1.10 installs its own `webservice` (a Deployment, other parameters) in
 * vela-system (charts/vela-core/templates/defwithtemplate/webservice.yaml), and
 * a definition of that name here would replace it for every team.
 */
export const WEBSERVICE_TYPE = 'knative-webservice';

export const WebserviceParameters = Type.Object({
  image: Type.String({ minLength: 1, description: 'Container image of the service.', [SHORT]: 'i' }),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080, description: 'Port the container listens on (Knative routes HTTP to it).', [SHORT]: 'p' }),
  name: Type.Optional(Type.String({ ...spec.name, description: 'Application name for the ApplicationClaim and its Secrets. Default: the component name.' })),
  language: Type.Optional({
    ...spec.language,
    description: 'Language of the service. When set, an ApplicationClaim (source oam-driven) sets up its repository and infrastructure.',
  }),
  framework: Type.Optional({ ...spec.framework }),
  database: Type.Optional(StringEnum(['postgres', 'none'], { description: 'With language: a PostgreSQL database; the service receives {name}-db-secret.' })),
  cache: Type.Optional(StringEnum(['redis', 'none'], { description: 'With language: a Redis cache; the service receives {name}-cache-secret.' })),
  source: StringEnum(SOURCES, {
    default: 'oam-driven',
    description: 'Source annotation of the ApplicationClaim. oam-driven (this manifest is in Git already) keeps the platform from writing it back.',
  }),
  realtime: Type.Optional(Type.String({ ...spec.realtime, description: "Name of a realtime platform in this namespace; its connection Secrets become the service's environment." })),
  env: Type.Optional(StringMap({ description: 'Extra environment variables.' })),
  secrets: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Secrets whose keys all become environment variables (envFrom).' })),
  logLevel: StringEnum(['DEBUG', 'INFO', 'WARNING', 'ERROR'], { default: 'INFO', description: 'LOG_LEVEL of the service.' }),
  healthPath: Type.Optional(Type.String({ pattern: '^/', description: 'HTTP path of the readiness and liveness probes. Default: a TCP check of the port.' })),
  scaling: Type.Object(
    {
      minScale: Type.Integer({ minimum: 0, default: 0, description: 'Fewest replicas; 0 scales to zero when idle.' }),
      maxScale: Type.Integer({ minimum: 1, default: 10, description: 'Most replicas.' }),
      target: Type.Integer({ minimum: 1, default: 100, description: 'Concurrent requests per replica before Knative adds one.' }),
    },
    { default: {}, description: 'Knative autoscaling.' },
  ),
  resources: ContainerResources({ cpu: '100m', memory: '128Mi', cpuLimit: '1', memoryLimit: '512Mi' }),
});
export type WebserviceParameters = Static<typeof WebserviceParameters>;

/** seed Table 2: `name`, `language`, `framework`, `database`, `cache`, `repository`. */
export const ApplicationInfrastructureParameters = Type.Object({
  name: Type.Optional(Type.String({ ...spec.name, description: 'Application name. Default: the component name.' })),
  language: Type.Optional({ ...spec.language }),
  framework: Type.Optional({ ...spec.framework }),
  database: { ...spec.database },
  cache: { ...spec.cache },
  repository: Type.Optional({ ...spec.appContainer, description: 'An existing repository (app container) to use instead of a new one.' }),
});
