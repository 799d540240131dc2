/**
 * Every composition function of this repository, with what it composes: the
 * one registry. The synth code reads it to emit Compositions, Function
 * objects and RBAC; the Makefile and tests read it for the local ports `make
 * serve` uses; the CLI, bench, fuzz and tests load each compose function
 * through it ({@link composeOf}).
 */
import type { ComposeFunction } from '@crossplane-org/function-sdk-typescript';
import type { TSchema } from '@sinclair/typebox';
import type { PlatformApi } from './lib/api.js';
import { eventDrivenService } from './event-driven-service/api.js';
import { realtimePlatform } from './realtime-platform/api.js';
import { application } from './application/api.js';
import { vcluster } from './vcluster/api.js';
import { GITHUB_PROVIDER } from './application/github.js';
import { Settings, defaultSettingsInput } from './application/settings.js';

export interface FunctionEntry {
  /** Folder under functions/, and the suffix of the Function object's name. */
  name: string;
  /**
   * Loads its compose function (functions/<name>/function.ts). Lazy, so reading
   * the catalog (synth, bundling) loads no function and a process loads only
   * the functions it runs; a literal path, so vitest and esbuild follow it.
   */
  load: () => Promise<{ compose: ComposeFunction }>;
  /** Port `make serve` listens on (insecure, localhost) for `crossplane render`. */
  devPort: number;
  /** APIs whose Composition calls this function. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  apis: PlatformApi<any>[];
  /** Kinds the function composes: Crossplane needs RBAC for each of them. */
  composes: { apiGroup: string; resources: string[] }[];
  /** Kinds it asks Crossplane to read (resource requirements): read-only RBAC. */
  reads?: { apiGroup: string; resources: string[] }[];
  /** The Composition step's `input` (function settings), when the function takes one. */
  input?: Record<string, unknown>;
  /** Schema of that input, for the input CRD its package ships. */
  inputSchema?: TSchema;
  /** Crossplane packages the composed kinds come from (package dependencies). */
  dependsOn?: { provider: string; package: string; version: string; minimum: string }[];
}

export const FUNCTIONS: FunctionEntry[] = [
  {
    name: 'event-driven-service',
    load: () => import('./event-driven-service/function.js'),
    devPort: 9441,
    apis: [eventDrivenService],
    composes: [
      { apiGroup: '', resources: ['serviceaccounts', 'services'] },
      { apiGroup: 'apps', resources: ['deployments'] },
      { apiGroup: 'keda.sh', resources: ['scaledobjects'] },
    ],
  },
  {
    name: 'realtime-platform',
    load: () => import('./realtime-platform/function.js'),
    devPort: 9442,
    apis: [realtimePlatform],
    composes: [
      { apiGroup: '', resources: ['namespaces', 'secrets', 'configmaps', 'services'] },
      { apiGroup: 'apps', resources: ['deployments', 'statefulsets'] },
      { apiGroup: 'batch', resources: ['jobs'] },
      { apiGroup: 'networking.k8s.io', resources: ['networkpolicies'] },
      { apiGroup: 'networking.istio.io', resources: ['gateways', 'virtualservices'] },
    ],
  },
  {
    name: 'application',
    load: () => import('./application/function.js'),
    devPort: 9444,
    apis: [application],
    composes: [
      { apiGroup: '', resources: ['secrets', 'services'] },
      { apiGroup: 'apps', resources: ['statefulsets'] },
      { apiGroup: GITHUB_PROVIDER.apiGroup, resources: ['repositories', 'repositoryfiles'] },
    ],
    reads: [{ apiGroup: 'core.oam.dev', resources: ['applications'] }],
    input: defaultSettingsInput(),
    inputSchema: Settings,
    dependsOn: [{ provider: GITHUB_PROVIDER.name, package: GITHUB_PROVIDER.package, version: GITHUB_PROVIDER.version, minimum: GITHUB_PROVIDER.minimum }],
  },
  {
    name: 'vcluster',
    load: () => import('./vcluster/function.js'),
    devPort: 9445,
    apis: [vcluster],
    composes: [
      { apiGroup: '', resources: ['namespaces'] },
      { apiGroup: 'helm.toolkit.fluxcd.io', resources: ['helmreleases'] },
    ],
  },
];

export function functionNamed(name: string): FunctionEntry {
  const fn = FUNCTIONS.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name} in functions/catalog.ts`);
  return fn;
}

/** The compose function of a function of {@link FUNCTIONS}, by name. */
export async function composeOf(name: string): Promise<ComposeFunction> {
  return (await functionNamed(name).load()).compose;
}
