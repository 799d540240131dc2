import { describe, expect, it } from 'vitest';
import { Ready, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { parse } from 'yaml';
import { compose } from '../../functions/application/function.js';
import { application, FRAMEWORKS, LANGUAGES } from '../../functions/application/api.js';
import { WebserviceParameters } from '../../functions/application/webservice.js';
import { specValidator } from '../../functions/lib/schema/validate.js';
import { secretData } from '../../functions/lib/secrets.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { claim, desired, fatals, requestFor, run } from '../support/request.js';
import { observedFrom } from '../../harness/request.js';
import { answerRequirements as answer } from '../../harness/request.js';

const NS = 'health';

function appClaim(spec: object, source?: string, name = 'my-app'): KubeObject {
  const c = claim('ApplicationClaim', name, NS, spec);
  if (source !== undefined) c.metadata!.annotations = { 'webservice.oam.dev/source': source };
  return c;
}

const existingApp = (components: { name: string; type: string; properties?: object }[]): KubeObject => ({
  apiVersion: 'core.oam.dev/v1beta1',
  kind: 'Application',
  metadata: {
    name: 'my-app',
    namespace: NS,
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', owner: 'team-a' },
  },
  spec: { components, workflow: { steps: [{ name: 'deploy', type: 'deploy' }] } },
  status: { status: 'running' },
});

type Status = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const statusOf = (rsp: RunFunctionResponse) => (rsp.desired?.composite?.resource as { status?: Status } | undefined)?.status ?? {};
const fileOf = (rsp: RunFunctionResponse) => desired(rsp)['gitops-file'] as { spec: { forProvider: { content: string; file: string } } } | undefined;
const writtenApp = (rsp: RunFunctionResponse) => parse(fileOf(rsp)!.spec.forProvider.content) as KubeObject & { spec: { components: { name: string; properties: object }[] } };

/** First call, then a call with the requirements answered from `cluster`. */
async function reconcile(c: KubeObject, cluster: KubeObject[] = [], observed: Record<string, KubeObject> = {}) {
  const first = await run(compose, requestFor(c, observed));
  const required = answer(first, cluster);
  const rsp = await run(compose, requestFor(c, observed, required));
  return { first, rsp, required };
}

describe('application: source detection', () => {
  it.each([
    ['missing annotation', undefined, 'api-driven'],
    ['api-driven', 'api-driven', 'api-driven'],
    ['analyzer-driven', 'analyzer-driven', 'analyzer-driven'],
  ])('%s: writes the OAM Application into the GitOps repository', async (_label, source, expected) => {
    const { rsp } = await reconcile(appClaim({ name: 'my-app', language: 'python' }, source));
    expect(fatals(rsp)).toEqual([]);
    expect(statusOf(rsp).source).toBe(expected);
    expect(fileOf(rsp)?.spec.forProvider.file).toBe('oam/applications/health/my-app.yaml');
    expect(writtenApp(rsp).metadata?.annotations).toEqual({ 'webservice.oam.dev/source': expected });
    expect(statusOf(rsp).gitops).toMatchObject({ updated: true, path: 'oam/applications/health/my-app.yaml' });
  });

  it('the GitOps file names a commit author only together with an email (terraform-provider-github refuses one without the other)', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'my-app', language: 'python' }));
    const fp = (desired(rsp)['gitops-file'] as Status).spec.forProvider;
    // github/resource_github_repository_file.go: commit_author RequiredWith commit_email and the reverse.
    expect('commitAuthor' in fp).toBe('commitEmail' in fp);
    expect(fp).toMatchObject({ commitAuthor: 'platform-definitions', commitEmail: 'platform-definitions@example.org' });
  });

  it('oam-driven: writes nothing to GitOps, does not even read the Application, and says why', async () => {
    const { first, rsp } = await reconcile(appClaim({ name: 'my-app', language: 'python', database: 'postgres' }, 'oam-driven'), [existingApp([])]);
    expect(fatals(rsp)).toEqual([]);
    expect(first.requirements?.resources ?? {}).not.toHaveProperty('oam-application');
    expect(fileOf(rsp)).toBeUndefined();
    expect(Object.values(desired(rsp)).map((o) => o.kind)).not.toContain('RepositoryFile');
    expect(statusOf(rsp).gitops).toMatchObject({ updated: false });
    expect(statusOf(rsp).gitops.reason).toMatch(/oam-driven.*loop/);
    // The rest of the bootstrap still happens.
    expect(desired(rsp).repository.kind).toBe('Repository');
    expect(desired(rsp).db.kind).toBe('StatefulSet');
  });

  it('rejects an unknown source with a Fatal result naming the annotation, not the value', async () => {
    const rsp = await run(compose, requestFor(appClaim({ name: 'my-app' }, 'slack-bot-s3cret')));
    expect(fatals(rsp)).toEqual(['invalid XApplication: metadata.annotations[webservice.oam.dev/source]: must be one of api-driven, oam-driven, analyzer-driven']);
    expect(JSON.stringify(rsp.results)).not.toContain('s3cret');
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });
});

