/**
 * Platform-wide settings of the application function: where repositories
 * live and which GitOps repository ArgoCD watches. They belong to the
 * platform team, not to each claim, so they are the function's `input` in the
 * Composition (the Crossplane convention for function configuration), with
 * defaults that match the seed platform.
 */
import { PLATFORM } from '../lib/platform.js';
import { StringEnum, Type, type Static } from '../lib/schema/types.js';
import { formatErrors, specValidator } from '../lib/schema/validate.js';
import { SpecError } from '../lib/function/compose.js';

export const SETTINGS_API_VERSION = `application.fn.${PLATFORM.group}/v1alpha1`;
export const SETTINGS_KIND = 'Settings';

export const Settings = Type.Object({
  apiVersion: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  github: Type.Object(
    {
      owner: Type.String({ minLength: 1, default: 'example-org', description: 'GitHub organisation (or user) that owns the repositories.' }),
      providerConfig: Type.String({ minLength: 1, default: 'default', description: 'ProviderConfig of provider-upjet-github to use.' }),
      templateOwner: Type.Optional(Type.String({ minLength: 1, description: 'Owner of the template repositories. Default: owner.' })),
      visibility: StringEnum(['private', 'internal', 'public'], { default: 'private', description: 'Visibility of created repositories.' }),
    },
    { default: {} },
  ),
  gitops: Type.Object(
    {
      repository: Type.String({ minLength: 1, default: 'health-service-idp-gitops', description: 'GitOps repository ArgoCD watches.' }),
      branch: Type.String({ minLength: 1, default: 'main', description: 'Branch of the GitOps repository.' }),
      path: Type.String({ minLength: 1, default: 'oam/applications', description: 'Folder of the OAM Applications.' }),
      // terraform-provider-github github/resource_github_repository_file.go:
      // commit_author is RequiredWith commit_email (and the reverse), so the
      // two are one setting here and always written together.
      commitAuthor: Type.String({ minLength: 1, default: 'platform-definitions', description: 'Author name of the commits that write OAM Applications.' }),
      commitEmail: Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', default: 'platform-definitions@example.org', description: 'Author email of those commits (GitHub requires it with the name).' }),
    },
    { default: {} },
  ),
  imageRegistry: Type.String({ minLength: 1, default: 'ghcr.io/example-org', description: 'Registry the repositories\' CI pushes app images to.' }),
});
export type Settings = Static<typeof Settings>;

const validate = specValidator<Settings>(Settings, [], 'input');

/** The settings from the Composition's input (defaults when there is none); bad input is a SpecError. */
export function settingsOf(input: unknown): Settings {
  const result = validate(input ?? {});
  if (!result.ok) throw new SpecError(formatErrors(result.errors));
  return result.value;
}

/** The input object `make synth` puts in the Composition: every default spelled out. */
export function defaultSettingsInput(): Record<string, unknown> {
  return { ...settingsOf({}), apiVersion: SETTINGS_API_VERSION, kind: SETTINGS_KIND };
}
