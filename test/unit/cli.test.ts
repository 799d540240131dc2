/**
 * The `platform` CLI without external tools: the seed's Slack grammar,
 * claims rendered through the functions in-process, graphs of the API
 * examples, `--out`, help. OAM Applications need the real `cue`: see
 * test/conformance/cli.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGraph, toMermaid, type Graph } from '../../cli/graph.js';
import { parseDocuments, render } from '../../cli/render.js';
import { toSvg } from '../../cli/svg.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { ROOT } from '../../harness/tools.js';
import { docsOf, platform, SEED_EXAMPLES, slack } from '../support/cli.js';

const readDocs = (path: string) => parseDocuments(readFileSync(join(ROOT, path), 'utf8'), path);

describe('platform microservice create: every Slack example of the seed', () => {
  it.each(SEED_EXAMPLES)('$line → the OAM Application', async (ex) => {
    const r = await slack(ex.line);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const platformName = `${ex.name}-stream`;
    expect(docsOf(r.out)).toEqual([
      {
        apiVersion: 'core.oam.dev/v1beta1',
        kind: 'Application',
        metadata: { name: ex.name, namespace: 'default' },
        spec: {
          components: [
            {
              name: ex.name,
              type: 'knative-webservice',
              properties: {
                image: `ghcr.io/example-org/${ex.name}:latest`,
                language: ex.language,
                framework: ex.framework,
                ...(ex.database ? { database: ex.database } : {}),
                ...(ex.cache ? { cache: ex.cache } : {}),
                ...(ex.iot ? { realtime: platformName } : {}),
              },
            },
            ...(ex.iot ? [{ name: platformName, type: 'realtime-platform', properties: { name: platformName, iot: true } }] : []),
          ],
        },
      },
    ]);
  });

  it("the seed's IoT phrase, written out by hand", async () => {
    const r = await platform('microservice', 'create', 'sensor-platform', 'language', 'python', 'database', 'postgres', 'iot', 'true', '-n', 'health');
    expect(r.out).toBe(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: sensor-platform
  namespace: health
spec:
  components:
    - name: sensor-platform
      type: knative-webservice
      properties:
        image: ghcr.io/example-org/sensor-platform:latest
        language: python
        framework: fastapi
        database: postgres
        realtime: sensor-platform-stream
    - name: sensor-platform-stream
      type: realtime-platform
      properties:
        name: sensor-platform-stream
        iot: true
`);
  });

  it('options in any order give the same Application', async () => {
    const a = await slack('/microservice create w java springboot with postgresql with redis iot true');
    const b = await slack('/microservice create w iot true with redis springboot with postgresql');
    expect(a.code).toBe(0);
    expect(b.out).toBe(a.out);
  });

  it.each(SEED_EXAMPLES)('$line --claim → claims that render through the functions', async (ex) => {
    const r = await slack(`${ex.line} --claim -n health`);
    expect(r.code).toBe(0);
    const docs = docsOf(r.out);
    expect(docs[0]).toEqual({
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'ApplicationClaim',
      metadata: { name: ex.name, namespace: 'health', annotations: { 'webservice.oam.dev/source': 'api-driven' } },
      spec: {
        name: ex.name,
        language: ex.language,
        framework: ex.framework,
        ...(ex.database ? { database: ex.database } : {}),
        ...(ex.cache ? { cache: ex.cache } : {}),
        ...(ex.iot ? { realtime: `${ex.name}-stream` } : {}),
      },
    });
    expect(docs.map((d) => d.kind)).toEqual(ex.iot ? ['ApplicationClaim', 'RealtimePlatformClaim'] : ['ApplicationClaim']);

    const out = await render(docs);
    expect(out.results.filter((x) => x.severity === 'fatal')).toEqual([]);
    const objects = out.nodes.map((n) => n.object);
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
    // The repository from the language's template, the data services asked for, nothing else.
    const repo = objects.find((o) => o.kind === 'Repository') as { spec: { forProvider: { template: { repository: string }[] } } } & KubeObject;
    expect(repo.metadata?.annotations?.['crossplane.io/external-name']).toBe(ex.name);
    expect(repo.spec.forProvider.template[0].repository).toBe(`template-${ex.language}-${ex.framework}`);
    expect(find('StatefulSet', `${ex.name}-db`) !== undefined).toBe(ex.database === 'postgres');
    expect(find('StatefulSet', `${ex.name}-cache`) !== undefined).toBe(ex.cache === 'redis');
    expect(find('Namespace', `${ex.name}-stream-realtime`) !== undefined).toBe(ex.iot === true);
    // The GitOps file the function writes carries the same service.
    const file = objects.find((o) => o.kind === 'RepositoryFile') as { spec: { forProvider: { file: string; content: string } } } & KubeObject;
    expect(file.spec.forProvider.file).toBe(`oam/applications/health/${ex.name}.yaml`);
    const written = parse(file.spec.forProvider.content) as { spec: { components: { name: string; type: string }[] } };
    expect(written.spec.components).toEqual([expect.objectContaining({ name: ex.name, type: 'knative-webservice' })]);
  });
});

describe('platform microservice create: bad phrases are named, never guessed', () => {
  // [phrase after NAME, the word the error must name, what the message must say]
  const BAD: [string, string, RegExp][] = [
    ['pyhton', 'pyhton', /unknown word "pyhton".*accepted: python, java, javascript, go, fastapi/],
    ['with mongo', 'mongo', /"mongo" is not accepted after "with"; accepted: database, postgresql, postgres, cache, redis/],
    ['python java', 'java', /"java" contradicts "python": both set language/],
    ['java fastapi', 'fastapi', /"fastapi" contradicts "java": both set language \(java vs python\)/],
    ['language springboot', 'springboot', /"springboot" is not accepted after "language"; accepted: python, java, javascript, go/],
    ['with database without database', 'without database', /"without database" contradicts "with database"/],
    ['database postgres without postgresql', 'without postgresql', /"without postgresql" contradicts "database postgres"/],
    ['iot true iot false', 'iot false', /"iot false" contradicts "iot true"/],
    ['iot maybe', 'maybe', /"maybe" is not accepted after "iot"; accepted: true, false/],
    ['iot', 'iot', /"iot" needs a value after it: true, false/],
    ['with', 'with', /"with" needs a value after it: database, postgresql, postgres, cache, redis/],
    ['port 99999', 'port 99999', /"port 99999": the port must be a number from 1 to 65535/],
    ['realtime Bad_Name', 'realtime Bad_Name', /"realtime Bad_Name": <platform> must match/],
    ['flask django', 'django', /"django" contradicts "flask": both set framework/],
  ];
  it.each(BAD)('x %s → names %s', async (phrase, word, message) => {
    const r = await platform('microservice', 'create', 'x', ...phrase.split(' '));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).toContain(`"${word}"`);
  });

  it.each([
    [['microservice', 'create'], /needs a NAME/],
    [['microservice', 'create', 'python'], /"python" is an option, not a name/],
    [['microservice', 'create', 'Order_Service'], /name "Order_Service" must match/],
    [['vcluster', 'create', 'env', 'huge'], /unknown word "huge" in vcluster create; accepted: small, medium, large/],
    [['vcluster', 'create', 'env', 'kubernetes', '1.20'], /"1.20" is not accepted after "kubernetes"; accepted: 1.29, 1.30, 1.31/],
    [['vcluster', 'create', 'env', 'small', 'size', 'large'], /"size large" contradicts "small"/],
    [['appcontainer', 'create', 'shop', 'iot', 'true'], /unknown word "iot" in appcontainer create/],
  ])('%j → %s', async (argv, message) => {
    const r = await platform(...argv);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });
});

describe('platform: help on every command', () => {
  it.each([
    ['help'],
    ['--help'],
    ['microservice', 'help'],
    ['/microservice', 'help'],
    ['service', 'help'],
    ['appcontainer', 'help'],
    ['vcluster', '--help'],
    ['render', 'help'],
    ['graph', '--help'],
    ['doctor', 'help'],
  ])('%j prints help and exits 0', async (...argv) => {
    const r = await platform(...argv);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^platform/);
  });

  it('microservice help lists every word of the seed grammar', async () => {
    const r = await slack('/microservice help');
    for (const word of [
      'python',
      'fastapi',
      'java',
      'springboot',
      'with database',
      'database|postgresql|postgres|cache|redis',
      'language python|java',
      'iot true|false',
      'database postgres|postgresql|none',
    ]) {
      expect(r.out).toContain(word.includes(' ') ? word.split(' ')[0] : word);
    }
    expect(r.out).toMatch(/iot\s+true\|false/);
    expect(r.out).toMatch(/with\s+database\|postgresql\|postgres\|cache\|redis/);
  });

  it('an unknown command is a usage error', async () => {
    const r = await platform('deploy');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "deploy"/);
  });
});

describe('platform vcluster and appcontainer create', () => {
  it('vcluster: the seed environment as an OAM component and as a claim the function composes', async () => {
    const r = await platform('vcluster', 'create', 'architecture-visualization', 'medium', 'with', 'istio', 'with', 'knative', 'with', 'observability', '-n', 'team-viz');
    expect(docsOf(r.out)[0].spec).toEqual({
      components: [{ name: 'architecture-visualization', type: 'vcluster', properties: { size: 'medium', features: { istio: true, knative: true, observability: true } } }],
    });
    const claim = await platform('vcluster', 'create', 'architecture-visualization', 'medium', 'with', 'istio', 'with', 'knative', 'with', 'observability', '-n', 'team-viz', '--claim');
    const out = await render(docsOf(claim.out));
    expect(out.results).toEqual([]);
    const releases = out.nodes.filter((n) => n.object.kind === 'HelmRelease').map((n) => n.object.metadata?.name);
    expect(releases).toEqual(['vcluster', 'istio-base', 'istiod', 'knative-operator', 'observability']);
  });

  it('appcontainer, and a service put into it with appcontainer NAME', async () => {
    const c = await platform('appcontainer', 'create', 'shop', 'go', 'with', 'cache');
    expect(docsOf(c.out)[0].spec).toEqual({
      components: [{ name: 'shop', type: 'application-infrastructure', properties: { name: 'shop', language: 'go', framework: 'gin', cache: 'redis' } }],
    });
    const s = await platform('microservice', 'create', 'cart', 'go', 'with', 'database', 'appcontainer', 'shop', '--claim', '-n', 'health');
    const out = await render(docsOf(s.out));
    const repo = out.nodes.find((n) => n.object.kind === 'Repository')!.object as KubeObject & { spec: { managementPolicies: string[] } };
    // The container repository is only observed, never created.
    expect(repo.metadata?.annotations?.['crossplane.io/external-name']).toBe('shop');
    expect(repo.spec.managementPolicies).toEqual(['Observe']);
  });
});

describe('platform microservice create --out: a change in a GitOps checkout', () => {
  it('writes where the application function writes, adds a service to an existing Application, refuses to replace one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-'));
    const a = await platform('appcontainer', 'create', 'shop', 'go', '-n', 'health', '--out', dir);
    expect(a.out).toBe('wrote oam/applications/health/shop.yaml\n');
    const b = await platform('microservice', 'create', 'cart', 'go', 'appcontainer', 'shop', '-n', 'health', '--out', dir);
    expect(b.code).toBe(0);
    const app = parse(readFileSync(join(dir, 'oam/applications/health/shop.yaml'), 'utf8')) as { spec: { components: { name: string }[] } };
    expect(app.spec.components.map((c) => c.name)).toEqual(['shop', 'cart-infrastructure', 'cart']);
    const again = await platform('microservice', 'create', 'cart', 'go', 'appcontainer', 'shop', '-n', 'health', '--out', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already has component cart-infrastructure, cart; not changing it/);
    const claim = await platform('microservice', 'create', 'cart', '--claim', '-n', 'health', '--out', dir);
    expect(claim.out).toBe('wrote claims/health/applicationclaim-cart.yaml\n');
  });
});

/** Edges as readable triples: `from -label-> to`, nodes by their name. */
function edges(g: Graph): string[] {
  const name = (id: string) => (id.startsWith('namespace:') ? id : g.nodes.find((n) => n.id === id)!.name);
  return g.edges.map((e) => `${name(e.from)} -${e.label}-> ${name(e.to)}`);
}
const node = (g: Graph, name: string) => g.nodes.find((n) => n.name === name);

