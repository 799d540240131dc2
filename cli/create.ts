/**
 * `platform microservice|appcontainer|vcluster create NAME [options…]`: the
 * seed's Slack commands, offline. Each turns its phrase into the OAM
 * Application a team commits to the GitOps repository (the expert path,
 * rendered by KubeVela), or with `--claim` into the claims the Slack server
 * would have created (the guided path). Every document is validated against
 * the schema the functions and definitions use before it is printed.
 */
import type { TSchema } from '@sinclair/typebox';
import { application, ApplicationSpec, DEFAULT_SOURCE, FRAMEWORKS, LANGUAGES, SOURCE_ANNOTATION, type Language } from '../functions/application/api.js';
import { appComponent } from '../functions/application/gitops.js';
import { settingsOf } from '../functions/application/settings.js';
import { ApplicationInfrastructureParameters, WebserviceParameters } from '../functions/application/webservice.js';
import type { KubeObject } from '../functions/lib/k8s/objects.js';
import { formatErrors, specValidator } from '../functions/lib/schema/validate.js';
import { realtimePlatform, RealtimePlatformSpec } from '../functions/realtime-platform/api.js';
import { K8S_VERSIONS, vcluster, VClusterSpec } from '../functions/vcluster/api.js';
import { parsePhrase, patternValue, PhraseError, type Assignment, type Grammar, type Intent, type Keyword } from './phrase.js';

const NAME = ApplicationSpec.properties.name as unknown as { pattern: string; maxLength: number };
const CONTAINER = ApplicationSpec.properties.appContainer as unknown as { pattern: string; maxLength: number };
const PLATFORM_NAME = RealtimePlatformSpec.properties.name as unknown as { pattern: string; maxLength: number };

/** The realtime platform `iot true` creates: not `{name}`, whose `{name}-db-secret` is the app's own database Secret. */
export const platformNameOf = (service: string) => `${service}-stream`;

// ---- grammars -------------------------------------------------------------

const language = (l: Language): Assignment[] => [['language', l]];
const framework = (l: Language, f: string): Assignment[] => [
  ['language', l],
  ['framework', f],
];
const LANGUAGE_WORDS = Object.fromEntries(LANGUAGES.map((l) => [l, language(l)]));
const FRAMEWORK_WORDS = Object.fromEntries(LANGUAGES.flatMap((l) => FRAMEWORKS[l].map((f) => [f, framework(l, f)])));
const DATABASE: Assignment[] = [['database', 'postgres']];
const CACHE: Assignment[] = [['cache', 'redis']];
const NO_DATABASE: Assignment[] = [['database', 'none']];
const NO_CACHE: Assignment[] = [['cache', 'none']];

/** Words every application-shaped command (microservice, appcontainer) shares. */
const APP_WORDS: Grammar['words'] = {
  ...Object.fromEntries(LANGUAGES.map((l) => [l, { help: `${l} (framework ${FRAMEWORKS[l][0]} unless one is named)`, sets: language(l) }])),
  ...Object.fromEntries(LANGUAGES.flatMap((l) => FRAMEWORKS[l].map((f) => [f, { help: `${l} with the ${f} framework`, sets: framework(l, f) }]))),
};

const APP_KEYWORDS: Record<string, Keyword> = {
  language: { help: 'the language (same as the bare word)', values: LANGUAGE_WORDS },
  framework: { help: 'the framework (implies its language)', values: FRAMEWORK_WORDS },
  with: {
    help: 'database/postgresql/postgres: a PostgreSQL database; cache/redis: a Redis cache',
    values: { database: DATABASE, postgresql: DATABASE, postgres: DATABASE, cache: CACHE, redis: CACHE },
  },
  without: {
    help: 'no database / no cache (the default)',
    values: { database: NO_DATABASE, postgresql: NO_DATABASE, postgres: NO_DATABASE, cache: NO_CACHE, redis: NO_CACHE },
  },
  database: { help: 'postgres (or postgresql): a PostgreSQL database; none', values: { postgres: DATABASE, postgresql: DATABASE, none: NO_DATABASE } },
  cache: { help: 'redis: a Redis cache; none', values: { redis: CACHE, none: NO_CACHE } },
};

function portValue(): Keyword['free'] {
  return {
    field: 'port',
    what: '<1-65535>',
    parse: (w) => (/^[0-9]+$/.test(w) && Number(w) >= 1 && Number(w) <= 65535 ? { value: Number(w) } : { error: 'the port must be a number from 1 to 65535' }),
  };
}

