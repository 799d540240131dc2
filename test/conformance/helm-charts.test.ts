/**
 * Every chart the platform installs, rendered by Helm from its source at the
 * pinned version (test/upstream/, README there) with the values our
 * definitions and functions put in the HelmRelease: Helm's values schema must
 * accept them, and every address and Secret the docs, outputs and traits
 * promise must be in Helm's output. Rendered by both pinned Helms
 * (test/support/helm.ts): the one Flux's helm-controller embeds, which installs
 * these releases, and the one ArgoCD bundles.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';
import { BITNAMI_LEGACY_IMAGES, CHARTS, HELM_PINS, VCLUSTER_FACTS } from '../../functions/lib/pins.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { K8S_VERSIONS, type VClusterSpec } from '../../functions/vcluster/api.js';
import { apiServerUrl, K8S_IMAGE_TAGS } from '../../functions/vcluster/compose.js';
import { compose as vclusterCompose } from '../../functions/vcluster/function.js';
import { MONGODB_SECRET_KEYS } from '../../synth/kubevela/catalog/data-services.js';
import { vcontext } from '../../harness/cue.js';
import { definition, evaluate } from '../../harness/oam.js';
import { ROOT, runTool } from '../../harness/tools.js';
import { settle } from '../../harness/request.js';
import { claim, desired } from '../support/request.js';
import { chartSource, containers, HELMS, helmTemplate, lockedCommon, podSpec, PublishedCharts, restrictedViolations, secretKeysRead, type Helm, type Rendered } from '../support/helm.js';

type Obj = Record<string, unknown>;
type Bitnami = keyof typeof BITNAMI_LEGACY_IMAGES;
const NS = 'team-a';
const COMPONENT = 'events';

const charts = new PublishedCharts();
afterAll(() => charts.cleanup());

/** The HelmRelease a Bitnami component definition emits for a component named `name`. */
function helmRelease(chart: Bitnami, params: Obj, name = COMPONENT): { release: string; values: Obj; chart: Obj } {
  const out = evaluate(definition('component', chart), params, vcontext(name, NS)).output as { spec: { releaseName: string; values: Obj; chart: { spec: Obj } } };
  return { release: out.spec.releaseName, values: out.spec.values, chart: out.spec.chart.spec };
}

/** Render, and fail with Helm's own message (a values schema error among them). */
function render(helm: Helm, chart: 'kafka' | 'redis' | 'mongodb' | 'vcluster', release: string, namespace: string, values: Obj): KubeObject[] {
  const r: Rendered = helmTemplate(helm, charts.path(chart), release, namespace, values);
  expect(r.code, `${helm} template ${chart}: ${r.stderr}`).toBe(0);
  return r.objects;
}

const find = (objects: KubeObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const servicePorts = (o: KubeObject | undefined) => ((o?.spec as { ports?: { port: number }[] } | undefined)?.ports ?? []).map((p) => p.port);
const secretKeys = (o: KubeObject | undefined) => Object.keys({ ...((o?.data as Obj | undefined) ?? {}), ...((o?.stringData as Obj | undefined) ?? {}) }).sort();

/** Parameters of each Bitnami definition that change which objects the chart renders. */
const VARIANTS: Record<Bitnami, Obj[]> = {
  kafka: [{}, { replicas: 3, topics: [{ name: 'orders', partitions: 6, replicationFactor: 3 }], metrics: true }],
  redis: [{}, { replicas: 2, metrics: true }, { password: { secretName: 'redis-auth' }, persistence: false }],
  mongodb: [{ database: 'catalog' }, { database: 'catalog', replicas: 2, metrics: true }, { database: 'catalog', replicas: 3, backup: { enabled: true }, auth: { existingSecret: 'mongo-auth' } }],
};

/** What the reference pages and the definitions' help say about a chart: its own page and those of the traits that connect to it. */
const PAGES: Record<Bitnami, string[]> = {
  kafka: [
    'docs/reference/kafka.md',
    'docs/reference/kafka-producer.md',
    'docs/reference/kafka-consumer.md',
    'definitions/components/kafka.yaml',
    'definitions/traits/kafka-producer.yaml',
    'definitions/traits/kafka-consumer.yaml',
  ],
  redis: ['docs/reference/redis.md', 'definitions/components/redis.yaml'],
  mongodb: ['docs/reference/mongodb.md', 'definitions/components/mongodb.yaml'],
};
const text = (chart: Bitnami) => PAGES[chart].map((p) => readFileSync(join(ROOT, p), 'utf8')).join('\n');

/**
 * Each `<component>…:port` the text names (with or without backticks): a
 * Service and port, or `<pod>.<service>:port`, a StatefulSet pod behind its
 * headless Service (`<i>` for the ordinal). And each Secret `<component>…`,
 * with the key named right after it.
 */
function promises(t: string) {
  const addresses = [...new Set([...t.matchAll(/<component>[A-Za-z0-9<>.-]*:\d+/g)].map((m) => m[0]))];
  const secrets = [...t.matchAll(/Secret `(<component>[^`]*)`(?:,? \(?key `([^`]+)`)?/g)].map((m) => ({ name: m[1], key: m[2] as string | undefined }));
  return { addresses, secrets };
}