describe('application: component existence check', () => {
  it('asks Crossplane for the Application first and writes nothing until it has the answer', async () => {
    const rsp = await run(compose, requestFor(appClaim({ name: 'my-app' })));
    expect(rsp.requirements?.resources?.['oam-application']).toEqual({
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      matchName: 'my-app',
      namespace: NS,
    });
    expect(fileOf(rsp)).toBeUndefined();
    expect(statusOf(rsp).gitops.reason).toMatch(/waiting to read Application health\/my-app/);
    expect(rsp.desired?.composite?.ready).toBe(Ready.READY_FALSE);
  });

  it('Application missing: writes a new Application with only the app component', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'my-app', image: 'ghcr.io/acme/my-app:1.0', port: 9000 }), []);
    const app = writtenApp(rsp);
    expect(app).toMatchObject({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: 'my-app', namespace: NS } });
    expect(app.spec.components).toEqual([{ name: 'my-app', type: 'knative-webservice', properties: { image: 'ghcr.io/acme/my-app:1.0', port: 9000 } }]);
    expect(statusOf(rsp).gitops.reason).toBe('writing a new Application');
  });

  it('Application present without the component: keeps its components, policies and workflow, adds the app, drops server fields', async () => {
    const frontend = { name: 'frontend', type: 'knative-webservice', properties: { image: 'fe:1', port: 3000 } };
    const { rsp } = await reconcile(appClaim({ name: 'my-app' }), [existingApp([frontend])]);
    const app = writtenApp(rsp);
    expect(app.spec.components.map((c) => c.name)).toEqual(['frontend', 'my-app']);
    expect(app.spec.components[0]).toEqual(frontend);
    expect(app.spec).toHaveProperty('workflow', { steps: [{ name: 'deploy', type: 'deploy' }] });
    expect(app.metadata?.annotations).toEqual({ owner: 'team-a', 'webservice.oam.dev/source': 'api-driven' });
    expect(app).not.toHaveProperty('status');
    expect(statusOf(rsp).gitops.reason).toBe('adding component my-app to the existing Application');
  });

  it('Application already has the component: adds nothing, writes nothing, and is ready', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'my-app' }), [existingApp([{ name: 'my-app', type: 'knative-webservice' }])]);
    expect(fileOf(rsp)).toBeUndefined();
    expect(statusOf(rsp).gitops).toMatchObject({ updated: false, reason: 'skipped: Application health/my-app already has component my-app' });
    expect(statusOf(rsp).parts.gitops).toEqual({ ready: true });
  });

  it('keeps a written file exactly as written, even once the Application has the component', async () => {
    const c = appClaim({ name: 'my-app' });
    const { rsp: first } = await reconcile(c, []);
    const observed = observedFrom(first);
    // KubeVela has applied the file meanwhile: the component now exists.
    const { rsp } = await reconcile(c, [existingApp([{ name: 'my-app', type: 'knative-webservice' }])], observed);
    expect(fileOf(rsp)).toEqual(fileOf(first));
    expect(statusOf(rsp).gitops).toMatchObject({ updated: true, reason: 'written to oam/applications/health/my-app.yaml; Git owns it now' });
    expect(statusOf(rsp).parts.gitops).toEqual({ ready: true });
  });

  it("gives the same file whatever order the live Application's keys arrive in", async () => {
    const a = existingApp([{ name: 'frontend', type: 'knative-webservice', properties: { port: 3000, image: 'fe:1' } }]);
    const b = {
      status: a.status,
      spec: { workflow: (a.spec as Status).workflow, components: [{ properties: { image: 'fe:1', port: 3000 }, type: 'knative-webservice', name: 'frontend' }] },
      metadata: a.metadata,
      kind: a.kind,
      apiVersion: a.apiVersion,
    };
    const one = await reconcile(appClaim({ name: 'my-app' }), [a]);
    const two = await reconcile(appClaim({ name: 'my-app' }), [b as KubeObject]);
    expect(fileOf(two.rsp)?.spec.forProvider.content).toBe(fileOf(one.rsp)?.spec.forProvider.content);
  });

  it('writes a knative-webservice component that the knative-webservice definition accepts, without a language (no second claim)', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'my-app', language: 'go', database: 'postgres', cache: 'redis', realtime: 'health-data', env: { B: '2', A: '1' } }));
    const component = writtenApp(rsp).spec.components[0];
    expect(component).toEqual({
      name: 'my-app',
      type: 'knative-webservice',
      properties: {
        image: 'ghcr.io/example-org/my-app:latest',
        port: 8080,
        env: { A: '1', B: '2' },
        secrets: ['my-app-db-secret', 'my-app-cache-secret'],
        realtime: 'health-data',
      },
    });
    const valid = specValidator(WebserviceParameters)(component.properties);
    expect(valid.ok).toBe(true);
    expect(component.properties).not.toHaveProperty('language');
  });
});

