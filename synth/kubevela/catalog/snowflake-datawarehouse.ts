/**
 * `snowflake-datawarehouse` (PRD "Infrastructure Components": "via
 * Terraform provider"): a Snowflake warehouse, database and schema, a
 * service user with key-pair authentication and a role holding what the
 * Kafka sink needs, as one Crossplane provider-terraform `Workspace`
 * (`tf.m.upbound.io/v1beta1`, namespaced) running the Snowflake Terraform
 * provider. Its Terraform outputs become the keys of the connection Secret
 * (provider-terraform internal/controller/namespaced/workspace/workspace.go
 * op2cd: each output name is a key), named so the Secret has the shape of
 * the realtime platform's `spec.snowflake.credentialsSecret`.
 *
 * Why provider-terraform and not an upjet Snowflake provider: no Snowflake
 * provider is published by crossplane-contrib or Upbound (only community
 * forks), while provider-terraform is maintained in crossplane-contrib and
 * runs the Snowflake provider Snowflake itself maintains
 * (snowflakedb/terraform-provider-snowflake), which is what the PRD names.
 */
import { StringEnum, Type } from '../../../functions/lib/schema/types.js';
import type { CatalogEntry } from '../catalog.js';
import { readyHealth, readyStatus } from '../snippets.js';
import { PROVIDER_TERRAFORM } from './providers.js';

/** provider-terraform v1.1.1, package/crds/tf.m.upbound.io_workspaces.yaml. */
const WORKSPACE = 'tf.m.upbound.io/v1beta1';
/** snowflakedb/terraform-provider-snowflake: docs/ at this tag are the source of every resource and attribute below. */
export const SNOWFLAKE_TF_PROVIDER = '2.20.0';

/**
 * The root module, static: parameters come in as Terraform variables
 * (`varmap`), so nothing the user types is spliced into HCL.
 * Resources and attributes: docs/resources/{warehouse,database,schema,
 * account_role,grant_privileges_to_account_role,service_user,
 * grant_account_role}.md at v2.20.0; provider credentials from the
 * SNOWFLAKE_* environment (docs/index.md). The key pair comes from
 * hashicorp/tls `tls_private_key` (private_key_pem_pkcs8, public_key_pem);
 * Snowflake wants the public key and the Kafka connector the private key
 * "on 1 line without header and trailer".
 */
export const SNOWFLAKE_MODULE = `terraform {
  required_providers {
    snowflake = {
      source  = "snowflakedb/snowflake"
      version = "${SNOWFLAKE_TF_PROVIDER}"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

provider "snowflake" {}

variable "warehouse" {
  type = object({ name = string, size = string, auto_suspend = number, max_cluster_count = number })
}
variable "database" { type = string }
variable "schema" { type = string }
variable "data_retention_days" { type = number }
variable "user" { type = string }
variable "account_url" { type = string }

resource "snowflake_warehouse" "this" {
  name                = var.warehouse.name
  warehouse_size      = var.warehouse.size
  auto_suspend        = var.warehouse.auto_suspend
  auto_resume         = "true"
  initially_suspended = true
  max_cluster_count   = var.warehouse.max_cluster_count
}

resource "snowflake_database" "this" {
  name                        = var.database
  data_retention_time_in_days = var.data_retention_days
}

resource "snowflake_schema" "this" {
  database = snowflake_database.this.name
  name     = var.schema
}

resource "snowflake_account_role" "this" {
  name = "\${var.user}_ROLE"
}

resource "snowflake_grant_privileges_to_account_role" "warehouse" {
  account_role_name = snowflake_account_role.this.name
  privileges        = ["USAGE"]
  on_account_object {
    object_type = "WAREHOUSE"
    object_name = snowflake_warehouse.this.name
  }
}

resource "snowflake_grant_privileges_to_account_role" "database" {
  account_role_name = snowflake_account_role.this.name
  privileges        = ["USAGE"]
  on_account_object {
    object_type = "DATABASE"
    object_name = snowflake_database.this.name
  }
}

# What the Snowflake Kafka connector needs on its schema.
resource "snowflake_grant_privileges_to_account_role" "schema" {
  account_role_name = snowflake_account_role.this.name
  privileges        = ["USAGE", "CREATE TABLE", "CREATE STAGE", "CREATE PIPE"]
  on_schema {
    schema_name = snowflake_schema.this.fully_qualified_name
  }
}

resource "tls_private_key" "this" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

locals {
  public_key  = replace(replace(replace(tls_private_key.this.public_key_pem, "-----BEGIN PUBLIC KEY-----", ""), "-----END PUBLIC KEY-----", ""), "\\n", "")
  private_key = replace(replace(replace(tls_private_key.this.private_key_pem_pkcs8, "-----BEGIN PRIVATE KEY-----", ""), "-----END PRIVATE KEY-----", ""), "\\n", "")
}

resource "snowflake_service_user" "this" {
  name              = var.user
  default_role      = snowflake_account_role.this.name
  default_warehouse = snowflake_warehouse.this.name
  rsa_public_key    = local.public_key
}

resource "snowflake_grant_account_role" "user" {
  role_name = snowflake_account_role.this.name
  user_name = snowflake_service_user.this.name
}

output "SNOWFLAKE_URL" { value = var.account_url }
output "SNOWFLAKE_USER" { value = snowflake_service_user.this.name }
output "SNOWFLAKE_ROLE" { value = snowflake_account_role.this.name }
output "SNOWFLAKE_WAREHOUSE" { value = snowflake_warehouse.this.name }
output "SNOWFLAKE_DATABASE" { value = snowflake_database.this.name }
output "SNOWFLAKE_SCHEMA" { value = snowflake_schema.this.name }
output "SNOWFLAKE_PRIVATE_KEY" {
  value     = local.private_key
  sensitive = true
}
`;

