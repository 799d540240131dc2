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
  /** Crossplane versions the function packages work with (v2: composing any kind directly). */
  crossplaneVersion: '>=v2.0.0',
  /** Package metadata. */
  maintainer: 'Platform team <platform@example.org>',
  source: 'https://github.com/example-org/platform-definitions',
  /**
   * Default image of the real-time service the realtime-platform component
   * runs (WebSockets + Kafka consumers, built from the PRD's realtime_service
   * template); components override it with `serviceImage`.
   */
  realtimeServiceImage: 'ghcr.io/example-org/realtime-service:0.1.0',
} as const;

export const apiVersion = `${PLATFORM.group}/${PLATFORM.version}`;
