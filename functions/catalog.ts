/**
 * Every composition function of this repository, with what it composes. The
 * synth code reads this to emit Compositions, Function objects and RBAC; the
 * Makefile and tests read it for the local ports `make serve` uses.
 */
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
    devPort: 9445,
    apis: [vcluster],
    composes: [
      { apiGroup: '', resources: ['namespaces'] },
      { apiGroup: 'helm.toolkit.fluxcd.io', resources: ['helmreleases'] },
    ],
  },
];
