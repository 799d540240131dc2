/**
 * The pins of functions/lib/pins.ts held to the upstream files committed in
 * test/upstream/ (taken at the pinned tags by test/upstream/extract.sh):
 * the Bitnami charts' values keys, types and images at the pinned chart
 * versions; the CRD files the schema test validates against are those of the
 * pinned releases; the validator itself refuses what an API server would;
 * package paths, image tags and the Lenses agent's storage settings.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { BITNAMI_LEGACY_IMAGES, CHART_REPOSITORIES, CHARTS, CONTROLLER_PINS, IMAGE_PINS, PACKAGES } from '../../functions/lib/pins.js';
import { vcontext } from '../../harness/cue.js';
import { definition, evaluate } from '../../harness/oam.js';
import { ROOT } from '../../harness/tools.js';
import { SchemaRegistry } from '../support/schemas.js';
import { compose as realtimePlatform } from '../../functions/realtime-platform/function.js';
import { desired } from '../support/request.js';
import { settle } from '../../harness/request.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Every key path of `ours` that the chart's values.yaml does not have, or
 * whose type differs from the chart's default. A list is checked element by
 * element against the chart's first element when the chart gives one; an
 * empty map in values.yaml (`resources: {}`, `podLabels: {}`) is free-form,
 * passed as it is into the manifest.
 */
function unknownKeys(ours: unknown, theirs: unknown, path = ''): string[] {
  if (isObj(ours)) {
    if (!isObj(theirs)) return theirs === undefined || theirs === null ? [] : [`${path}: an object where the chart has ${typeof theirs}`];
    if (Object.keys(theirs).length === 0) return [];
    return Object.entries(ours).flatMap(([k, v]) => (k in theirs ? unknownKeys(v, theirs[k], path ? `${path}.${k}` : k) : [`${path ? `${path}.` : ''}${k}: not in the chart's values.yaml`]));
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(theirs)) return theirs === undefined || theirs === null ? [] : [`${path}: a list where the chart has ${typeof theirs}`];
    return theirs.length ? ours.flatMap((v, i) => unknownKeys(v, theirs[0], `${path}[${i}]`)) : [];
  }
  if (theirs === undefined || theirs === null || theirs === '') return [];
  return typeof ours === typeof theirs ? [] : [`${path}: ${typeof ours} where the chart has ${typeof theirs}`];
}

const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (isObj(x) ? x[k] : undefined), o);