describe('application: repository', () => {
  it('creates {name} from the template of language and framework, never deleting it', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'orders', language: 'java', framework: 'quarkus' }, undefined, 'orders'));
    const repo = desired(rsp).repository as Status;
    expect(repo).toMatchObject({
      apiVersion: 'repo.github.upbound.io/v1alpha1',
      kind: 'Repository',
      metadata: { name: 'health-orders-repo', annotations: { 'crossplane.io/external-name': 'orders' } },
      spec: {
        forProvider: { name: 'orders', visibility: 'private', template: [{ owner: 'example-org', repository: 'template-java-quarkus', includeAllBranches: false }] },
        providerConfigRef: { name: 'default' },
      },
    });
    expect(repo.spec.managementPolicies).not.toContain('Delete');
    expect(repo.spec.managementPolicies).not.toContain('*');
    expect(statusOf(rsp).repository).toEqual({ name: 'orders', url: 'https://github.com/example-org/orders', managed: true });
  });

  it.each(LANGUAGES)('defaults the framework of %s to its first one', async (language) => {
    const { rsp } = await reconcile(appClaim({ name: 'svc', language }));
    expect((desired(rsp).repository as Status).spec.forProvider.template[0].repository).toBe(`template-${language}-${FRAMEWORKS[language][0]}`);
  });

  it('without a language: an empty repository with a README', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'svc' }));
    const fp = (desired(rsp).repository as Status).spec.forProvider;
    expect(fp.autoInit).toBe(true);
    expect(fp).not.toHaveProperty('template');
  });

  it("appContainer: observes the existing repository only, and the app joins that repository's Application", async () => {
    const { rsp } = await reconcile(appClaim({ name: 'svc', appContainer: 'platform-apps' }));
    const repo = desired(rsp).repository as Status;
    expect(repo.spec.managementPolicies).toEqual(['Observe']);
    expect(repo.spec.forProvider).toEqual({});
    expect(repo.metadata.annotations['crossplane.io/external-name']).toBe('platform-apps');
    expect(rsp.requirements?.resources?.['oam-application']?.matchName).toBe('platform-apps');
    expect(fileOf(rsp)?.spec.forProvider.file).toBe('oam/applications/health/platform-apps.yaml');
    expect(statusOf(rsp).repository.managed).toBe(false);
  });

  it('reads the URL the provider reports once the repository exists', async () => {
    const c = appClaim({ name: 'svc' });
    const { rsp: first } = await reconcile(c);
    const observed = observedFrom(first);
    (observed.repository.status as Status).atProvider = { htmlUrl: 'https://github.example.com/acme/svc' };
    const { rsp } = await reconcile(c, [], observed);
    expect(statusOf(rsp).repository.url).toBe('https://github.example.com/acme/svc');
  });
});

