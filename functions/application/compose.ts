/**
 * What an ApplicationClaim is made of: the source repository, the OAM
 * Application file in the GitOps repository (api-driven and
 * analyzer-driven claims only), the app's database and cache, and the link to
 * a realtime platform. See source.ts for the loop prevention and gitops.ts
 * for the existence check.
 */
import type { ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import type { ComposeInput, ComposeOutput, DesiredResource } from '../lib/function/compose.js';
import { condition, type KubeObject } from '../lib/k8s/objects.js';
import { readiness } from '../lib/k8s/readiness.js';
import { realtimeSecretName, realtimeSecretNames } from '../lib/realtime.js';
import { frameworkOf, type ApplicationSpec, type Source } from './api.js';
import { OAM_APPLICATION_REQUIREMENT, appComponent, applicationManifest, applicationRequirement, existingApplication, hasComponent, manifestFile } from './gitops.js';
import { githubLabels, repository, repositoryFile, repositoryUrl } from './github.js';
import { RESOURCE, cache, database, passwordsOf, type Part } from './infrastructure.js';
import { settingsOf, type Settings } from './settings.js';
import { sourceOf, writesGitops } from './source.js';

/** Composition resource names of the GitHub objects. */
export const REPOSITORY = 'repository';
export const GITOPS_FILE = 'gitops-file';
/** Requirement name under which Crossplane fetches the realtime platform's Kafka Secret. */
export const REALTIME_REQUIREMENT = 'realtime-kafka-secret';

interface PartStatus {
  ready: boolean;
  message?: string;
}

function partStatus(ready: boolean, message?: string): PartStatus {
  return ready || !message ? { ready } : { ready, message };
}

/** The repository name: the app container when given, else the app's name. */
export function repositoryName(spec: ApplicationSpec): string {
  return spec.appContainer ?? spec.name;
}

/** The OAM Application the app is a component of: one per repository. */
export function applicationName(spec: ApplicationSpec): string {
  return repositoryName(spec);
}

/** Template repositories are named template-{language}-{framework}. */
export function templateOf(spec: ApplicationSpec, settings: Settings): { owner: string; repository: string } | undefined {
  const framework = frameworkOf(spec);
  if (!spec.language || !framework) return undefined;
  return { owner: settings.github.templateOwner ?? settings.github.owner, repository: `template-${spec.language}-${framework}` };
}

function sourceRepository(spec: ApplicationSpec, settings: Settings, claimNs: string, observed: KubeObject | undefined) {
  const name = repositoryName(spec);
  const observeOnly = spec.appContainer !== undefined;
  const resource = repository({
    objectName: `${claimNs}-${spec.name}-repo`,
    repository: name,
    owner: settings.github.owner,
    providerConfig: settings.github.providerConfig,
    labels: githubLabels(spec.name, 'repository', claimNs),
    description: `Source of ${spec.name}${spec.language ? ` (${spec.language}/${frameworkOf(spec)})` : ''}, created by the platform`,
    visibility: settings.github.visibility,
    template: templateOf(spec, settings),
    observeOnly,
  });
  const ready = readiness.managed(observed);
  const synced = condition(observed, 'Synced');
  return {
    resource: { resource, ready } satisfies DesiredResource,
    status: { name, url: repositoryUrl(observed, settings.github.owner, name), managed: !observeOnly },
    part: partStatus(ready, synced?.status === 'False' ? `repository not synced: ${synced.reason ?? 'unknown reason'}` : `waiting for repository ${name}`),
  };
}

interface Gitops {
  resource?: DesiredResource;
  requirement?: ResourceSelector;
  updated: boolean;
  reason: string;
  ready: boolean;
}

function gitops(input: ComposeInput<ApplicationSpec>, settings: Settings, source: Source, secrets: string[], path: string): Gitops {
  const { spec, claim, observed, required } = input;
  const appName = applicationName(spec);
  const objectName = `${claim.namespace}-${spec.name}-gitops`;
  const common = {
    objectName,
    repository: settings.gitops.repository,
    branch: settings.gitops.branch,
    file: path,
    providerConfig: settings.github.providerConfig,
    commit: { author: settings.gitops.commitAuthor, email: settings.gitops.commitEmail },
    labels: githubLabels(spec.name, 'gitops', claim.namespace),
  };
  const written = observed[GITOPS_FILE];
  if (written) {
    // Created once; from then on Git owns the file. Desire exactly what was
    // written, so the output is stable and nothing is rewritten.
    const forProvider = (written.spec as { forProvider?: { content?: string; commitMessage?: string } } | undefined)?.forProvider ?? {};
    const resource = repositoryFile({ ...common, content: forProvider.content ?? '', commitMessage: forProvider.commitMessage ?? '' });
    const ready = readiness.managed(written);
    return {
      resource: { resource, ready },
      updated: true,
      ready,
      reason: writesGitops(source) ? `written to ${path}; Git owns it now` : `written to ${path} before the claim became oam-driven; kept, not updated`,
    };
  }
  if (!writesGitops(source)) {
    return {
      updated: false,
      ready: true,
      reason: 'skipped: the claim is oam-driven, it came from an OAM Application in the GitOps repository; writing that Application back would loop',
    };
  }
  const requirement = applicationRequirement(appName, claim.namespace);
  const existing = existingApplication(required);
  if (existing.state === 'pending') {
    return { requirement, updated: false, ready: false, reason: `waiting to read Application ${claim.namespace}/${appName}` };
  }
  if (existing.state === 'present' && hasComponent(existing.app, spec.name)) {
    return {
      requirement,
      updated: false,
      ready: true,
      reason: `skipped: Application ${claim.namespace}/${appName} already has component ${spec.name}`,
    };
  }
  const image = spec.image ?? `${settings.imageRegistry}/${spec.name}:latest`;
  const app = applicationManifest(appName, claim.namespace, source, appComponent(spec, image, secrets), existing.state === 'present' ? existing.app : undefined);
  const verb = existing.state === 'present' ? `add component ${spec.name} to` : 'create';
  const resource = repositoryFile({
    ...common,
    content: manifestFile(app, `${claim.namespace}/${claim.name}`),
    commitMessage: `${verb} OAM Application ${claim.namespace}/${appName} (${source})`,
  });
  return {
    resource: { resource, ready: false },
    requirement,
    updated: true,
    ready: false,
    reason: existing.state === 'present' ? `adding component ${spec.name} to the existing Application` : 'writing a new Application',
  };
}

export function composeApplication(input: ComposeInput<ApplicationSpec>): ComposeOutput {
  const { spec, claim, xr, observed, required } = input;
  const source = sourceOf(xr);
  const settings = settingsOf(input.input);
  const passwords = passwordsOf(spec, claim.namespace, observed, required);
  const context = { spec, namespace: claim.namespace, observed, passwords };

  const repo = sourceRepository(spec, settings, claim.namespace, observed[REPOSITORY]);
  const db = database(context);
  const redis = cache(context);
  const dataParts = [db, redis].filter((p): p is Part => p !== undefined);
  const secrets = [...(spec.database === 'postgres' && db?.secret ? [db.secret] : []), ...(spec.cache === 'redis' && redis?.secret ? [redis.secret] : [])];
  const path = `${settings.gitops.path}/${claim.namespace}/${applicationName(spec)}.yaml`;
  const file = gitops(input, settings, source, secrets, path);

  const requirements: Record<string, ResourceSelector> = { ...passwords.requirements };
  if (file.requirement) requirements[OAM_APPLICATION_REQUIREMENT] = file.requirement;
  let realtime: PartStatus | undefined;
  if (spec.realtime) {
    // The platform publishes its Secrets in this namespace; Kafka's is always there.
    requirements[REALTIME_REQUIREMENT] = { apiVersion: 'v1', kind: 'Secret', matchName: realtimeSecretName(spec.realtime, 'kafka'), namespace: claim.namespace };
    const found = (required[REALTIME_REQUIREMENT] ?? []).length > 0;
    realtime = partStatus(found, `spec.realtime: waiting for realtime platform ${spec.realtime} (Secret ${realtimeSecretName(spec.realtime, 'kafka')} in namespace ${claim.namespace})`);
  }

  const resources: Record<string, DesiredResource> = { [REPOSITORY]: repo.resource };
  if (file.resource) resources[GITOPS_FILE] = file.resource;
  for (const part of dataParts) Object.assign(resources, part.resources);
  const backup = passwords.backup();
  if (backup) resources[RESOURCE.passwordsBackup] = backup;

  const parts = {
    repository: repo.part,
    gitops: partStatus(file.ready, file.ready ? undefined : file.reason),
    ...(db && spec.database === 'postgres' ? { database: partStatus(db.ready, db.message) } : {}),
    ...(redis && spec.cache === 'redis' ? { cache: partStatus(redis.ready, redis.message) } : {}),
    ...(realtime ? { realtime } : {}),
  };
  return {
    resources,
    requirements,
    // Ready when every part is: the repository exists, the GitOps file is
    // written (or rightly skipped), the data services run and the realtime
    // platform's Secrets exist.
    ready: Object.values(parts).every((p) => p.ready),
    status: {
      source,
      repository: repo.status,
      gitops: {
        repository: settings.gitops.repository,
        path,
        application: `${claim.namespace}/${applicationName(spec)}`,
        updated: file.updated,
        reason: file.reason,
      },
      secrets: [...secrets, ...(spec.realtime ? realtimeSecretNames(spec.realtime) : [])],
      parts,
    },
  };
}
