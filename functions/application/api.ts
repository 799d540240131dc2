/**
 * ApplicationClaim: the guided path of the platform. One claim sets up what
 * an application needs: its source repository, its OAM Application in the
 * GitOps repository (unless the claim came from that Application), a
 * PostgreSQL database and a Redis cache, and the link to a realtime platform.
 * This schema is the single source of the XRD, the function's validation, the
 * TypeScript types, the KubeVela parameter blocks and the reference page.
 */
import { defineApi } from '../lib/api.js';
import { BoundedText, DnsLabel, Formatted, ImageReference } from '../lib/schema/strings.js';
import { StringEnum, Type, type Static } from '../lib/schema/types.js';

/** Frameworks per language; the first is the default when only the language is given. */
export const FRAMEWORKS = {
  python: ['fastapi', 'flask', 'django'],
  java: ['springboot', 'quarkus'],
  javascript: ['express', 'nestjs', 'nextjs'],
  go: ['gin', 'echo', 'fiber'],
} as const;
export type Language = keyof typeof FRAMEWORKS;
export const LANGUAGES = Object.keys(FRAMEWORKS) as Language[];
const ALL_FRAMEWORKS = [...new Set(Object.values(FRAMEWORKS).flat())];

/**
 * Who created a claim, from the annotation `webservice.oam.dev/source`.
 * `oam-driven` claims come from an OAM Application in the GitOps repository,
 * so the function must not write that Application back (the GitOps loop).
 */
export const SOURCE_ANNOTATION = 'webservice.oam.dev/source';
export const SOURCES = ['api-driven', 'oam-driven', 'analyzer-driven'] as const;
export type Source = (typeof SOURCES)[number];
/** Claims without the annotation were created by automation (Slack, API). */
export const DEFAULT_SOURCE: Source = 'api-driven';

export const ApplicationSpec = Type.Object({
  // Kubernetes object names the claim's name ends up in (`{name}-db-secret`, a DNS label).
  name: DnsLabel({
    maxLength: 40,
    description: 'Name of the application: its component, repository (unless appContainer is set) and Secrets are named after it.',
  }),
  language: Type.Optional(StringEnum(LANGUAGES, { description: 'Programming language; picks the template repository the source starts from.' })),
  framework: Type.Optional(
    StringEnum(ALL_FRAMEWORKS, {
      description: `Framework, valid for the language: ${LANGUAGES.map((l) => `${l}: ${FRAMEWORKS[l].join(', ')}`).join('; ')}. Default: the first of the language.`,
    }),
  ),
  database: StringEnum(['postgres', 'none'], {
    default: 'none',
    description: 'postgres: a PostgreSQL server for the app, credentials in the Secret {name}-db-secret.',
  }),
  cache: StringEnum(['redis', 'none'], {
    default: 'none',
    description: 'redis: a Redis server for the app, credentials in the Secret {name}-cache-secret.',
  }),
  appContainer: Type.Optional(
    // GitHub repository names: at most 100 of A-Z a-z 0-9 . _ -.
    Formatted('^[A-Za-z0-9._-]+$', 100, {
      description:
        'An existing repository that holds the app (an app container shared by several services). The function only observes it, never changes or deletes it. Without it a repository named after the app is created from the template.',
    }),
  ),
  realtime: Type.Optional(
    DnsLabel({
      maxLength: 40,
      description: 'Name of a realtime platform (RealtimePlatformClaim spec.name) in this namespace whose five connection Secrets the app receives.',
    }),
  ),
  image: Type.Optional(ImageReference({ description: "Container image of the app. Default: {imageRegistry}/{name}:latest, what the repository's CI pushes." })),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: 8080, description: 'Port the app listens on.' }),
  env: Type.Optional(
    Type.Record(Type.String(), BoundedText(32_768), {
      maxProperties: 100,
      description: 'Extra environment variables of the app.',
    }),
  ),
});

const Part = (what: string) =>
  Type.Object(
    {
      ready: Type.Boolean({ description: `Whether the ${what} is ready.` }),
      message: Type.Optional(Type.String({ description: 'What it is waiting for.' })),
    },
    { description: `State of the ${what}.` },
  );

export const ApplicationStatus = Type.Object({
  source: Type.Optional(StringEnum(SOURCES, { description: 'Source of the claim, from the webservice.oam.dev/source annotation.' })),
  repository: Type.Optional(
    Type.Object(
      {
        name: Type.String({ description: 'Repository name.' }),
        url: Type.String({ description: 'Web URL of the repository.' }),
        managed: Type.Boolean({ description: 'Created by the platform (true) or an existing app container it only observes (false).' }),
      },
      { description: 'The source repository of the app.' },
    ),
  ),
  gitops: Type.Optional(
    Type.Object(
      {
        repository: Type.String({ description: 'GitOps repository ArgoCD watches.' }),
        path: Type.String({ description: 'File of the OAM Application in the GitOps repository.' }),
        application: Type.String({ description: 'Name of the OAM Application the app is a component of.' }),
        updated: Type.Boolean({ description: 'Whether the function wrote (or keeps) the OAM Application file.' }),
        reason: Type.String({ description: 'Why the file was written, kept or skipped.' }),
      },
      { description: 'The OAM Application manifest in the GitOps repository.' },
    ),
  ),
  secrets: Type.Optional(Type.Array(Type.String(), { description: 'Secrets in the claim namespace the app reads its connections from.' })),
  parts: Type.Optional(
    Type.Object(
      {
        repository: Type.Optional(Part('source repository')),
        gitops: Type.Optional(Part('GitOps manifest')),
        database: Type.Optional(Part('PostgreSQL database')),
        cache: Type.Optional(Part('Redis cache')),
        realtime: Type.Optional(Part('realtime platform connection')),
      },
      { description: 'Readiness per part.' },
    ),
  ),
});

export type ApplicationSpec = Static<typeof ApplicationSpec>;

const frameworkCel = LANGUAGES.map((l) => `(self.language == '${l}' && self.framework in [${FRAMEWORKS[l].map((f) => `'${f}'`).join(', ')}])`).join(' || ');

export const application = defineApi<ApplicationSpec>({
  claimKind: 'ApplicationClaim',
  claimPlural: 'applicationclaims',
  compositeKind: 'XApplication',
  compositePlural: 'xapplications',
  description:
    'Everything an application needs: its source repository, its OAM Application in the GitOps repository, a PostgreSQL database and a Redis cache on request, and the Secrets of a realtime platform.',
  spec: ApplicationSpec,
  status: ApplicationStatus,
  functionName: 'application',
  rules: [
    {
      at: '',
      cel: `!has(self.framework) || (has(self.language) && (${frameworkCel}))`,
      message: 'framework must be one of the frameworks of language',
      field: 'spec.framework',
      holds: (s) => s.framework === undefined || (s.language !== undefined && (FRAMEWORKS[s.language] as readonly string[]).includes(s.framework)),
    },
  ],
  printerColumns: [
    { name: 'LANGUAGE', type: 'string', jsonPath: '.spec.language' },
    { name: 'SOURCE', type: 'string', jsonPath: '.status.source' },
    { name: 'REPOSITORY', type: 'string', jsonPath: '.status.repository.url' },
  ],
});

/** The framework a spec resolves to (the language's default when none is given). */
export function frameworkOf(spec: ApplicationSpec): string | undefined {
  return spec.framework ?? (spec.language ? FRAMEWORKS[spec.language][0] : undefined);
}
