/**
 * The app's OAM Application in the GitOps repository, and the existence
 * check that keeps it from growing duplicate components.
 *
 * Before writing, the function asks Crossplane (through its resource
 * requirements) for the live Application the file describes. Then:
 * - the requirement is not answered yet: write nothing, wait;
 * - the Application does not exist: write a new one with the app's component;
 * - it exists without the component: write it back with its current
 *   components, policies and workflow, plus the app's component;
 * - it already has a component of that name: write nothing.
 * Once the file has been written it is kept exactly as written (the
 * RepositoryFile is created once; Git owns the file from then on).
 */
import type { ResourceSelector } from '@crossplane-org/function-sdk-typescript';
import { stringify } from 'yaml';
import { memoize } from '../lib/memo.js';
import type { KubeObject } from '../lib/k8s/objects.js';
import { SOURCE_ANNOTATION, type ApplicationSpec, type Source } from './api.js';
import { WEBSERVICE_TYPE, type WebserviceParameters } from './webservice.js';

export const OAM_APPLICATION_REQUIREMENT = 'oam-application';

/** The live Application, as Crossplane fetched it: pending until Crossplane answered. */
export type ExistingApplication = { state: 'pending' } | { state: 'missing' } | { state: 'present'; app: KubeObject };

export function applicationRequirement(appName: string, namespace: string): ResourceSelector {
  return { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', matchName: appName, namespace };
}

export function existingApplication(required: Record<string, KubeObject[]>): ExistingApplication {
  const items = required[OAM_APPLICATION_REQUIREMENT];
  if (items === undefined) return { state: 'pending' };
  return items.length === 0 ? { state: 'missing' } : { state: 'present', app: items[0] };
}

interface OamComponent {
  name: string;
  type: string;
  properties?: Record<string, unknown>;
  [key: string]: unknown;
}

function componentsOf(app: KubeObject): OamComponent[] {
  // The live Application is not ours: anything that is not a list of named components is ignored.
  const components = (app.spec as { components?: unknown } | undefined)?.components;
  return (Array.isArray(components) ? (components as OamComponent[]) : []).filter((c) => typeof c === 'object' && c !== null && typeof c.name === 'string');
}

export function hasComponent(app: KubeObject, name: string): boolean {
  return componentsOf(app).some((c) => c.name === name);
}

/**
 * The app's `knative-webservice` component (WEBSERVICE_TYPE). It carries no `language`: with one,
 * KubeVela would render a second ApplicationClaim for the infrastructure this
 * claim already provides.
 */
export function appComponent(spec: ApplicationSpec, image: string, secrets: string[]): OamComponent {
  const env = Object.fromEntries(Object.entries(spec.env ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  const properties: Partial<WebserviceParameters> = {
    image,
    port: spec.port,
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
    ...(spec.realtime ? { realtime: spec.realtime } : {}),
  };
  return { name: spec.name, type: WEBSERVICE_TYPE, properties };
}

/** Annotations and labels a server adds; they do not belong in a manifest in Git. */
const SERVER_KEYS = /^(kubectl\.kubernetes\.io\/|app\.oam\.dev\/(revision|appRevision)|argocd\.argoproj\.io\/tracking-id)/;
function clean(map: Record<string, string> | undefined): Record<string, string> | undefined {
  const kept = Object.entries(map ?? {}).filter(([k]) => !SERVER_KEYS.test(k));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** The Application to write: the existing one (without server fields) plus the component, or a new one. */
export function applicationManifest(appName: string, namespace: string, source: Source, component: OamComponent, existing?: KubeObject): KubeObject {
  const labels = clean(existing?.metadata?.labels);
  const annotations = { ...clean(existing?.metadata?.annotations), [SOURCE_ANNOTATION]: source };
  const spec = (existing?.spec ?? {}) as Record<string, unknown>;
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: appName, namespace, ...(labels ? { labels } : {}), annotations },
    spec: { ...spec, components: [...(existing ? componentsOf(existing) : []), component] },
  };
}

/** YAML rendering is the costly part; a steady-state reconcile renders the same Application again (memo.ts). */
const sortedYaml = memoize((value: unknown) => stringify(value, { sortMapEntries: true }));

export function manifestFile(app: KubeObject, claimRef: string): string {
  return [
    `# Written by the platform for ApplicationClaim ${claimRef}.`,
    '# Git owns this file now: the platform does not overwrite later edits.',
    // Sorted keys: objects that came through protobuf Structs have no stable
    // key order, and the same Application must give the same file.
    sortedYaml(app),
  ].join('\n');
}