/** Minimal and full parameters of the Bitnami-based definitions (each option on). */
const BITNAMI_PARAMS: Record<keyof typeof BITNAMI_LEGACY_IMAGES, Obj[]> = {
  kafka: [
    {},
    { replicas: 3, storageSize: '20Gi', topics: [{ name: 'orders', partitions: 6, replicationFactor: 3 }], metrics: true, resources: { cpu: '1', memory: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' } },
  ],
  redis: [{}, { replicas: 2, storageSize: '4Gi', persistence: false, password: { secretName: 'redis-auth', key: 'pw' }, metrics: true }],
  mongodb: [
    { database: 'catalog' },
    { replicas: 3, database: 'catalog', auth: { enabled: true, username: 'shop', existingSecret: 'mongo-auth' }, backup: { enabled: true, schedule: '30 1 * * *', storageSize: '2Gi' }, metrics: true },
  ],
};

describe('Bitnami charts: every values key the definitions set exists at the pinned chart version', () => {
  describe.each(Object.keys(BITNAMI_PARAMS) as (keyof typeof BITNAMI_PARAMS)[])('%s', (chart) => {
    const pin = CHARTS[chart];
    const dir = join(ROOT, 'test/upstream/bitnami', `${chart}-${pin.version}`);
    const upstream = () => parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) as Obj;

    it(`the chart files of ${pin.version} are committed, and that is the release the definition installs`, () => {
      expect(existsSync(dir), `${dir}: run test/upstream/extract.sh after changing the pin`).toBe(true);
      expect((parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Obj).version).toBe(pin.version);
      const out = evaluate(definition('component', chart), BITNAMI_PARAMS[chart][0], vcontext('c', 'ns', 'app')).output as Obj;
      expect(at(out, 'spec.chart.spec')).toMatchObject({ chart: pin.chart, version: pin.version, sourceRef: { kind: 'HelmRepository', name: pin.repository } });
    });

    it.each(BITNAMI_PARAMS[chart].map((p, i) => [i ? 'full' : 'minimal', p] as const))("%s parameters: known keys, the chart's types, its values.schema.json", (_l, params) => {
      const values = at(evaluate(definition('component', chart), params, vcontext('c', 'ns', 'app')).output, 'spec.values') as Obj;
      expect(unknownKeys(values, upstream())).toEqual([]);
      const schemaFile = join(dir, 'values.schema.json');
      if (existsSync(schemaFile)) {
        // Helm validates the merged values against the chart's schema.
        const check = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
        expect(check(values), JSON.stringify(check.errors)).toBe(true);
      }
    });

    it("every image is the chart's own image and tag, from bitnamilegacy, with the charts' insecure-images switch", () => {
      const values = at(evaluate(definition('component', chart), BITNAMI_PARAMS[chart][0], vcontext('c', 'ns', 'app')).output, 'spec.values') as Obj;
      expect(at(values, 'global.security.allowInsecureImages')).toBe(true);
      expect(at(upstream(), 'global.security.allowInsecureImages')).toBe(false); // the key exists at this version
      const chartImages: string[] = [];
      const walk = (o: unknown, p: string) => {
        if (!isObj(o)) return;
        if (typeof o.repository === 'string' && o.repository.startsWith('bitnami/')) chartImages.push(p);
        for (const [k, v] of Object.entries(o)) walk(v, p ? `${p}.${k}` : k);
      };
      walk(upstream(), '');
      // Every image the chart can run is overridden, none is invented.
      expect(Object.keys(BITNAMI_LEGACY_IMAGES[chart]).sort()).toEqual(chartImages.sort());
      for (const [path, image] of Object.entries(BITNAMI_LEGACY_IMAGES[chart])) {
        const theirs = at(upstream(), path) as { registry: string; repository: string; tag: string };
        expect(image, path).toEqual({ repository: theirs.repository.replace(/^bitnami\//, 'bitnamilegacy/'), tag: theirs.tag });
        expect(at(values, path), path).toEqual({ registry: theirs.registry, ...image });
      }
    });
  });

  it("the charts come from Bitnami's OCI registry through a Flux HelmRepository of type oci", () => {
    expect(CHART_REPOSITORIES.bitnami).toMatchObject({ url: 'oci://registry-1.docker.io/bitnamicharts', type: 'oci' });
    const sources = readFileSync(join(ROOT, 'install/flux-sources.yaml'), 'utf8')
      .split(/^---$/m)
      .map((d) => parse(d) as Obj);
    expect(sources.find((s) => at(s, 'metadata.name') === 'bitnami')?.spec).toEqual({ interval: '1h', type: 'oci', url: 'oci://registry-1.docker.io/bitnamicharts' });
  });
});

describe('the upstream CRD files are those of the pinned releases', () => {
  const expectedTag: Record<string, string> = {
    'fluxcd-community/helm-charts': `flux2-${CONTROLLER_PINS.flux.chart.version}`,
    'kedacore/charts': `v${CONTROLLER_PINS.keda.chart.version}`,
    'external-secrets/external-secrets': CONTROLLER_PINS['external-secrets'].version,
    'knative/serving': `knative-${CONTROLLER_PINS['knative-serving'].version}`,
    'istio/istio': CONTROLLER_PINS.istio.version,
    'crossplane-contrib/provider-upjet-github': PACKAGES['provider-upjet-github'].version,
    'kubevela/kubevela': `v${CONTROLLER_PINS.kubevela.version}`,
  };
  // A folder per release, named <pin>-<version>, holds CRDs copied unchanged (SOURCES.md names repo, tag, path).
  const FOLDERS: Record<string, string> = {
    karpenter: CONTROLLER_PINS.karpenter.version,
    'training-operator': CONTROLLER_PINS['training-operator'].version,
    'provider-terraform': PACKAGES['provider-terraform'].version,
    'provider-upjet-aws': PACKAGES['provider-aws-apigatewayv2'].version,
  };
  const entries = readdirSync(join(ROOT, 'test/upstream/crds'), { withFileTypes: true });
  it.each(entries.filter((e) => e.isDirectory()).map((e) => e.name))('%s', (dir) => {
    const m = /^(.+)-(v[0-9.]+)$/.exec(dir);
    expect(m, dir).not.toBeNull();
    expect(m![2]).toBe(FOLDERS[m![1]]);
    expect(readFileSync(join(ROOT, 'test/upstream/crds/SOURCES.md'), 'utf8')).toContain(`| ${dir} |`);
  });
  it.each(entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => e.name))('%s', (file) => {
    const first = readFileSync(join(ROOT, 'test/upstream/crds', file), 'utf8').split('\n')[0];
    const m = /^# source: (\S+) \S+@(\S+)$/.exec(first);
    expect(m, first).not.toBeNull();
    expect(m![2]).toBe(expectedTag[m![1]]);
  });
  it('test/upstream/README.md names the repository, tag and path of each chart and source folder', () => {
    const readme = readFileSync(join(ROOT, 'test/upstream/README.md'), 'utf8');
    for (const c of ['kafka', 'redis', 'mongodb'] as const) expect(readme).toContain(`| bitnami/${c}-${CHARTS[c].version} | bitnami/charts | ${c}/${CHARTS[c].version} | bitnami/${c} |`);
    expect(readme).toContain(`| vcluster-v${CHARTS.vcluster.version}/chart | loft-sh/vcluster | v${CHARTS.vcluster.version} | chart |`);
    for (const dir of readdirSync(join(ROOT, 'test/upstream/bitnami'))) expect(readme, dir).toContain(`| bitnami/${dir} |`);
  });
  it('the Kubernetes schemas are those of the pinned release', () => {
    const k8s = JSON.parse(readFileSync(join(ROOT, `test/upstream/kubernetes-${CONTROLLER_PINS.kubernetes.version}-openapi-subset.json`), 'utf8')) as { source: string };
    expect(k8s.source).toContain(`v${CONTROLLER_PINS.kubernetes.version}`);
  });
});

describe('the validator refuses what the API server would', () => {
  const registry = new SchemaRegistry();
  const errors = (o: Obj) => registry.check(o)?.errors ?? ['no schema'];
  const deployment = (container: Obj, spec: Obj = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'a' },
    spec: { selector: { matchLabels: { a: 'a' } }, template: { metadata: { labels: { a: 'a' } }, spec: { containers: [{ name: 'a', image: 'a:1', ...container }] } }, ...spec },
  });
  const externalSecret = (apiVersion: string) => ({
    apiVersion,
    kind: 'ExternalSecret',
    metadata: { name: 'a' },
    spec: { secretStoreRef: { name: 's', kind: 'ClusterSecretStore' }, target: { name: 't' }, data: [{ secretKey: 'k', remoteRef: { key: 'r', property: 'p' } }] },
  });

  it('accepts a valid object', () => {
    expect(errors(deployment({ ports: [{ containerPort: 80 }], resources: { limits: { cpu: 1, memory: '1Gi' } } }))).toEqual([]);
    expect(errors(externalSecret('external-secrets.io/v1'))).toEqual([]);
  });
  it('an unknown field', () => {
    expect(errors(deployment({ bogus: true }))).toEqual(['/spec/template/spec/containers/0 must NOT have additional properties: bogus']);
  });
  it('a wrong type', () => {
    expect(errors(deployment({}, { replicas: 'two' }))).toEqual(['/spec/replicas must be integer']);
  });
  it('an apiVersion the release no longer serves: ExternalSecret v1beta1 (External Secrets v0.17.0, PR #4758)', () => {
    expect(errors(externalSecret('external-secrets.io/v1beta1'))[0]).toMatch(/external-secrets.io\/v1beta1 is not served for ExternalSecret/);
  });
  it('an unknown field in a CRD kind, and a value outside its enum', () => {
    const repo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'a' }, spec: { url: 'oci://r/x', interval: '1h' } };
    expect(errors({ ...repo, spec: { ...repo.spec, type: 'oci' } })).toEqual([]);
    expect(errors({ ...repo, spec: { ...repo.spec, type: 'docker' } })[0]).toMatch(/^\/spec\/type must be equal to one of the allowed values/);
    expect(errors({ ...repo, spec: { ...repo.spec, oci: true } })).toEqual(['/spec must NOT have additional properties: oci']);
  });
});