const IDENT = '^[A-Za-z_][A-Za-z0-9_$]{0,254}$';

export const snowflakeDatawarehouse: CatalogEntry = {
  name: 'snowflake-datawarehouse',
  kind: 'ComponentDefinition',
  description:
    "A Snowflake warehouse, database and schema with a key-pair service user, through the Snowflake Terraform provider (Crossplane provider-terraform); writes the realtime platform's Snowflake credentials Secret.",
  parameters: Type.Object({
    organization: Type.String({ pattern: '^[A-Za-z0-9_-]+$', description: 'Snowflake organization name.' }),
    account: Type.String({ pattern: '^[A-Za-z0-9_-]+$', description: 'Snowflake account name in the organization.' }),
    database: Type.String({ pattern: IDENT, description: 'Database to create.' }),
    schema: Type.String({ default: 'PUBLIC', pattern: IDENT, description: 'Schema to create in it (PUBLIC is adopted).' }),
    dataRetentionDays: Type.Integer({ minimum: 0, maximum: 90, default: 1, description: 'Time Travel retention of the database.' }),
    warehouse: Type.Object(
      {
        name: Type.Optional(Type.String({ pattern: IDENT, description: 'Warehouse name. Default: {DATABASE}_WH.' })),
        size: StringEnum(['XSMALL', 'SMALL', 'MEDIUM', 'LARGE', 'XLARGE', 'XXLARGE'], { default: 'XSMALL', description: 'Warehouse size.' }),
        autoSuspend: Type.Integer({ minimum: 60, default: 60, description: 'Seconds idle before it suspends.' }),
        maxClusterCount: Type.Integer({ minimum: 1, maximum: 10, default: 1, description: 'Clusters of a multi-cluster warehouse.' }),
      },
      { default: {}, description: 'The virtual warehouse.' },
    ),
    user: Type.Optional(Type.String({ pattern: IDENT, description: 'Service user to create. Default: {DATABASE}_SVC.' })),
    secretName: Type.Optional(Type.String({ minLength: 1, description: 'Secret to write. Default: {component}-snowflake-secret.' })),
    adminCredentials: Type.Object(
      {
        secretName: Type.String({
          default: 'snowflake-admin',
          description: "Secret in the Application's namespace with SNOWFLAKE_USER and SNOWFLAKE_PRIVATE_KEY (PEM) of a user allowed to create warehouses, databases, roles and users.",
        }),
        role: Type.String({ default: 'ACCOUNTADMIN', pattern: IDENT, description: 'Role Terraform runs as.' }),
      },
      { default: {}, description: 'Credentials the Snowflake provider runs with (key-pair, SNOWFLAKE_JWT).' },
    ),
    providerConfig: Type.Object(
      {
        kind: StringEnum(['ClusterProviderConfig', 'ProviderConfig'], { default: 'ClusterProviderConfig', description: 'ClusterProviderConfig or a ProviderConfig in the namespace.' }),
        name: Type.String({ default: 'default', description: 'Its name (Terraform state backend, plugin cache).' }),
      },
      { default: {}, description: 'provider-terraform configuration.' },
    ),
  }),
  body: [
    `_database: strings.ToUpper(parameter.database)
_warehouse: *(_database + "_WH") | string
if parameter.warehouse.name != _|_ {
	_warehouse: parameter.warehouse.name
}
_user: *(_database + "_SVC") | string
if parameter.user != _|_ {
	_user: parameter.user
}
_secret: *(context.name + "-snowflake-secret") | string
if parameter.secretName != _|_ {
	_secret: parameter.secretName
}
output: {
	apiVersion: "${WORKSPACE}"
	kind:       "Workspace"
	metadata: {
		name: context.name
		labels: {
			"app.oam.dev/name":      context.appName
			"app.oam.dev/component": context.name
		}
	}
	spec: {
		providerConfigRef: {kind: parameter.providerConfig.kind, name: parameter.providerConfig.name}
		writeConnectionSecretToRef: name: _secret
		forProvider: {
			source:       "Inline"
			inlineFormat: "HCL"
			module:       ${JSON.stringify(SNOWFLAKE_MODULE)}
			varmap: {
				warehouse: {name: _warehouse, size: parameter.warehouse.size, auto_suspend: parameter.warehouse.autoSuspend, max_cluster_count: parameter.warehouse.maxClusterCount}
				database:            _database
				schema:              parameter.schema
				data_retention_days: parameter.dataRetentionDays
				user:                _user
				account_url:         "\\(parameter.organization)-\\(parameter.account).snowflakecomputing.com:443"
			}
			env: [
				{name: "SNOWFLAKE_ORGANIZATION_NAME", value: parameter.organization},
				{name: "SNOWFLAKE_ACCOUNT_NAME", value: parameter.account},
				{name: "SNOWFLAKE_AUTHENTICATOR", value: "SNOWFLAKE_JWT"},
				{name: "SNOWFLAKE_ROLE", value: parameter.adminCredentials.role},
				{name: "SNOWFLAKE_USER", secretKeyRef: {name: parameter.adminCredentials.secretName, key: "SNOWFLAKE_USER"}},
				{name: "SNOWFLAKE_PRIVATE_KEY", secretKeyRef: {name: parameter.adminCredentials.secretName, key: "SNOWFLAKE_PRIVATE_KEY"}},
			]
		}
	}
}`,
  ],
  imports: ['strings'],
  status: {
    healthPolicy: readyHealth(),
    customStatus: readyStatus('the Terraform workspace', '"applied; credentials in Secret " + context.output.spec.writeConnectionSecretToRef.name'),
  },
  outputs: [
    `\`${WORKSPACE}\` \`Workspace\` \`{component}\` (crossplane-contrib/provider-terraform): an inline HCL module (fixed; parameters as \`varmap\`) with the Snowflake provider \`snowflakedb/snowflake\` ${SNOWFLAKE_TF_PROVIDER}: \`snowflake_warehouse\` (auto-suspend, auto-resume, created suspended), \`snowflake_database\`, \`snowflake_schema\`, an account role with USAGE on warehouse and database and USAGE, CREATE TABLE, CREATE STAGE, CREATE PIPE on the schema (what the Kafka sink needs), a \`snowflake_service_user\` with an RSA key pair (\`tls_private_key\`) and the role granted`,
    'The connection Secret `{component}-snowflake-secret` (`secretName`), from the Terraform outputs: `SNOWFLAKE_URL` (`{organization}-{account}.snowflakecomputing.com:443`), `SNOWFLAKE_USER`, `SNOWFLAKE_PRIVATE_KEY` (PKCS#8 body on one line), `SNOWFLAKE_DATABASE`, `SNOWFLAKE_SCHEMA`, `SNOWFLAKE_WAREHOUSE`, `SNOWFLAKE_ROLE`: the shape `spec.snowflake.credentialsSecret` of the realtime platform reads',
    "Terraform runs with the admin key pair from `adminCredentials.secretName` (`SNOWFLAKE_USER`, `SNOWFLAKE_PRIVATE_KEY`) through the Workspace's `env`; the organization and account as `SNOWFLAKE_ORGANIZATION_NAME` / `SNOWFLAKE_ACCOUNT_NAME`",
  ],
  health: "Healthy when the Workspace reports `Ready` `True` (terraform apply succeeded and the outputs are in the Secret); otherwise the message is provider-terraform's reason.",
  example: 'examples/oam/ml-analytics-pipeline.yaml',
  notes: `## Upstream sources

- \`${WORKSPACE}\` \`Workspace\`: \`forProvider.source\` (Inline), \`inlineFormat\` (HCL), \`module\`, \`varmap\`, \`env\` (\`value\`/\`secretKeyRef\`), \`writeConnectionSecretToRef\`, \`providerConfigRef\` (default \`ClusterProviderConfig\`/\`default\`): crossplane-contrib/provider-terraform v1.1.1, \`package/crds/tf.m.upbound.io_workspaces.yaml\` (the tests validate the output against it). Outputs → Secret keys: \`internal/controller/namespaced/workspace/workspace.go\` (\`op2cd\`).
- Snowflake provider \`snowflakedb/snowflake\` ${SNOWFLAKE_TF_PROVIDER}: \`docs/resources/warehouse.md\`, \`database.md\`, \`schema.md\` (\`fully_qualified_name\`), \`account_role.md\`, \`grant_privileges_to_account_role.md\` (\`on_account_object\`, \`on_schema\`), \`service_user.md\` (\`rsa_public_key\`: "on 1 line without header and trailer"), \`grant_account_role.md\`; provider settings from \`SNOWFLAKE_ORGANIZATION_NAME\`, \`SNOWFLAKE_ACCOUNT_NAME\`, \`SNOWFLAKE_USER\`, \`SNOWFLAKE_ROLE\`, \`SNOWFLAKE_AUTHENTICATOR\` (\`SNOWFLAKE_JWT\`), \`SNOWFLAKE_PRIVATE_KEY\`: \`docs/index.md\`.
- \`tls_private_key\`: hashicorp/tls v4.2.1 (\`algorithm\`, \`rsa_bits\`, \`public_key_pem\`, \`private_key_pem_pkcs8\`).

## Checked by hand, not in \`make test\`

The module was checked once (2026-12-02) with \`terraform validate\` (Terraform 1.11.4) against
the Snowflake provider v2.20.0 and hashicorp/tls v4.2.1 built from their tagged sources and
loaded through \`dev_overrides\`: valid, and a misspelt block (\`on_schemas\`) is reported. The
key locals, applied with the real tls provider, give one-line bodies that \`openssl pkey\` reads
as a 2048-bit PKCS#8 private key and its matching public key. The tests cannot repeat this:
the Go module proxy reachable here refuses both provider modules and registry.terraform.io is
out of reach, so the tests check the module's variables and outputs against the Workspace's
\`varmap\` and the realtime platform's keys instead.

## Choices

- **provider-terraform, not an upjet Snowflake provider.** Neither crossplane-contrib nor Upbound publishes a Snowflake provider (only community builds exist); provider-terraform is maintained in crossplane-contrib and runs the provider Snowflake maintains, the "Terraform provider" the PRD names. The price: one managed resource for the whole set (no per-object status), and Terraform's state (which holds the generated private key) lives where the ProviderConfig's backend puts it, by default a Secret in Crossplane's namespace.
- **Key-pair user.** The realtime platform's Snowflake sink authenticates with a private key (\`SNOWFLAKE_PRIVATE_KEY\`), so the component creates the key with Terraform and registers its public half on a service user; no password exists.
- Install: \`install/providers.yaml\` installs \`${PROVIDER_TERRAFORM.package}:${PROVIDER_TERRAFORM.version}\` (published by crossplane-contrib/provider-workflows' non-family workflow to \`ghcr.io/crossplane-contrib\`, which \`xpkg.crossplane.io\` serves; ${PROVIDER_TERRAFORM.source}); create its \`ClusterProviderConfig\` (state backend) yourself. The Workspace downloads the Snowflake and TLS Terraform providers from registry.terraform.io at run time, so the provider's pods need that egress.`,
};
