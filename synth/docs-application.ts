/** Reference pages of the ApplicationClaim and of the knative-webservice / application-infrastructure definitions. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { application, SOURCE_ANNOTATION } from '../functions/application/api.js';
import { GITHUB_PROVIDER } from '../functions/application/github.js';
import { Settings } from '../functions/application/settings.js';
import { ApplicationInfrastructureParameters, WEBSERVICE_TYPE, WebserviceParameters } from '../functions/application/webservice.js';
import { SHARED_IMAGES } from '../functions/lib/images.js';
import { fieldTable } from '../functions/lib/schema/docs.js';
import { toOpenApi } from '../functions/lib/schema/openapi.js';
import { apiPage, definitionPage } from './docs.js';
import { exampleGraphSection } from './graphs.js';
import type { OutputFile } from './output.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const NOTES = `## Source detection and the GitOps loop

The annotation \`${SOURCE_ANNOTATION}\` says who created the claim:

| Value | Created by | OAM Application written to GitOps |
| --- | --- | --- |
| \`api-driven\` (default when absent) | automation: Slack commands, API calls | yes |
| \`analyzer-driven\` | automated OAM analysis | yes |
| \`oam-driven\` | KubeVela, from an OAM Application already in the GitOps repository (\`knative-webservice\` with a language, \`application-infrastructure\`) | **no**: writing it back would change the repository, ArgoCD would sync, KubeVela would render the claim again |

Any other value is a Fatal result naming the annotation.

## Existence check

Before writing, the function asks Crossplane for the live OAM Application
(\`core.oam.dev/v1beta1\` \`Application\` named after the repository, in the claim's
namespace) through its resource requirements. A missing Application is written new;
an existing one is written back with its components, policies and workflow plus the
app's component; when it already has a component of the app's name nothing is written.
The component written is a \`knative-webservice\` without \`language\` (the claim already provides
the infrastructure), with the claim's image, port, env, the database/cache Secrets and
\`realtime\`.

## GitHub provider

The repository and the GitOps file are managed resources of
[\`${GITHUB_PROVIDER.name}\`](https://github.com/crossplane-contrib/provider-upjet-github)
(\`${GITHUB_PROVIDER.package}\`, ${GITHUB_PROVIDER.minimum}; \`install/providers.yaml\` installs
${GITHUB_PROVIDER.version}), cluster-scoped \`${GITHUB_PROVIDER.apiVersion}\` \`Repository\` and \`RepositoryFile\`,
with the ProviderConfig named in the settings.

- A created repository starts from the template \`{templateOwner}/template-{language}-{framework}\`
  (empty with a README when there is no language). Its management policies leave out
  \`Delete\`: deleting the claim never deletes code.
- An \`appContainer\` repository is only observed (\`managementPolicies: [Observe]\`).
- The GitOps file is created once (\`Observe, Create, LateInitialize\`): Git owns it
  afterwards, later edits are not reverted and deleting the claim does not remove the app.

## Function settings

The Composition passes these as the step's \`input\`
(\`apiVersion: application.fn.platform.example.org/v1alpha1\`, \`kind: Settings\`):

${fieldTable(toOpenApi(Settings), 'input.')}

## Data services

\`database: postgres\` runs \`${SHARED_IMAGES.postgres}\` and \`cache: redis\` runs \`${SHARED_IMAGES.redis}\`,
one-replica StatefulSets in the claim's namespace (restricted Pod Security, uid 999).
Their passwords are generated once and kept in the connection Secrets and in a copy,
\`{name}-passwords-backup\`; every reconcile recovers each password from the first of them
that still holds it (observed, or read live through the function's requirements), so a
Secret missing for a reconcile or deleted by someone comes back with its old value. Only a
password no copy holds is generated. Switching an option off removes the server but keeps
the Secret and the volume.
`;

export function APPLICATION_PAGES(): OutputFile[] {
  return [
    apiPage({
      api: application,
      componentType: 'application-infrastructure (and knative-webservice with a language)',
      page: 'application',
      composes: [
        '`Repository` `{namespace}-{name}-repo` (GitHub provider): the app repository, created from a template, or the existing `appContainer` repository, observed',
        '`RepositoryFile` `{namespace}-{name}-gitops` (api-driven and analyzer-driven claims only): `{path}/{namespace}/{repository}.yaml` in the GitOps repository, the OAM Application with the app component',
        'With `database: postgres`: Secret `{name}-db-secret` (DATABASE_HOST, _PORT, _NAME, _USER, _PASSWORD, _URL), StatefulSet and Service `{name}-db` (5Gi)',
        'With `cache: redis`: Secret `{name}-cache-secret` (REDIS_HOST, _PORT, _PASSWORD, _URL), StatefulSet and Service `{name}-cache` (1Gi, append-only file)',
        'With a database or cache: Secret `{name}-passwords-backup`, a copy of their generated passwords',
        "With `realtime`: nothing new; the status lists the platform's five Secrets and waits for its Kafka Secret",
      ],
      example: read('examples/application/claim.yaml'),
      graph: exampleGraphSection('examples/application/claim.yaml'),
      notes: NOTES,
    }),
    definitionPage({
      name: WEBSERVICE_TYPE,
      kind: 'ComponentDefinition',
      description:
        "A web service as a Knative Service. With `language`, an ApplicationClaim (source `oam-driven`) sets up its repository, database and cache; with `realtime`, the realtime platform's connection Secrets become its environment.",
      parameters: toOpenApi(WebserviceParameters),
      outputs: [
        "`serving.knative.dev/v1` `Service` named after the component: one container named after the component on `port`, autoscaling annotations (`min-scale` 0, `max-scale` 10, `target` 100 by default), env `AGENT_TYPE` (the component name), `LOG_LEVEL`, with `realtime` also `REALTIME_PLATFORM_NAME` and `WEBSOCKET_ENABLED`, then `env`; envFrom `{realtime}-{kafka,db,metabase}-secret` (required) and `{realtime}-{mqtt,lenses}-secret` (optional), then the `secrets`, then `{name}-db-secret` / `{name}-cache-secret` when the claim has them (later sources win, so the app's own `DATABASE_URL` beats the realtime one); TCP probes on the port, or HTTP on `healthPath`; restricted security context; requests and limits",
        '`outputs.infrastructure`, only with `language`: an `ApplicationClaim` named after the component, annotated with `source` (default `oam-driven`)',
      ],
      health: 'Healthy when the Knative Service has a `Ready` condition with status `True`; the status message gives its URL, or the reason it is not ready.',
      example: read('examples/oam/simple-app.yaml'),
    }),
    definitionPage({
      name: 'application-infrastructure',
      kind: 'ComponentDefinition',
      description: 'The infrastructure of an application described in an OAM Application: an ApplicationClaim with source `oam-driven`.',
      parameters: toOpenApi(ApplicationInfrastructureParameters),
      outputs: ['`ApplicationClaim` named after the component; `repository` becomes `spec.appContainer`, `name` defaults to the component name'],
      health: 'Healthy when the claim reports `Ready` `True` (the convention every claim-emitting definition shares); the message names the repository URL and the GitOps decision.',
      example: read('examples/oam/complex-app.yaml'),
    }),
  ];
}