describe('packages and images', () => {
  it('provider-upjet-github: a package path that serves the pinned version', () => {
    const p = PACKAGES['provider-upjet-github'];
    const [major, minor] = p.version.replace(/^v/, '').split('.').map(Number);
    // xpkg.crossplane.io carries this provider from v0.19.0 on; v0.18.x exists only under
    // xpkg.upbound.io/crossplane-contrib (provider-upjet-github Makefile@v0.18.7 and @v0.19.1).
    if (p.package.startsWith('xpkg.crossplane.io/')) expect(major > 0 || minor >= 19, `${p.package}:${p.version}`).toBe(true);
    else expect(p.package).toBe('xpkg.upbound.io/crossplane-contrib/provider-upjet-github');
    expect(readFileSync(join(ROOT, 'install/providers.yaml'), 'utf8')).toContain(`package: ${p.package}:${p.version}`);
  });

  it('provider-terraform: the crossplane-contrib package, installed by install/providers.yaml, whose CRD the tests use', () => {
    const p = PACKAGES['provider-terraform'];
    expect(`${p.package}:${p.version}`).toBe('xpkg.crossplane.io/crossplane-contrib/provider-terraform:v1.1.1');
    expect(readFileSync(join(ROOT, 'install/providers.yaml'), 'utf8')).toContain(`package: ${p.package}:${p.version}`);
    expect(existsSync(join(ROOT, `test/upstream/crds/provider-terraform-${p.version}`))).toBe(true);
  });

  it('no image is pinned to a moving or preview tag', () => {
    for (const [name, pin] of Object.entries(IMAGE_PINS)) {
      const tag = pin.ref.split(':').at(-1)!;
      expect(tag, name).not.toMatch(/^(latest|.*preview.*|.*-rc.*|.*snapshot.*)$/i);
      expect(pin.source, name).not.toBe('');
    }
  });
});

