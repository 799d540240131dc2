/**
 * application through the real Crossplane CLI and cue: render the examples
 * (the live OAM Application and the realtime Secret via --required-resources),
 * converge against the rendered state, validate against the XRD, and evaluate
 * the knative-webservice and application-infrastructure definitions for the seed's
 * simple-app and complex-app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { application, FRAMEWORKS, LANGUAGES } from '../../functions/application/api.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { secretData } from '../../functions/lib/secrets.js';
import { healthOf, loadDefinition, renderOutputs, vcontext } from '../../harness/cue.js';
import { renderClaim } from '../../harness/render.js';
import { startAll, stopAll } from '../../harness/servers.js';
import { ROOT, validate } from '../../harness/tools.js';
import { docs, readYaml } from '../support/yaml.js';

const EX = join(ROOT, 'examples/application');
const REQUIRED = join(EX, 'required.yaml');
let servers: ChildProcess[] = [];
beforeAll(async () => {
  servers = await startAll();
});
afterAll(() => stopAll(servers));

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const xrOf = (out: KubeObject[]) => out.find((o) => o.kind === 'XApplication') as unknown as { spec: object; status: Any };
const byName = (out: KubeObject[]) => Object.fromEntries(out.filter((o) => o.kind !== 'XApplication' && o.kind !== 'Result').map((o) => [`${o.kind}/${o.metadata?.name}`, o as Any]));

function render(claim: string, observed?: string) {
  const r = renderClaim(join(EX, claim), { required: REQUIRED, observed });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return docs(r.stdout);
}

/** The cluster after applying a render: workloads and managed resources ready. */
function observedFile(rendered: KubeObject[]): string {
  const objects = rendered
    .filter((o) => o.kind !== 'XApplication' && o.kind !== 'Result')
    .map((o) => {
      const obj = structuredClone(o);
      if (obj.kind === 'StatefulSet') obj.status = { replicas: 1, readyReplicas: 1 };
      if (obj.apiVersion?.startsWith('repo.github.upbound.io/')) obj.status = { conditions: [{ type: 'Ready', status: 'True' }] };
      return obj;
    });
  const file = join(mkdtempSync(join(tmpdir(), 'observed-')), 'observed.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

describe('crossplane render: application', () => {
  it('api-driven with an existing Application (--required-resources): adds the component next to the ones it has', () => {
    const out = render('claim.yaml');
    const objects = byName(out);
    expect(Object.keys(objects).sort()).toEqual([
      'Repository/health-my-health-service-repo',
      'RepositoryFile/health-my-health-service-gitops',
      'Secret/my-health-service-cache-secret',
      'Secret/my-health-service-db-secret',
      'Secret/my-health-service-passwords-backup',
      'Service/my-health-service-cache',
      'Service/my-health-service-db',
      'StatefulSet/my-health-service-cache',
      'StatefulSet/my-health-service-db',
    ]);
    const file = objects['RepositoryFile/health-my-health-service-gitops'].spec.forProvider;
    expect(file.file).toBe('oam/applications/health/my-custom-repo.yaml');
    const app = parse(file.content) as Any;
    expect(app.spec.components.map((c: Any) => c.name)).toEqual(['frontend', 'my-health-service']);
    expect(app.spec.policies).toHaveLength(1);
    expect(app.metadata.annotations).toEqual({ 'webservice.oam.dev/source': 'api-driven' });
    expect(objects['Repository/health-my-health-service-repo'].spec.managementPolicies).toEqual(['Observe']);
    const xr = xrOf(out);
    expect(xr.status).toMatchObject({
      source: 'api-driven',
      gitops: { updated: true, reason: 'adding component my-health-service to the existing Application' },
      repository: { name: 'my-custom-repo', managed: false },
      parts: { realtime: { ready: true } },
    });
  });

  it('api-driven without an Application: writes a new one', () => {
    const out = render('claim-new-repository.yaml');
    const app = parse(byName(out)['RepositoryFile/health-orders-api-gitops'].spec.forProvider.content) as Any;
    expect(app.spec.components).toEqual([{ name: 'orders-api', type: 'knative-webservice', properties: { image: 'ghcr.io/example-org/orders-api:latest', port: 8000, env: { LOG_FORMAT: 'json' } } }]);
    expect(byName(out)['Repository/health-orders-api-repo'].spec.forProvider.template).toEqual([{ owner: 'example-org', repository: 'template-go-gin', includeAllBranches: false }]);
  });

  it('oam-driven: no GitOps file at all (the loop prevention), the rest of the bootstrap is there', () => {
    const out = render('claim-oam-driven.yaml');
    expect(out.map((o) => o.kind)).not.toContain('RepositoryFile');
    expect(Object.keys(byName(out))).toEqual(expect.arrayContaining(['Repository/health-health-api-repo', 'StatefulSet/health-api-db', 'Secret/health-api-db-secret']));
    expect(xrOf(out).status.gitops).toMatchObject({ updated: false });
    expect(xrOf(out).status.gitops.reason).toMatch(/^skipped: the claim is oam-driven/);
  });

  it('converges: against its own applied state the XR is Ready, the file and the passwords are unchanged', () => {
    const first = render('claim.yaml');
    const second = render('claim.yaml', observedFile(first));
    const third = render('claim.yaml', observedFile(second));
    const xr = xrOf(third);
    expect(xr.status.conditions.find((c: Any) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(xr.status.gitops.reason).toBe('written to oam/applications/health/my-custom-repo.yaml; Git owns it now');
    const file = (out: KubeObject[]) => byName(out)['RepositoryFile/health-my-health-service-gitops'].spec.forProvider.content;
    expect(file(third)).toBe(file(first));
    const secret = (out: KubeObject[]) => secretData(out.find((o) => o.metadata?.name === 'my-health-service-db-secret'));
    expect(secret(third)).toEqual(secret(first));
  });
});

describe('knative-webservice and application-infrastructure ComponentDefinitions (cue)', () => {
  const defs = Object.fromEntries(readdirSync(join(ROOT, 'definitions/components')).map((f) => [f.replace(/\.yaml$/, ''), loadDefinition(join(ROOT, 'definitions/components', f))]));
  const components = (file: string) => (readYaml(file).spec as { components: { name: string; type: string; properties: object }[] }).components;

  it('simple-app: a Knative Service only, scaling 0-10, restricted, with probes and resources', () => {
    const [c] = components('examples/oam/simple-app.yaml');
    const r = renderOutputs(defs['knative-webservice'], c.properties, vcontext(c.name, 'default', 'simple-app'));
    if (!r.ok) throw new Error(r.error);
    expect(r.outputs).toEqual({});
    expect(r.output).toMatchObject({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'hello-api', labels: { 'app.oam.dev/name': 'simple-app', 'app.oam.dev/component': 'hello-api' } },
      spec: {
        template: {
          metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '10' } },
          spec: {
            containers: [
              {
                image: 'nginx:alpine',
                ports: [{ containerPort: 80 }],
                env: [
                  { name: 'AGENT_TYPE', value: 'hello-api' },
                  { name: 'LOG_LEVEL', value: 'INFO' },
                ],
                envFrom: [],
                readinessProbe: { tcpSocket: { port: 80 } },
                livenessProbe: { tcpSocket: { port: 80 } },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              },
            ],
          },
        },
      },
    });
  });

  it('complex-app: every component renders; application-infrastructure gives an oam-driven claim the XRD accepts', () => {
    const rendered: string[] = [];
    for (const c of components('examples/oam/complex-app.yaml')) {
      expect(defs[c.type], `definition ${c.type}`).toBeDefined();
      const r = renderOutputs(defs[c.type], c.properties, vcontext(c.name, 'health', 'complex-app'));
      if (!r.ok) throw new Error(`${c.name}: ${r.error}`);
      rendered.push(c.name);
      if (c.type === 'application-infrastructure') {
        const claim = r.output as Any;
        expect(claim).toEqual({
          apiVersion: 'platform.example.org/v1alpha1',
          kind: 'ApplicationClaim',
          metadata: { name: 'app-infrastructure', annotations: { 'webservice.oam.dev/source': 'oam-driven' } },
          spec: { name: 'health-api', language: 'python', framework: 'fastapi', database: 'postgres', cache: 'redis', appContainer: 'custom-repo-name' },
        });
        expect(application.validateSpec(claim.spec).ok).toBe(true);
      }
    }
    expect(rendered).toEqual(['health-api', 'app-infrastructure', 'streaming-platform', 'customer-support-chat']);
  });

  it('knative-webservice with a language: the oam-driven claim, its Secrets and the realtime Secrets in the environment', () => {
    const params = { image: 'socrates12345/health-service:latest', language: 'python', framework: 'fastapi', database: 'postgres', realtime: 'health-data', env: { FEATURE: 'on' } };
    const r = renderOutputs(defs['knative-webservice'], params, vcontext('health-app', 'health', 'health-platform'));
    if (!r.ok) throw new Error(r.error);
    const claim = r.outputs.infrastructure as Any;
    expect(claim).toEqual({
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'ApplicationClaim',
      metadata: { name: 'health-app', annotations: { 'webservice.oam.dev/source': 'oam-driven' } },
      spec: { name: 'health-app', language: 'python', framework: 'fastapi', database: 'postgres', realtime: 'health-data', image: params.image, port: 8080 },
    });
    expect(application.validateSpec(claim.spec).ok).toBe(true);
    const container = (r.output as Any).spec.template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'AGENT_TYPE', value: 'health-app' },
      { name: 'LOG_LEVEL', value: 'INFO' },
      { name: 'REALTIME_PLATFORM_NAME', value: 'health-data' },
      { name: 'WEBSOCKET_ENABLED', value: 'true' },
      { name: 'FEATURE', value: 'on' },
    ]);
    // The app's own database Secret last: its DATABASE_URL wins over the realtime one.
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'health-data-kafka-secret', optional: false } },
      { secretRef: { name: 'health-data-db-secret', optional: false } },
      { secretRef: { name: 'health-data-metabase-secret', optional: false } },
      { secretRef: { name: 'health-data-mqtt-secret', optional: true } },
      { secretRef: { name: 'health-data-lenses-secret', optional: true } },
      { secretRef: { name: 'health-app-db-secret' } },
    ]);
  });

  it('the component the function writes to GitOps renders without a second claim', () => {
    const out = docs(renderClaim(join(EX, 'claim.yaml'), { required: REQUIRED }).stdout);
    const app = parse(byName(out)['RepositoryFile/health-my-health-service-gitops'].spec.forProvider.content) as Any;
    const c = app.spec.components.find((x: Any) => x.name === 'my-health-service');
    const r = renderOutputs(defs['knative-webservice'], c.properties, vcontext(c.name, 'health', 'my-custom-repo'));
    if (!r.ok) throw new Error(r.error);
    expect(r.outputs).toEqual({});
    expect((r.output as Any).spec.template.spec.containers[0].envFrom.map((e: Any) => e.secretRef.name)).toEqual([
      ...['kafka', 'db', 'metabase', 'mqtt', 'lenses'].map((k) => `health-streaming-${k}-secret`),
      'my-health-service-db-secret',
      'my-health-service-cache-secret',
    ]);
  });

  it.each([
    ['a framework of another language', { image: 'i', language: 'python', framework: 'gin' }, 'framework must be one of the frameworks of language'],
    ['a framework without a language', { image: 'i', framework: 'gin' }, 'framework requires language'],
    ['min above max scale', { image: 'i', scaling: { minScale: 5, maxScale: 2 } }, 'minScale must not exceed'],
    ['no image', { port: 80 }, 'image'],
    ['a port out of range', { image: 'i', port: 0 }, 'port'],
    ['an unknown source', { image: 'i', language: 'go', source: 'manual' }, 'source'],
  ])('knative-webservice rejects %s', (_label, params, message) => {
    const r = renderOutputs(defs['knative-webservice'], params);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });

  it.each([
    ['a framework of another language', { language: 'go', framework: 'django' }],
    ['an unknown cache', { cache: 'memcached' }],
    ['a bad name', { name: 'Bad_Name' }],
  ])('application-infrastructure rejects %s', (_label, params) => {
    expect(renderOutputs(defs['application-infrastructure'], params).ok).toBe(false);
  });

  it('health: the Knative Service Ready condition for webservice, the claim Ready condition for application-infrastructure', () => {
    const ws = healthOf(defs['knative-webservice'], { status: { url: 'https://hello-api.default.example.com', conditions: [{ type: 'Ready', status: 'True' }] } });
    expect(ws.isHealth).toEqual({ ok: true, value: true });
    expect(ws.message).toEqual({ ok: true, value: 'serving at https://hello-api.default.example.com' });
    const failing = healthOf(defs['knative-webservice'], { status: { conditions: [{ type: 'Ready', status: 'False', message: 'Revision failed' }] } });
    expect(failing.isHealth).toEqual({ ok: true, value: false });
    expect(failing.message).toEqual({ ok: true, value: 'not ready: Revision failed' });
    expect(healthOf(defs['knative-webservice'], {}).isHealth).toEqual({ ok: true, value: false });
    const infra = healthOf(defs['application-infrastructure'], {
      status: { conditions: [{ type: 'Ready', status: 'True' }], repository: { url: 'https://github.com/a/b' }, gitops: { reason: 'skipped: the claim is oam-driven' } },
    });
    expect(infra.isHealth).toEqual({ ok: true, value: true });
    expect(infra.message).toEqual({ ok: true, value: 'repository https://github.com/a/b; GitOps: skipped: the claim is oam-driven' });
    expect(healthOf(defs['application-infrastructure'], {}).isHealth).toEqual({ ok: true, value: false });
  });
});