describe('Helm renders the pinned charts with our values', () => {
  it("the committed sources are the pinned releases; each Bitnami chart's locked bitnami/common is committed beside it", () => {
    const chartYaml = (dir: string) => parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as { name: string; version: string };
    for (const c of Object.keys(VARIANTS) as Bitnami[]) {
      expect(chartYaml(chartSource(c))).toMatchObject({ name: CHARTS[c].chart, version: CHARTS[c].version });
      const common = join(ROOT, 'test/upstream/bitnami', `common-${lockedCommon(c)}`);
      expect(existsSync(common), common).toBe(true);
      expect(chartYaml(common)).toMatchObject({ name: 'common', version: lockedCommon(c) });
    }
    // vCluster's Chart.yaml carries a placeholder version; the release workflow sets it when publishing.
    expect(chartYaml(chartSource('vcluster')).name).toBe(CHARTS.vcluster.chart);
    expect(readFileSync(join(chartSource('vcluster'), '../.github/workflows/release.yaml'), 'utf8')).toMatch(
      /helm cm-push --force --version="\$RELEASE_VERSION" --app-version="\$RELEASE_VERSION" chart/,
    );
  });

  it('the Helms are the pinned ones: the module tools/helm*/go.mod requires and the version the binary reports', () => {
    for (const [helm, dir, pin] of [
      ['helm-flux', 'tools/helm/flux', HELM_PINS.flux],
      ['helm', 'tools/helm', HELM_PINS.argocd],
    ] as const) {
      expect(readFileSync(join(ROOT, dir, 'go.mod'), 'utf8')).toMatch(new RegExp(`^require ${pin.module.replaceAll('.', '\\.')} ${pin.version}$`, 'm'));
      expect(runTool(helm, ['version', '--template', '{{.Version}}']).stdout).toBe(pin.version);
    }
  });

  describe.each(HELMS)('%s', (helm) => {
    describe.each(Object.keys(VARIANTS) as Bitnami[])('%s', (chart) => {
      let rendered: { params: Obj; objects: KubeObject[] }[] | undefined;
      const renders = () =>
        (rendered ??= VARIANTS[chart].map((p) => {
          const hr = helmRelease(chart, p);
          expect(hr.chart).toMatchObject({ chart: CHARTS[chart].chart, version: CHARTS[chart].version });
          return { params: p, objects: render(helm, chart, hr.release, NS, hr.values) };
        }));

      it('every address and Secret the docs promise exists in what Helm renders', () => {
        const all = renders().flatMap((r) => r.objects);
        const { addresses, secrets } = promises(text(chart));
        expect(addresses.length, 'the docs name no address').toBeGreaterThan(0);
        for (const a of addresses) {
          const [host, port] = a.replaceAll('<component>', COMPONENT).split(':');
          const [first, ...rest] = host.split('.');
          if (rest.length === 0) {
            expect(servicePorts(find(all, 'Service', first)), `${a}: Service ${first} with port ${port}`).toContain(Number(port));
            continue;
          }
          // <pod>.<service>: a StatefulSet's pod, whose serviceName is that (headless) Service.
          const service = rest.join('.');
          expect(servicePorts(find(all, 'Service', service)), `${a}: Service ${service} with port ${port}`).toContain(Number(port));
          const sts = first.replace(/-<i>$/, '');
          expect(podSpec(find(all, 'StatefulSet', sts) ?? {}) && (find(all, 'StatefulSet', sts)?.spec as { serviceName?: string }).serviceName, `${a}: StatefulSet ${sts} behind ${service}`).toBe(
            service,
          );
        }
        for (const s of secrets) {
          const name = s.name.replaceAll('<component>', COMPONENT);
          const secret = find(all, 'Secret', name);
          expect(secret, `Secret ${s.name}`).toBeDefined();
          if (s.key) expect(secretKeys(secret), `Secret ${s.name} key ${s.key}`).toContain(s.key);
        }
      });

      it('every container has CPU and memory requests and limits; every image is the pinned bitnamilegacy one', () => {
        for (const { objects } of renders()) {
          for (const [where, c] of containers(objects)) {
            for (const k of ['requests', 'limits'] as const) expect(Object.keys(c.resources?.[k] ?? {}).sort(), `${where} ${k}`).toEqual(expect.arrayContaining(['cpu', 'memory']));
            const pinned = Object.values(BITNAMI_LEGACY_IMAGES[chart]).map((i) => `docker.io/${i.repository}:${i.tag}`);
            expect(pinned, `${where}: ${c.image}`).toContain(c.image);
          }
        }
      });

      it('every pod is admitted under the restricted Pod Security profile', () => {
        for (const { params, objects } of renders()) expect(restrictedViolations(objects), JSON.stringify(params)).toEqual([]);
      });
    });

    it('kafka: the chart\'s full name drops the -kafka suffix when the component name contains "kafka"', () => {
      const hr = helmRelease('kafka', {}, 'orders-kafka');
      const objects = render(helm, 'kafka', hr.release, NS, hr.values);
      expect(servicePorts(find(objects, 'Service', 'orders-kafka'))).toContain(9092);
      expect(find(objects, 'Service', 'orders-kafka-kafka')).toBeUndefined();
    });

    it('redis: without a password Secret, the Secret the chart generates and the pods read is the one the help names', () => {
      const hr = helmRelease('redis', {});
      const objects = render(helm, 'redis', hr.release, NS, hr.values);
      const generated = objects.filter((o) => o.kind === 'Secret' && secretKeys(o).includes('redis-password')).map((o) => o.metadata!.name!);
      expect(generated).toEqual([`${COMPONENT}-redis`]);
      expect(secretKeysRead(objects, generated[0])).toEqual(['redis-password']);
      const help = /^\| `password` .*$/m.exec(readFileSync(join(ROOT, 'docs/reference/redis.md'), 'utf8'))?.[0] ?? '';
      expect(help).toContain(`Secret \`${generated[0].replace(COMPONENT, '<component>')}\` (key \`redis-password\`)`);
    });

    it('mongodb: the keys the pods read from auth.existingSecret are the ones its help names', () => {
      const help = /^\| `auth\.existingSecret` .*$/m.exec(readFileSync(join(ROOT, 'docs/reference/mongodb.md'), 'utf8'))?.[0] ?? '';
      for (const replicas of [1, 2, 3]) {
        const hr = helmRelease('mongodb', { database: 'catalog', replicas, metrics: true, auth: { existingSecret: 'mongo-auth' } });
        const objects = render(helm, 'mongodb', hr.release, NS, hr.values);
        expect(find(objects, 'Secret', `${COMPONENT}-mongodb`), 'no Secret of its own').toBeUndefined();
        const read = secretKeysRead(objects, 'mongo-auth');
        expect(read, `replicas ${replicas}`).toEqual([...MONGODB_SECRET_KEYS.always, ...(replicas > 1 ? MONGODB_SECRET_KEYS.replicaSet : [])].sort());
        for (const key of read) expect(help, `the help of auth.existingSecret names ${key}`).toContain(key);
      }
    });

    it('mongodb: a replica set has that many data-bearing members, and an arbiter only when that number is even', () => {
      for (const replicas of [2, 3, 4]) {
        const hr = helmRelease('mongodb', { database: 'catalog', replicas });
        const objects = render(helm, 'mongodb', hr.release, NS, hr.values);
        expect((find(objects, 'StatefulSet', `${COMPONENT}-mongodb`)?.spec as { replicas?: number }).replicas, `replicas ${replicas}`).toBe(replicas);
        expect(find(objects, 'StatefulSet', `${COMPONENT}-mongodb-arbiter`) !== undefined, `arbiter with replicas ${replicas}`).toBe(replicas % 2 === 0);
      }
    });

    it.each([
      // The Bitnami schemas give types (no additionalProperties: false); vCluster's is closed.
      ['redis', { architecture: 3 }, /architecture/],
      ['mongodb', { replicaCount: 'three' }, /replicaCount/],
      ['vcluster', { controlPlane: { distro: { k8s: { versions: 'v1.31.1' } } } }, /versions|additional/i],
    ] as const)("%s: Helm checks values against the chart's values.schema.json (a wrong type or key fails the render)", (chart, values, message) => {
      const r = helmTemplate(helm, charts.path(chart), 'x', NS, values);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/schema/i);
      expect(r.stderr).toMatch(message);
    });

    describe('vcluster', () => {
      /** The vcluster HelmRelease the function composes for a claim (after its namespace is observed). */
      async function vclusterRelease(spec: Partial<VClusterSpec> | Obj) {
        const c = claim('VClusterEnvironmentClaim', 'viz', 'team-viz', spec);
        const hr = desired((await settle(vclusterCompose, c, [])).rsp).vcluster as unknown as { metadata: { namespace: string }; spec: { releaseName: string; values: Obj; chart: { spec: Obj } } };
        expect(hr.spec.chart.spec).toMatchObject({ chart: CHARTS.vcluster.chart, version: CHARTS.vcluster.version });
        return hr;
      }

      it.each(K8S_VERSIONS)('Kubernetes %s: the API server and controller manager images are that version; the Service and config the kubeconfig points at', async (version) => {
        const hr = await vclusterRelease({ kubernetes: { version }, networking: { exposeApi: version === '1.29' } });
        const ns = hr.metadata.namespace;
        const objects = render(helm, 'vcluster', hr.spec.releaseName, ns, hr.spec.values);
        const sts = objects.find((o) => o.kind === 'StatefulSet' || (o.kind === 'Deployment' && o.metadata?.name === hr.spec.releaseName))!;
        const images = Object.fromEntries(containers([sts]).map(([, c]) => [c.name, c.image]));
        expect(images['kube-apiserver'], JSON.stringify(images)).toMatch(new RegExp(`/kube-apiserver:${K8S_IMAGE_TAGS[version]}$`));
        expect(images['kube-controller-manager']).toMatch(new RegExp(`/kube-controller-manager:${K8S_IMAGE_TAGS[version]}$`));
        // The Service helm-controller reaches: named after the release, port 443, in the host namespace.
        expect(new URL(apiServerUrl(ns)).hostname).toBe(`${hr.spec.releaseName}.${ns}`);
        const svc = find(objects, 'Service', hr.spec.releaseName);
        expect(servicePorts(svc)).toContain(443);
        expect(svc?.metadata?.namespace).toBe(ns);
        // The syncer learns its name (the certificate's first SAN) from VCLUSTER_NAME = the release.
        const syncer = containers([sts]).find(([, c]) => (c.env ?? []).some((e) => e.name === 'VCLUSTER_NAME'))?.[1];
        expect(syncer?.env?.find((e) => e.name === 'VCLUSTER_NAME')?.value).toBe(hr.spec.releaseName);
        // The values reach the vCluster as its config, exportKubeConfig included.
        const config = objects.find((o) => o.kind === 'Secret' && /config/.test(String(o.metadata?.name)));
        const raw = Buffer.from(String((config?.data as Obj | undefined)?.['config.yaml'] ?? ''), 'base64').toString();
        expect(raw).toContain(apiServerUrl(ns));
      });

      it('every container has CPU and memory requests and limits', async () => {
        const hr = await vclusterRelease({});
        const objects = render(helm, 'vcluster', hr.spec.releaseName, hr.metadata.namespace, hr.spec.values);
        const missing = containers(objects).filter(([, c]) => ['requests', 'limits'].some((k) => !['cpu', 'memory'].every((r) => (c.resources?.[k as 'requests'] ?? {})[r] !== undefined)));
        expect(missing.map(([w, c]) => `${w}: ${JSON.stringify(c.resources ?? {})}`)).toEqual([]);
      });

      it('the add-ons read the kubeconfig from the key the vCluster writes', async () => {
        const c = claim('VClusterEnvironmentClaim', 'viz', 'team-viz', { features: { argocd: true } });
        const argocd = desired((await settle(vclusterCompose, c, [])).rsp).argocd as unknown as { spec: { kubeConfig: { secretRef: { key: string } } } };
        expect(argocd.spec.kubeConfig.secretRef.key).toBe(VCLUSTER_FACTS.kubeconfigSecretKey.key);
      });
    });
  });
});