export const MICROSERVICE: Grammar = {
  command: 'microservice create',
  words: APP_WORDS,
  keywords: {
    ...APP_KEYWORDS,
    iot: {
      help: 'true: a realtime platform NAME-stream (Kafka, MQTT, Lenses, Metabase) wired to the service; false: none (the default)',
      values: { true: [['iot', true]], false: [['iot', false]] },
    },
    realtime: { help: 'connect to an existing realtime platform of that name', free: patternValue('realtime', '<platform>', PLATFORM_NAME.pattern, PLATFORM_NAME.maxLength) },
    appcontainer: {
      help: 'put the service into an existing app container (repository) instead of a new repository',
      free: patternValue('appContainer', '<repository>', CONTAINER.pattern, CONTAINER.maxLength),
    },
    image: { help: 'container image (default: <registry>/NAME:latest, what the repository CI pushes)', free: { field: 'image', what: '<image>', parse: (w) => ({ value: w }) } },
    port: { help: 'port the service listens on (default 8080)', free: portValue() },
  },
};

export const APPCONTAINER: Grammar = {
  command: 'appcontainer create',
  words: APP_WORDS,
  keywords: APP_KEYWORDS,
};

const FEATURES = ['istio', 'knative', 'argocd', 'observability'] as const;
const NETWORK = { isolation: 'networking.isolation', 'public-api': 'networking.exposeApi' } as const;
const toggles = (on: boolean) =>
  Object.fromEntries([...FEATURES.map((f) => [f, [[`features.${f}`, on]] as Assignment[]]), ...Object.entries(NETWORK).map(([w, field]) => [w, [[field, on]] as Assignment[]])]);
const SIZES = ['small', 'medium', 'large'] as const;
const sizeWords = Object.fromEntries(SIZES.map((s) => [s, [['size', s]] as Assignment[]]));

export const VCLUSTER: Grammar = {
  command: 'vcluster create',
  words: Object.fromEntries(SIZES.map((s) => [s, { help: `size ${s}`, sets: [['size', s]] as Assignment[] }])),
  keywords: {
    size: { help: 'control plane resources and quota (default small)', values: sizeWords },
    kubernetes: { help: `Kubernetes minor version (default ${K8S_VERSIONS.at(-1)})`, values: Object.fromEntries(K8S_VERSIONS.map((v) => [v, [['kubernetes.version', v]] as Assignment[]])) },
    with: { help: 'add-ons inside the vCluster; isolation (the default); public-api: a LoadBalancer for its API server', values: toggles(true) },
    without: { help: 'leave an add-on out; without isolation drops the NetworkPolicies and quota', values: toggles(false) },
  },
};

// ---- documents -------------------------------------------------------------

export interface CreateOptions {
  namespace: string;
  /** Claims (the guided path) instead of an OAM Application. */
  claim: boolean;
}

const OAM_API_VERSION = 'core.oam.dev/v1beta1';
type Component = { name: string; type: string; properties: Record<string, unknown> };

/** Component parameter schemas, from the same source as the generated definitions. */
const PARAMETERS: Record<string, TSchema> = {
  'knative-webservice': WebserviceParameters,
  'application-infrastructure': ApplicationInfrastructureParameters,
  'realtime-platform': RealtimePlatformSpec,
  vcluster: VClusterSpec,
};
const parameterValidators = Object.fromEntries(Object.entries(PARAMETERS).map(([t, s]) => [t, specValidator<unknown>(s)]));

/** Throws when a document the CLI built does not satisfy its schema (a bug, or a value the grammar let through). */
export function assertValid(doc: KubeObject): void {
  const problems: string[] = [];
  if (doc.kind === 'Application') {
    const components = (doc.spec as { components: Component[] }).components;
    components.forEach((c, i) => {
      const r = parameterValidators[c.type](c.properties);
      if (!r.ok) problems.push(formatErrors(r.errors.map((e) => ({ ...e, field: e.field.replace(/^spec/, `spec.components[${i}].properties`) }))));
    });
  } else {
    const api = [application, realtimePlatform, vcluster].find((a) => a.claimKind === doc.kind);
    const r = api?.validateSpec(doc.spec);
    if (r && !r.ok) problems.push(formatErrors(r.errors));
  }
  if (problems.length > 0) throw new Error(`${String(doc.kind)} ${String(doc.metadata?.name)} is invalid: ${problems.join('; ')}`);
}

function checkName(name: string | undefined, command: string, pattern: string, maxLength: number, g: Grammar): string {
  if (name === undefined || name.startsWith('-')) throw new PhraseError(command, `${command} needs a NAME: platform ${command} NAME [options…]`);
  if (Object.hasOwn(g.words, name.toLowerCase()) || Object.hasOwn(g.keywords, name.toLowerCase())) {
    throw new PhraseError(name, `"${name}" is an option, not a name: platform ${command} NAME [options…]`);
  }
  if (!new RegExp(pattern).test(name) || name.length > maxLength) {
    throw new PhraseError(name, `name "${name}" must match ${pattern} (lower case letters, digits, '-') and have at most ${maxLength} characters`);
  }
  return name;
}

function oamApplication(name: string, namespace: string, components: Component[]): KubeObject {
  return { apiVersion: OAM_API_VERSION, kind: 'Application', metadata: { name, namespace }, spec: { components } };
}