describe('application: infrastructure', () => {
  it('composes no data services by default', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'svc' }));
    expect(Object.keys(desired(rsp)).sort()).toEqual(['gitops-file', 'repository']);
    expect(statusOf(rsp).secrets).toEqual([]);
  });

  it('postgres and redis: StatefulSets, Services and connection Secrets named {name}-db-secret / {name}-cache-secret', async () => {
    const { rsp } = await reconcile(appClaim({ name: 'svc', database: 'postgres', cache: 'redis' }));
    const out = desired(rsp);
    expect(out['db-secret'].metadata).toMatchObject({ name: 'svc-db-secret', namespace: NS });
    expect(out['cache-secret'].metadata).toMatchObject({ name: 'svc-cache-secret', namespace: NS });
    expect(Object.keys(secretData(out['db-secret'])).sort()).toEqual(['DATABASE_HOST', 'DATABASE_NAME', 'DATABASE_PASSWORD', 'DATABASE_PORT', 'DATABASE_URL', 'DATABASE_USER']);
    expect(secretData(out['db-secret'])).toMatchObject({ DATABASE_HOST: 'svc-db.health.svc.cluster.local', DATABASE_PORT: '5432', DATABASE_NAME: 'svc', DATABASE_USER: 'app' });
    expect(secretData(out['cache-secret'])).toMatchObject({ REDIS_HOST: 'svc-cache.health.svc.cluster.local', REDIS_PORT: '6379' });
    for (const sts of [out.db, out.cache]) {
      const pod = (sts.spec as Status).template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } });
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(c.resources.requests).toBeDefined();
        expect(c.resources.limits).toBeDefined();
      }
      expect((sts.spec as Status).persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    }
    expect(out['db-service'].metadata?.name).toBe('svc-db');
    expect(out['cache-service'].metadata?.name).toBe('svc-cache');
    expect(statusOf(rsp).secrets).toEqual(['svc-db-secret', 'svc-cache-secret']);
  });

  it('keeps generated passwords across reconciles, and never shows them outside the Secrets', async () => {
    const c = appClaim({ name: 'svc', database: 'postgres', cache: 'redis' });
    const { rsp: first } = await reconcile(c);
    let rsp = first;
    for (let i = 0; i < 3; i++) rsp = (await reconcile(c, [], observedFrom(rsp))).rsp;
    for (const key of ['db-secret', 'cache-secret']) expect(desired(rsp)[key]).toEqual(desired(first)[key]);
    const { DATABASE_PASSWORD } = secretData(desired(rsp)['db-secret']);
    const { REDIS_PASSWORD } = secretData(desired(rsp)['cache-secret']);
    expect(DATABASE_PASSWORD).toHaveLength(32);
    const visible = JSON.stringify([statusOf(rsp), rsp.results, desired(rsp).db, desired(rsp).cache, fileOf(rsp)]);
    expect(visible).not.toContain(DATABASE_PASSWORD);
    expect(visible).not.toContain(REDIS_PASSWORD);
    // A fresh claim gets fresh passwords.
    const other = (await reconcile(appClaim({ name: 'svc', database: 'postgres' }))).rsp;
    expect(secretData(desired(other)['db-secret']).DATABASE_PASSWORD).not.toBe(DATABASE_PASSWORD);
  });

  describe('generated passwords are never regenerated while a copy exists', () => {
    /** Reconcile `rounds` times against a cluster (desired Secrets applied, readable live); `lose` takes something away before each call. */
    async function lossScenario(lose: (observed: Record<string, KubeObject>, live: Map<string, KubeObject>, round: number) => void, rounds = 10) {
      const c = appClaim({ name: 'svc', database: 'postgres', cache: 'redis' });
      const live = new Map<string, KubeObject>();
      const cluster = () => [...live.values()];
      const apply = (rsp: RunFunctionResponse) => {
        for (const o of Object.values(desired(rsp))) if (o.kind === 'Secret') live.set(o.metadata!.name!, structuredClone(o));
      };
      let { rsp } = await reconcile(c, cluster());
      apply(rsp);
      const original = { db: secretData(desired(rsp)['db-secret']), cache: secretData(desired(rsp)['cache-secret']) };
      for (let round = 0; round < rounds; round++) {
        const observed = observedFrom(rsp);
        lose(observed, live, round);
        rsp = (await reconcile(c, cluster(), observed)).rsp;
        expect(fatals(rsp)).toEqual([]);
        apply(rsp);
      }
      const out = desired(rsp);
      expect(secretData(out['db-secret'])).toEqual(original.db);
      expect(secretData(out['cache-secret'])).toEqual(original.cache);
      expect(secretData(out['passwords-backup'])).toEqual({ DATABASE_PASSWORD: original.db.DATABASE_PASSWORD, REDIS_PASSWORD: original.cache.REDIS_PASSWORD });
    }

    it('the db Secret missing from observed state (apply error, partial apply): read back live', async () => {
      await lossScenario((observed, _live, round) => {
        if (round % 2 === 0) delete observed['db-secret'];
      });
    });

    it('Crossplane observes nothing at all: every password read back live', async () => {
      await lossScenario((observed) => {
        for (const k of Object.keys(observed)) delete observed[k];
      });
    });

    it('someone deletes the db and cache Secrets, repeatedly: recovered from the backup', async () => {
      await lossScenario((observed, live) => {
        for (const k of ['db-secret', 'cache-secret']) delete observed[k];
        for (const n of ['svc-db-secret', 'svc-cache-secret']) live.delete(n);
      });
    });

    it('someone deletes the backup, and another time the db Secret: each restores the other', async () => {
      await lossScenario((observed, live, round) => {
        const [key, name] = round % 2 ? ['db-secret', 'svc-db-secret'] : ['passwords-backup', 'svc-passwords-backup'];
        delete observed[key];
        live.delete(name);
      });
    });

    it('reads its Secrets back live from the claim namespace', async () => {
      const { first } = await reconcile(appClaim({ name: 'svc', database: 'postgres' }));
      const live = Object.values(first.requirements!.resources).filter((s) => s.matchName?.startsWith('svc-'));
      expect(live.map((s) => s.matchName)).toEqual(['svc-db-secret', 'svc-cache-secret', 'svc-passwords-backup']);
      expect(new Set(live.map((s) => s.namespace))).toEqual(new Set([NS]));
    });
  });

  it('turning database and cache off removes the servers but keeps their Secrets (the volumes are retained)', async () => {
    const { rsp: on } = await reconcile(appClaim({ name: 'svc', database: 'postgres', cache: 'redis' }));
    const { rsp } = await reconcile(appClaim({ name: 'svc', database: 'none', cache: 'none' }), [], observedFrom(on));
    const out = desired(rsp);
    expect(Object.keys(out).sort()).toEqual(['cache-secret', 'db-secret', 'gitops-file', 'passwords-backup', 'repository']);
    expect(out['db-secret']).toEqual(desired(on)['db-secret']);
    expect(out['passwords-backup']).toEqual(desired(on)['passwords-backup']);
    expect(statusOf(rsp).secrets).toEqual([]);
    expect(statusOf(rsp).parts).not.toHaveProperty('database');
  });

  it("realtime: asks for the platform's Kafka Secret, lists the five Secrets, and waits until it exists", async () => {
    const c = appClaim({ name: 'svc', realtime: 'health-data' });
    const waiting = (await reconcile(c, [])).rsp;
    expect(waiting.requirements?.resources?.['realtime-kafka-secret']).toEqual({ apiVersion: 'v1', kind: 'Secret', matchName: 'health-data-kafka-secret', namespace: NS });
    expect(statusOf(waiting).parts.realtime).toEqual({ ready: false, message: `spec.realtime: waiting for realtime platform health-data (Secret health-data-kafka-secret in namespace ${NS})` });
    expect(statusOf(waiting).secrets).toEqual(['mqtt', 'kafka', 'db', 'metabase', 'lenses'].map((k) => `health-data-${k}-secret`));
    const kafka = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'health-data-kafka-secret', namespace: NS } };
    const found = (await reconcile(c, [kafka])).rsp;
    expect(statusOf(found).parts.realtime).toEqual({ ready: true });
  });
});

