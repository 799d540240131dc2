/**
 * Settings every API, function and generated file shares. Change them here and
 * run `make synth`; nothing else spells them out.
 */
export const PLATFORM = {
  /** API group of every platform API (claims and composites). */
  group: 'platform.example.org',
  /** The one served and referenceable version of every API. */
  version: 'v1alpha1',
  /** OCI repository prefix the function packages are pushed to. */
  registry: 'ghcr.io/example-org/platform-definitions',
  /** Version of the function packages the generated Function objects install. */
  packageVersion: 'v0.1.0',
  /** Name prefix of the installed Function objects (`<prefix>-<function>`). */
  functionPrefix: 'function-platform',
} as const;

export const apiVersion = `${PLATFORM.group}/${PLATFORM.version}`;