function claimDoc(api: { apiVersion: string; claimKind: string }, name: string, namespace: string, spec: object, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: api.apiVersion, kind: api.claimKind, metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec };
}

/** The application fields a phrase set (all but the name), in schema order, with the framework spelled out. */
function appFields(intent: Intent): Record<string, unknown> {
  // A service without a language still gets a repository: the seed's first language (python, fastapi).
  const lang = (intent.get('language') as Language | undefined) ?? LANGUAGES[0];
  const fields: Record<string, unknown> = { language: lang, framework: (intent.get('framework') as string | undefined) ?? FRAMEWORKS[lang][0] };
  for (const f of ['database', 'cache'] as const) if (intent.get(f) !== undefined && intent.get(f) !== 'none') fields[f] = intent.get(f);
  return fields;
}

export function microservice(name: string, intent: Intent, opts: CreateOptions): KubeObject[] {
  const fields = appFields(intent);
  const platform = intent.get('iot') === true ? ((intent.get('realtime') as string | undefined) ?? platformNameOf(name)) : undefined;
  const realtime = (intent.get('realtime') as string | undefined) ?? platform;
  const image = (intent.get('image') as string | undefined) ?? `${settingsOf({}).imageRegistry}/${name}:latest`;
  const port = intent.get('port') as number | undefined;
  const container = intent.get('appContainer') as string | undefined;
  const platformProps = platform ? { name: platform, iot: true } : undefined;
  if (opts.claim) {
    const spec = { name, ...fields, ...(container ? { appContainer: container } : {}), ...(realtime ? { realtime } : {}), ...(intent.has('image') ? { image } : {}), ...(port ? { port } : {}) };
    const docs = [claimDoc(application, name, opts.namespace, spec, { [SOURCE_ANNOTATION]: DEFAULT_SOURCE })];
    if (platformProps) docs.push(claimDoc(realtimePlatform, platform!, opts.namespace, platformProps));
    return docs;
  }
  const components: Component[] = [];
  if (container) {
    // In an app container: the ApplicationClaim (through application-infrastructure)
    // only observes the container repository; the service is a webservice without
    // a language, reading the claim's Secrets, exactly what the function writes.
    components.push({ name: `${name}-infrastructure`, type: 'application-infrastructure', properties: { name, ...fields, repository: container } });
    const spec = { name, ...fields, port: port ?? 8080, ...(realtime ? { realtime } : {}) } as ApplicationSpec;
    const secrets = [...(fields.database ? [`${name}-db-secret`] : []), ...(fields.cache ? [`${name}-cache-secret`] : [])];
    components.push(appComponent(spec, image, secrets) as Component);
  } else {
    components.push({ name, type: 'knative-webservice', properties: { image, ...(port ? { port } : {}), ...fields, ...(realtime ? { realtime } : {}) } });
  }
  if (platformProps) components.push({ name: platform!, type: 'realtime-platform', properties: platformProps });
  return [oamApplication(container ?? name, opts.namespace, components)];
}

export function appcontainer(name: string, intent: Intent, opts: CreateOptions): KubeObject[] {
  const fields = { name, ...appFields(intent) };
  if (opts.claim) return [claimDoc(application, name, opts.namespace, fields, { [SOURCE_ANNOTATION]: DEFAULT_SOURCE })];
  return [oamApplication(name, opts.namespace, [{ name, type: 'application-infrastructure', properties: fields }])];
}

/** `features.istio` → {features: {istio: …}}. */
function nested(intent: Intent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of intent) {
    const keys = path.split('.');
    let at = out;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[keys.at(-1)!] = value;
  }
  return out;
}

export function vclusterEnvironment(name: string, intent: Intent, opts: CreateOptions): KubeObject[] {
  const spec = nested(intent);
  if (opts.claim) return [claimDoc(vcluster, name, opts.namespace, spec)];
  return [oamApplication(name, opts.namespace, [{ name, type: 'vcluster', properties: spec }])];
}

export const CREATE = {
  microservice: { grammar: MICROSERVICE, build: microservice, name: NAME },
  appcontainer: { grammar: APPCONTAINER, build: appcontainer, name: NAME },
  // A claim name: a DNS label.
  vcluster: { grammar: VCLUSTER, build: vclusterEnvironment, name: { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 } },
} as const;
export type CreateCommand = keyof typeof CREATE;

/** Parse `NAME options…` of a create command into validated documents. */
export function create(command: CreateCommand, words: string[], opts: CreateOptions): KubeObject[] {
  const c = CREATE[command];
  const name = checkName(words[0], `${command} create`, c.name.pattern, c.name.maxLength, c.grammar);
  const docs = c.build(name, parsePhrase(c.grammar, words.slice(1)), opts);
  docs.forEach(assertValid);
  return docs;
}