describe('application: readiness and determinism', () => {
  it('is Ready only when repository, GitOps file, database and cache all are', async () => {
    const c = appClaim({ name: 'svc', database: 'postgres', cache: 'redis' });
    const { rsp: first } = await reconcile(c);
    expect(first.desired?.composite?.ready).toBe(Ready.READY_FALSE);
    const notReady = (await reconcile(c, [], observedFrom(first, false))).rsp;
    expect(notReady.desired?.composite?.ready).toBe(Ready.READY_FALSE);
    const ready = (await reconcile(c, [], observedFrom(first, true))).rsp;
    expect(statusOf(ready).parts).toEqual({ repository: { ready: true }, gitops: { ready: true }, database: { ready: true }, cache: { ready: true } });
    expect(ready.desired?.composite?.ready).toBe(Ready.READY_TRUE);
  });

  it('the same request gives the same response', async () => {
    const c = appClaim({ name: 'svc', language: 'python', database: 'postgres' });
    const { rsp: first } = await reconcile(c);
    const observed = observedFrom(first);
    const a = await reconcile(c, [existingApp([])], observed);
    const b = await reconcile(c, [existingApp([])], observed);
    expect(b.rsp).toEqual(a.rsp);
  });
});

describe('application: invalid input', () => {
  it.each([
    ['a framework of another language', { name: 'a', language: 'python', framework: 'gin' }, 'spec.framework: framework must be one of the frameworks of language'],
    ['a framework without a language', { name: 'a', framework: 'express' }, 'spec.framework: framework must be one of the frameworks of language'],
    ['a missing name', { language: 'go' }, 'spec.name: is required'],
    ['a name that is no DNS label', { name: 'My_App' }, 'spec.name: must match'],
    ['an unknown language', { name: 'a', language: 'cobol' }, 'spec.language: must be one of python, java, javascript, go'],
    ['an unknown database', { name: 'a', database: 'oracle' }, 'spec.database: must be one of postgres, none'],
    ['a port out of range', { name: 'a', port: 70000 }, 'spec.port: must be <= 65535'],
  ])('rejects %s with a Fatal result naming the field', async (_label, spec, message) => {
    const rsp = await run(compose, requestFor(appClaim(spec)));
    expect(fatals(rsp)).toHaveLength(1);
    expect(fatals(rsp)[0]).toContain(message);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });

  it('rejects bad function settings naming the input field', async () => {
    const req = requestFor(appClaim({ name: 'a' }));
    req.input = { github: { visibility: 'secret' } };
    const rsp = await run(compose, req);
    expect(fatals(rsp)).toEqual(['invalid XApplication: input.github.visibility: must be one of private, internal, public']);
  });

  it('uses the settings from the Composition input', async () => {
    const req = requestFor(appClaim({ name: 'a', language: 'go' }));
    req.input = {
      github: { owner: 'acme', templateOwner: 'acme-templates', providerConfig: 'gh' },
      gitops: { repository: 'acme-gitops', path: 'apps', commitAuthor: 'Acme Platform', commitEmail: 'platform@acme.example' },
    };
    const first = await run(compose, req);
    const next = requestFor(appClaim({ name: 'a', language: 'go' }), {}, answer(first, []));
    next.input = req.input;
    const rsp = await run(compose, next);
    const out = desired(rsp) as Record<string, Status>;
    expect(out.repository.spec.forProvider.template[0].owner).toBe('acme-templates');
    expect(out.repository.spec.providerConfigRef.name).toBe('gh');
    expect(out['gitops-file'].spec.forProvider).toMatchObject({ repository: 'acme-gitops', file: 'apps/health/a.yaml', commitAuthor: 'Acme Platform', commitEmail: 'platform@acme.example' });
    expect(statusOf(rsp).repository.url).toBe('https://github.com/acme/a');
  });

  it("the function's framework rule accepts exactly the frameworks of each language (the XRD's CEL rule is evaluated in test/conformance/application.test.ts)", () => {
    for (const language of LANGUAGES) {
      for (const framework of Object.values(FRAMEWORKS).flat()) {
        const valid = application.validateSpec({ name: 'a', language, framework });
        expect(valid.ok).toBe((FRAMEWORKS[language] as readonly string[]).includes(framework));
      }
    }
  });
});
