/**
 * `neon-postgres` and `auth0-idp`: connections to managed services, as
 * External Secrets Operator `ExternalSecret`s (external-secrets.io/v1: v1beta1
 * is no longer served from v0.17.0, external-secrets PR #4758; fields checked
 * against config/crds/bases/external-secrets.io_externalsecrets.yaml at the
 * version in functions/lib/pins.ts, and validated against it in the tests)
 * that sync credentials the operator keeps in a secret store (AWS Secrets
 * Manager in the seed) into a Secret in the app's namespace. Nothing runs in
 * the cluster; the services are managed outside it.
 */
import { StringEnum, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { indent, orParameter, readyHealth, readyStatus } from '../snippets.js';

/** Served by External Secrets from v0.16 on and the only ExternalSecret version from v0.17.0. */
export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';

const SecretStore = Type.Object(
  {
    name: Type.String({ default: 'aws-secrets-manager', description: 'SecretStore or ClusterSecretStore that reaches the secret backend.' }),
    kind: StringEnum(['ClusterSecretStore', 'SecretStore'], { default: 'ClusterSecretStore', description: 'Kind of the store.' }),
  },
  { default: {}, description: 'Where External Secrets reads from.' },
);
const refreshInterval = Type.String({ default: '1h', pattern: '^[0-9]+(s|m|h)$', description: 'How often the Secret is re-synced.' });

/** The ExternalSecret skeleton: `data` and `template` are CUE. */
function externalSecret(target: string, remoteKey: string, data: string, template: string): string {
  return `output: {
	apiVersion: "${EXTERNAL_SECRET_API_VERSION}"
	kind:       "ExternalSecret"
	metadata: name: context.name
	spec: {
		refreshInterval: parameter.refreshInterval
		secretStoreRef: {name: parameter.secretStore.name, kind: parameter.secretStore.kind}
		target: {
			name:           ${target}
			creationPolicy: "Owner"
			template: {
				engineVersion: "v2"
				data: ${indent(template, 4)}
			}
		}
		data: [for p in ${data} {secretKey: p, remoteRef: {key: ${remoteKey}, property: p}}]
	}
}`;
}

const esStatus = { healthPolicy: readyHealth(), customStatus: readyStatus('the ExternalSecret', '"synced to Secret " + context.output.spec.target.name') };
const ES_HEALTH = "Healthy when the `ExternalSecret` reports `Ready` `True` (the Secret is synced); otherwise the message is the operator's reason (store unreachable, key missing).";

export const neonPostgres: CatalogEntry = {
  name: 'neon-postgres',
  kind: 'ComponentDefinition',
  description: "The connection Secret of a Neon (managed PostgreSQL) database, synced by External Secrets from the operator's secret store.",
  parameters: Type.Object({
    database: Type.String({ pattern: '^[A-Za-z0-9_-]+$', description: 'Database name on the Neon project.' }),
    remoteKey: Type.Optional(Type.String({ minLength: 1, description: 'Key in the secret store with properties host, port, user, password. Default: neon/{database}.' })),
    secretName: Type.Optional(Type.String({ minLength: 1, description: 'Secret to write. Default: {component}-db-secret.' })),
    sslMode: StringEnum(['require', 'verify-full'], { default: 'require', description: 'sslmode of DATABASE_URL; Neon accepts TLS connections only.' }),
    secretStore: SecretStore,
    refreshInterval,
  }),
  body: [
    orParameter('_remoteKey', '("neon/" + parameter.database)', 'parameter.remoteKey'),
    orParameter('_target', '(context.name + "-db-secret")', 'parameter.secretName'),
    externalSecret(
      '_target',
      '_remoteKey',
      '["host", "port", "user", "password"]',
      `{
	DATABASE_HOST:     "{{ .host }}"
	DATABASE_PORT:     "{{ .port }}"
	DATABASE_NAME:     "\\(parameter.database)"
	DATABASE_USER:     "{{ .user }}"
	DATABASE_PASSWORD: "{{ .password }}"
	DATABASE_URL:      "postgresql://{{ .user }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/\\(parameter.database)?sslmode=\\(parameter.sslMode)"
}`,
    ),
  ],
  status: esStatus,
  outputs: [
    '`' +
      EXTERNAL_SECRET_API_VERSION +
      '` `ExternalSecret` that reads `host`, `port`, `user`, `password` of `remoteKey` and writes the Secret `{component}-db-secret` with `DATABASE_HOST`, `_PORT`, `_NAME`, `_USER`, `_PASSWORD` and `DATABASE_URL` (the keys ApplicationClaim database Secrets have, so apps read either the same way)',
  ],
  health: ES_HEALTH,
  example: 'examples/oam/event-driven-microservices.yaml',
  notes: `## Seed options left out

The seed table also lists \`version\`, \`storageSize\`, \`replicas\`, \`backup\`, \`security\` and
\`resources\`. Those are settings of the Neon project, which is managed outside the cluster;
a Secret cannot change them, so the component does not pretend to accept them.`,
};

export const auth0Idp: CatalogEntry = {
  name: 'auth0-idp',
  kind: 'ComponentDefinition',
  description: 'Auth0 application credentials for a service, synced by External Secrets from AWS Secrets Manager, with the tenant settings beside them.',
  parameters: Type.Object({
    domain: Type.String({ pattern: '^[a-z0-9.-]+$', description: 'Auth0 tenant domain, e.g. acme.eu.auth0.com.' }),
    audience: Type.String({ minLength: 1, description: 'API identifier (audience) tokens are issued for.' }),
    scopes: Type.Array(Type.String({ minLength: 1 }), { default: ['openid', 'profile', 'email'], description: 'Scopes the app requests.' }),
    remoteKey: Type.Optional(Type.String({ minLength: 1, description: 'AWS Secrets Manager secret with properties clientId and clientSecret. Default: auth0/{component}.' })),
    compliance: StringEnum(['none', 'hipaa', 'gdpr'], { default: 'none', description: 'Compliance profile, given to the app as AUTH0_COMPLIANCE (e.g. to shorten sessions).' }),
    secretStore: SecretStore,
    refreshInterval,
  }),
  body: [
    orParameter('_remoteKey', '("auth0/" + context.name)', 'parameter.remoteKey'),
    externalSecret(
      'context.name + "-auth0-secret"',
      '_remoteKey',
      '["clientId", "clientSecret"]',
      `{
	AUTH0_DOMAIN:          parameter.domain
	AUTH0_ISSUER_BASE_URL: "https://\\(parameter.domain)/"
	AUTH0_AUDIENCE:        parameter.audience
	AUTH0_SCOPES:          strings.Join(parameter.scopes, " ")
	AUTH0_COMPLIANCE:      parameter.compliance
	AUTH0_CLIENT_ID:       "{{ .clientId }}"
	AUTH0_CLIENT_SECRET:   "{{ .clientSecret }}"
}`,
    ),
  ],
  imports: ['strings'],
  status: esStatus,
  outputs: [
    '`ExternalSecret` that reads `clientId` and `clientSecret` of `remoteKey` and writes the Secret `{component}-auth0-secret` with `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET` and the non-secret `AUTH0_DOMAIN`, `AUTH0_ISSUER_BASE_URL`, `AUTH0_AUDIENCE`, `AUTH0_SCOPES`, `AUTH0_COMPLIANCE`',
  ],
  health: ES_HEALTH,
  example: 'examples/oam/event-driven-microservices.yaml',
  notes:
    "The client secret never appears in the Application: only the store key does. `clientId`/`clientSecret` are the seed's `clientId` and `clientSecret` options, read from the store instead of the manifest.",
};