describe("the XRD's CEL rule on framework, evaluated for real", () => {
  it('crossplane beta validate refuses exactly the language/framework pairs the function refuses', () => {
    // crank converts the XRD to the claim's CRD as Crossplane does (xcrd.ForCompositeResourceClaim)
    // and runs the API server's CEL validator over each claim (cmd/crank/beta/validate, v2.2.1).
    const frameworks = [...new Set(Object.values(FRAMEWORKS).flat())];
    const specs = [
      ...LANGUAGES.flatMap((language) => frameworks.map((framework) => ({ language, framework }))),
      ...frameworks.map((framework) => ({ framework })),
      ...LANGUAGES.map((language) => ({ language })),
      {},
    ].map((s) => ({ name: 'a', ...s }) as { name: string; language?: string; framework?: string });
    const claims = specs.map((spec, i) => ({ apiVersion: 'platform.example.org/v1alpha1', kind: 'ApplicationClaim', metadata: { name: `pair-${i}`, namespace: 'team-a' }, spec }));
    const v = validate([join(ROOT, 'xrds')], claims.map((c) => stringify(c)).join('---\n'));
    const verdicts = new Map<string, string>();
    for (const line of v.stdout.split('\n')) {
      const m = /Kind=ApplicationClaim, (pair-\d+) (validated successfully|: (.*))$/.exec(line);
      if (m) verdicts.set(m[1], m[3] ?? 'accepted');
    }
    expect(verdicts.size, v.stdout).toBe(specs.length);
    specs.forEach((spec, i) => {
      const inTable = spec.framework === undefined || (spec.language !== undefined && (FRAMEWORKS[spec.language as keyof typeof FRAMEWORKS] as readonly string[]).includes(spec.framework));
      const label = `${spec.language ?? '(no language)'} / ${spec.framework ?? '(no framework)'}`;
      expect(application.validateSpec(spec).ok, `function: ${label}`).toBe(inTable);
      expect(verdicts.get(`pair-${i}`), `XRD: ${label}`).toBe(inTable ? 'accepted' : 'spec.framework: Invalid value: framework must be one of the frameworks of language');
    });
    expect(v.code).not.toBe(0); // some pairs are refused, so crank fails the run as a whole
  });
});