describe('platform graph: the API examples', () => {
  it('event-driven-service: claim → composite → workload; the ScaledObject scales it; its Secret feeds it; the Service selects it', async () => {
    const r = await render(readDocs('examples/event-driven-service/claim.yaml'));
    const g = buildGraph(r);
    expect(node(g, 'my-service')?.kinds).toEqual(['EventDrivenService']);
    expect(g.nodes.find((n) => n.kinds.includes('Deployment'))?.kinds).toEqual(['ServiceAccount', 'Deployment', 'Service']);
    expect(edges(g)).toEqual(
      expect.arrayContaining([
        'my-service -binds-> my-service-d2ffd',
        'my-service-d2ffd -composes-> my-service-scaler',
        'my-service-scaler -scales-> my-service',
        'my-service-config -env-> my-service',
      ]),
    );
    expect(node(g, 'my-service-config')?.category).toBe('external');
    // Expanded, the Service's selector and the ServiceAccount are edges of their own.
    const full = edges(buildGraph(r, { expand: true }));
    expect(full).toEqual(expect.arrayContaining(['my-service -selects-> my-service', 'my-service -runs as-> my-service']));
  });

  it('realtime-platform: the whole stack collapsed to one screen, with its Secrets, routes and operator Secrets', async () => {
    const r = await render(readDocs('examples/realtime-platform/claim.yaml'), readDocs('examples/realtime-platform/required.yaml'));
    const g = buildGraph(r);
    const expanded = buildGraph(r, { expand: true });
    expect(r.nodes.length).toBeGreaterThan(45);
    expect(g.nodes.length).toBeLessThan(expanded.nodes.length - 10);
    expect(node(g, 'kafka')?.kinds).toEqual(['StatefulSet', 'Service']);
    expect(node(g, 'lenses-hq')?.kinds).toEqual(['Deployment', 'Service', 'VirtualService']);
    expect(node(g, '6 policies')?.kinds).toEqual(['NetworkPolicy']);
    expect(node(g, 'postgres-setup')?.kinds).toEqual(['ConfigMap', 'Job']);
    expect(edges(g)).toEqual(
      expect.arrayContaining([
        'health-data -binds-> health-data-b0254',
        'health-data-b0254 -composes-> namespace:health-data-realtime',
        'health-data-b0254 -composes-> health-data-kafka-secret',
        'platform-credentials -env-> postgres',
        'mosquitto-passwords -volume-> mqtt',
        'lenses-hq-config -volume-> lenses-hq',
        'health-data-gateway -gateway-> mqtt-websockets',
        'mqtt-websockets -routes-> mqtt',
        'lenses-license -read by function-> health-data-b0254',
        'mqtt-device1 -read by function-> health-data-b0254',
      ]),
    );
    // Expanded: the Services select their pods.
    expect(edges(expanded)).toEqual(expect.arrayContaining(['kafka -selects-> kafka', 'lenses-hq -routes-> lenses-hq']));
    const mermaid = toMermaid(g);
    expect(mermaid).toContain('subgraph ns_health_data_realtime["namespace health-data-realtime"]');
    expect(mermaid).toMatch(/n\d+ -->\|composes\| ns_health_data_realtime/);
    const svg = toSvg(g);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const n of g.nodes) expect(svg).toContain(`>${n.name}</text>`);
  });

  it('vcluster: add-ons installed through the vCluster kubeconfig, after the vCluster', async () => {
    const g = buildGraph(await render(readDocs('examples/vcluster/claim.yaml')));
    expect(edges(g)).toEqual(expect.arrayContaining(['vcluster-kubeconfig -kubeconfig-> istiod', 'istio-base -after-> istiod', 'vcluster -after-> knative-operator']));
  });

  it('application: the database Secret feeds the database; the function reads the live Application and the realtime Secret', async () => {
    const g = buildGraph(await render(readDocs('examples/application/claim.yaml'), readDocs('examples/application/required.yaml')));
    expect(edges(g)).toEqual(
      expect.arrayContaining([
        'my-health-service-db-secret -env-> my-health-service-db',
        'my-health-service-cache-secret -env-> my-health-service-cache',
        'my-custom-repo -read by function-> my-health-service-42233',
        'health-streaming-kafka-secret -read by function-> my-health-service-42233',
      ]),
    );
  });

  it('render prints each object under its summary, Secret values redacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-'));
    writeFileSync(join(dir, 'c.yaml'), readFileSync(join(ROOT, 'examples/application/claim.yaml')));
    const r = await platform('render', join(dir, 'c.yaml'), '-e', join(ROOT, 'examples/application/required.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('# StatefulSet health/my-health-service-db [db]: image postgres:');
    expect(r.out).toMatch(/DATABASE_PASSWORD: "<redacted: \d+ characters>"/);
    expect(r.out).not.toMatch(/DATABASE_PASSWORD: [A-Za-z0-9+/=]{20,}/);
    const invalid = await platform('render', join(ROOT, 'examples/application/invalid-claim.yaml'));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/fatal: .*spec.framework: framework must be one of the frameworks of language/);
  });
});