describe('Lenses (release 6.1)', () => {
  it("the agent's storage settings are the documented lenses.storage.postgres keys", async () => {
    const claim = parse(readFileSync(join(ROOT, 'examples/realtime-platform/claim.yaml'), 'utf8')) as KubeObject;
    const cluster = parseAllDocuments(readFileSync(join(ROOT, 'examples/realtime-platform/required.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
    const agent = desired((await settle(realtimePlatform, claim, cluster)).rsp)['lenses-agent'] as { spec: { template: { spec: { containers: { image: string; env: { name: string }[] }[] } } } };
    const c = agent.spec.template.spec.containers[0];
    expect(c.image).toBe(IMAGE_PINS.lensesAgent.ref);
    // The image turns LENSES_* variables into configuration keys: lower case, `_` → `.`
    // (docs.lenses.io "Docker": "Environment variables prefixed with LENSES_ are transformed
    // into corresponding configuration options"); the agent's Postgres keys are those of
    // docs.lenses.io/latest/devx/6.2/deployment/configuration/agent/database (host, port,
    // username, password, database; schema optional).
    const POSTGRES_KEYS = ['host', 'port', 'username', 'password', 'database', 'schema'];
    const storage = c.env
      .map((e) => e.name)
      .filter((n) => n.startsWith('LENSES_STORAGE_'))
      .map((n) => n.toLowerCase().replace(/_/g, '.'));
    expect(storage.sort()).toEqual(['host', 'port', 'username', 'password', 'database'].map((k) => `lenses.storage.postgres.${k}`).sort());
    for (const key of storage) expect(POSTGRES_KEYS).toContain(key.replace('lenses.storage.postgres.', ''));
  });

  it('HQ and agent run the released 6.1 images', () => {
    expect(IMAGE_PINS.lensesHq.ref).toBe('lensesio/lenses-hq:6.1');
    expect(IMAGE_PINS.lensesAgent.ref).toBe('lensesio/lenses-agent:6.1');
  });
});
