/**
 * Managed resources of Crossplane's GitHub provider
 * (`crossplane-contrib/provider-upjet-github`, cluster-scoped group
 * `repo.github.upbound.io`, v1alpha1): the app's source repository and the
 * file that carries its OAM Application in the GitOps repository.
 *
 * No typed model package exists for this provider, so the shapes below are
 * written from its CRDs (repositories / repositoryfiles at the pinned
 * release, committed in test/upstream/ and validated against) and kept minimal.
 */
import { standardLabels, type KubeObject } from '../lib/k8s/objects.js';
import { PACKAGES } from '../lib/pins.js';

const PINNED = PACKAGES['provider-upjet-github'];

export const GITHUB_PROVIDER = {
  name: 'provider-upjet-github',
  /** The package path and release that exist (see functions/lib/pins.ts). */
  package: PINNED.package,
  /** The release the manifests are validated against (its CRDs in test/upstream/). */
  version: PINNED.version,
  /** xpkg.crossplane.io serves this provider from v0.19.0 on. */
  minimum: '>=v0.19.0',
  apiGroup: 'repo.github.upbound.io',
  apiVersion: 'repo.github.upbound.io/v1alpha1',
} as const;

/**
 * Management policies. A repository the platform created is never deleted
 * with the claim (it holds the team's code): everything but Delete. An app
 * container the team owns is only observed. The GitOps file is created once
 * and then belongs to Git: no Update (later edits in Git are not reverted,
 * and several claims may add components to one Application file) and no
 * Delete (removing a claim does not remove a running app from GitOps).
 */
const KEEP = ['Observe', 'Create', 'Update', 'LateInitialize'];
const OBSERVE = ['Observe'];
const CREATE_ONCE = ['Observe', 'Create', 'LateInitialize'];

export interface RepositoryOptions {
  /** Cluster-scoped object name (unique per claim). */
  objectName: string;
  /** Repository name on GitHub. */
  repository: string;
  owner: string;
  providerConfig: string;
  labels: Record<string, string>;
  description?: string;
  visibility?: string;
  /** Template repository to start from; none: an empty repository with a README. */
  template?: { owner: string; repository: string };
  /** Observe an existing repository instead of creating one. */
  observeOnly: boolean;
}

export function repository(o: RepositoryOptions): KubeObject {
  const forProvider: Record<string, unknown> = o.observeOnly
    ? {}
    : {
        // The repository name is both the external name (how upjet finds an
        // existing repository) and a parameter, so it is set on both.
        name: o.repository,
        description: o.description,
        visibility: o.visibility,
        ...(o.template ? { template: [{ owner: o.template.owner, repository: o.template.repository, includeAllBranches: false }] } : { autoInit: true }),
      };
  return {
    apiVersion: GITHUB_PROVIDER.apiVersion,
    kind: 'Repository',
    metadata: {
      name: o.objectName,
      labels: o.labels,
      annotations: { 'crossplane.io/external-name': o.repository },
    },
    spec: {
      managementPolicies: o.observeOnly ? OBSERVE : KEEP,
      providerConfigRef: { name: o.providerConfig },
      forProvider,
    },
  };
}

export interface RepositoryFileOptions {
  objectName: string;
  repository: string;
  branch: string;
  file: string;
  content: string;
  commitMessage: string;
  /** Both or neither: the provider refuses an author without an email. */
  commit: { author: string; email: string };
  providerConfig: string;
  labels: Record<string, string>;
}

export function repositoryFile(o: RepositoryFileOptions): KubeObject {
  return {
    apiVersion: GITHUB_PROVIDER.apiVersion,
    kind: 'RepositoryFile',
    metadata: { name: o.objectName, labels: o.labels },
    spec: {
      managementPolicies: CREATE_ONCE,
      providerConfigRef: { name: o.providerConfig },
      forProvider: {
        repository: o.repository,
        branch: o.branch,
        file: o.file,
        content: o.content,
        commitMessage: o.commitMessage,
        commitAuthor: o.commit.author,
        commitEmail: o.commit.email,
        // The file may exist (an Application another claim or a person wrote):
        // its current components are part of `content` (the existence check).
        overwriteOnCreate: true,
      },
    },
  };
}

/** The web URL of an observed repository, or the one it will have. */
export function repositoryUrl(observed: KubeObject | undefined, owner: string, name: string): string {
  const atProvider = (observed?.status as { atProvider?: { htmlUrl?: string } } | undefined)?.atProvider;
  return atProvider?.htmlUrl ?? `https://github.com/${owner}/${name}`;
}

export function githubLabels(name: string, component: string, claimNamespace: string): Record<string, string> {
  return { ...standardLabels(name, component), 'platform.example.org/claim-namespace': claimNamespace };
}
