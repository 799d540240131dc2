/**
 * The traits domain-route, autoscaler, kafka-producer and kafka-consumer
 * (synth/kubevela/catalog/traits.ts), evaluated with the real cue v0.9.2: what
 * each patches, KubeVela's trait semantics (bug 1) and the workloads each
 * refuses (bug 4).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CATALOG } from '../../../synth/kubevela/catalog/index.js';
import { applyOverride, definition, evaluate, renderComponent } from '../../../harness/oam.js';
import { ROOT } from '../../../harness/tools.js';
import { type Any, ctx, DEPLOYMENT_OUTPUT, fails, KNATIVE_OUTPUT } from '../../support/catalog.js';

describe('traits', () => {
  it('domain-route on a Knative Service: a DomainMapping, with TLS', () => {
    const r = evaluate(definition('trait', 'domain-route'), { domain: 'api.example.com', tls: { enabled: true } }, ctx(), KNATIVE_OUTPUT);
    expect(r.outputs.ingress).toEqual({
      apiVersion: 'serving.knative.dev/v1beta1',
      kind: 'DomainMapping',
      metadata: { name: 'api.example.com' },
      spec: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'my-comp' }, tls: { secretName: 'my-comp-tls' } },
    });
  });

  it('domain-route on a Deployment: an Ingress on the istio class to the component Service', () => {
    const r = evaluate(definition('trait', 'domain-route'), { domain: 'api.example.com', path: '/v1', port: 9000 }, ctx(), DEPLOYMENT_OUTPUT);
    expect(r.outputs.ingress).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'my-comp' },
      spec: {
        ingressClassName: 'istio',
        rules: [{ host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'my-comp', port: { number: 9000 } } } }] } }],
      },
    });
  });

  it.each([
    ['a path on a Knative Service', { domain: 'a.example.com', path: '/api' }, KNATIVE_OUTPUT, 'path must be /'],
    ['no domain', {}, DEPLOYMENT_OUTPUT, 'domain'],
  ])('domain-route rejects %s', (_l, params, output, message) => {
    expect(fails('trait', 'domain-route', params, output)).toContain(message);
  });

  it('autoscaler on a Knative Service: annotations, HPA class for a CPU target', () => {
    const kpa = evaluate(definition('trait', 'autoscaler'), { min: 0, max: 4 }, ctx(), KNATIVE_OUTPUT);
    expect(kpa.patch).toEqual({ spec: { template: { metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '4' } } } } });
    expect(kpa.outputs).toEqual({});
    const hpa = evaluate(definition('trait', 'autoscaler'), { cpu: 70 }, ctx(), KNATIVE_OUTPUT);
    expect((hpa.patch as Any).spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '1',
      'autoscaling.knative.dev/max-scale': '10',
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'cpu',
      'autoscaling.knative.dev/target': '70',
    });
  });

  it('autoscaler on a Deployment: an HPA with the CPU (percent) and memory (MiB, as Knative) targets, 80% CPU by default', () => {
    const both = evaluate(definition('trait', 'autoscaler'), { min: 2, max: 8, cpu: 60, memory: 300 }, ctx(), DEPLOYMENT_OUTPUT);
    expect(both.outputs.hpa).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'my-comp' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-comp' },
        minReplicas: 2,
        maxReplicas: 8,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '300Mi' } } },
        ],
      },
    });
    expect(both.patch).toBeUndefined();
    const dflt = evaluate(definition('trait', 'autoscaler'), {}, ctx(), DEPLOYMENT_OUTPUT);
    expect((dflt.outputs.hpa as Any).spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it.each([
    ['two metrics on Knative', { cpu: 50, memory: 50 }, KNATIVE_OUTPUT, 'one metric'],
    ['min 0 on a Deployment', { min: 0 }, DEPLOYMENT_OUTPUT, 'min must be at least 1'],
    ['min above max', { min: 5, max: 2 }, DEPLOYMENT_OUTPUT, 'min must not exceed max'],
    ['a CPU target above 100', { cpu: 150 }, DEPLOYMENT_OUTPUT, 'cpu'],
  ])('autoscaler rejects %s', (_l, params, output, message) => {
    expect(fails('trait', 'autoscaler', params, output)).toContain(message);
  });

  it('kafka-producer wired to a realtime platform: brokers from its Kafka Secret, merged into the container by name', () => {
    const r = evaluate(definition('trait', 'kafka-producer'), { platform: 'health-data', topics: ['a', 'b'] }, ctx(), KNATIVE_OUTPUT);
    expect(r.patch).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'my-comp',
                env: [
                  { name: 'KAFKA_BOOTSTRAP_SERVERS', valueFrom: { secretKeyRef: { name: 'health-data-kafka-secret', key: 'KAFKA_BOOTSTRAP_SERVERS' } } },
                  { name: 'KAFKA_PRODUCER_TOPICS', value: 'a,b' },
                  { name: 'KAFKA_CLIENT_ID', value: 'my-comp' },
                ],
              },
            ],
          },
        },
      },
    });
  });

  it('kafka-consumer with literal brokers: topics, group and offset reset', () => {
    const r = evaluate(
      definition('trait', 'kafka-consumer'),
      { bootstrapServers: 'events-kafka:9092', topics: ['orders.created'], consumerGroup: 'shipping', offsetReset: 'earliest' },
      ctx(),
      DEPLOYMENT_OUTPUT,
    );
    expect((r.patch as Any).spec.template.spec.containers[0].env).toEqual([
      { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'events-kafka:9092' },
      { name: 'KAFKA_CONSUMER_TOPICS', value: 'orders.created' },
      { name: 'KAFKA_CONSUMER_GROUP', value: 'shipping' },
      { name: 'KAFKA_AUTO_OFFSET_RESET', value: 'earliest' },
    ]);
  });

  it.each([
    ['kafka-producer', 'both platform and brokers', { platform: 'p', bootstrapServers: 'k:9092', topics: ['t'] }, 'exactly one of platform and bootstrapServers'],
    ['kafka-producer', 'neither', { topics: ['t'] }, 'exactly one of platform and bootstrapServers'],
    ['kafka-producer', 'no topics', { platform: 'p', topics: [] }, 'topics'],
    ['kafka-consumer', 'no consumer group', { platform: 'p', topics: ['t'] }, 'consumerGroup'],
  ])('%s rejects %s', (type, _l, params, message) => {
    expect(fails('trait', type, params, KNATIVE_OUTPUT)).toContain(message);
  });
});

describe("KubeVela's trait semantics (bug 1): a trait wins over the component where it must", () => {
  const api = (scaling: Any, autoscaler: Any) =>
    renderComponent({ name: 'api', type: 'knative-webservice', properties: { image: 'acme/api:1', scaling }, traits: [{ type: 'autoscaler', properties: autoscaler }] });
  const annotations = (c: { output: Any }) => c.output.spec.template.metadata.annotations as Record<string, string>;

  it('autoscaler replaces the min, max and target the knative-webservice set (+patchStrategy=retainKeys)', () => {
    expect(annotations(api({ minScale: 2, maxScale: 5 }, { min: 1, max: 20, cpu: 70 }))).toEqual({
      'autoscaling.knative.dev/min-scale': '1',
      'autoscaling.knative.dev/max-scale': '20',
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'cpu',
      'autoscaling.knative.dev/target': '70',
    });
  });

  it("a memory target is Knative's: MiB per replica on the HPA class", () => {
    expect(annotations(api({}, { min: 1, max: 4, memory: 256 }))).toMatchObject({ 'autoscaling.knative.dev/metric': 'memory', 'autoscaling.knative.dev/target': '256' });
  });

  it("without a cpu or memory target the component keeps its concurrency target and Knative's own autoscaler", () => {
    expect(annotations(api({ target: 50 }, { min: 3, max: 6 }))).toEqual({
      'autoscaling.knative.dev/min-scale': '3',
      'autoscaling.knative.dev/max-scale': '6',
      'autoscaling.knative.dev/target': '50',
    });
  });

  it("an override of the component's scaling does not beat the trait: production must override the trait (as the example does)", () => {
    const [overridden] = applyOverride(
      [{ name: 'order-api', type: 'knative-webservice', properties: { image: 'a:1' }, traits: [{ type: 'autoscaler', properties: { min: 1, max: 20 } }] }],
      [{ name: 'order-api', properties: { scaling: { minScale: 2 } } }],
    );
    expect(annotations(renderComponent(overridden))['autoscaling.knative.dev/min-scale']).toBe('1');
  });

  it('a patch without a strategy still conflicts as in KubeVela (the engine is not lenient)', () => {
    const base = { name: 'w', type: 'knative-webservice', properties: { image: 'a:1' } };
    expect(() =>
      renderComponent({
        ...base,
        traits: [
          { type: 'kafka-producer', properties: { bootstrapServers: 'a:9092', topics: ['t'] } },
          { type: 'kafka-consumer', properties: { bootstrapServers: 'b:9092', topics: ['t'], consumerGroup: 'g' } },
        ],
      }),
    ).toThrow(/conflicting values "a:9092" and "b:9092"|conflicting values "b:9092" and "a:9092"/);
  });
});

describe('traits refuse workloads they cannot patch (bug 4)', () => {
  const example = (file: string, name: string) => {
    const app = parse(readFileSync(join(ROOT, file), 'utf8')) as { spec: { components: { name: string; type: string; properties: Any }[] } };
    return app.spec.components.find((c) => c.name === name)!;
  };
  const claim = (dir: string, type: string) => ({ name: 'env', type, properties: (parse(readFileSync(join(ROOT, `examples/${dir}/claim.yaml`), 'utf8')) as Any).spec });
  const workloads = [
    ['application-infrastructure (ApplicationClaim)', example('examples/oam/complex-app.yaml', 'app-infrastructure'), 'ApplicationClaim'],
    ['realtime-platform (RealtimePlatformClaim)', example('examples/oam/complex-app.yaml', 'streaming-platform'), 'RealtimePlatformClaim'],
    ['event-driven-service (EventDrivenService)', claim('event-driven-service', 'event-driven-service'), 'EventDrivenService'],
    ['vcluster (VClusterEnvironmentClaim)', claim('vcluster', 'vcluster'), 'VClusterEnvironmentClaim'],
    ['kafka (HelmRelease)', example('examples/oam/event-driven-microservices.yaml', 'events'), 'HelmRelease'],
  ] as const;
  const traits = [
    ['kafka-producer', { bootstrapServers: 'k:9092', topics: ['t'] }, 'kafka-producer applies to a Knative Service, a Deployment or a StatefulSet'],
    ['kafka-consumer', { bootstrapServers: 'k:9092', topics: ['t'], consumerGroup: 'g' }, 'kafka-consumer applies to a Knative Service, a Deployment or a StatefulSet'],
    ['domain-route', { domain: 'a.example.com' }, 'domain-route applies to a Knative Service or a Deployment'],
    ['autoscaler', { min: 1, max: 3 }, 'autoscaler applies to a Knative Service, a Deployment or a StatefulSet'],
  ] as const;
  it.each(workloads.flatMap(([label, c, kind]) => traits.map(([type, properties, message]) => [type, label, c, kind, properties, message] as const)))(
    '%s on %s',
    (type, _label, c, kind, properties, message) => {
      expect(() => renderComponent({ ...c, traits: [{ type, properties }] })).toThrow(`${message}, not to ${kind} `);
    },
  );

  it.each([
    ['kafka-producer', { bootstrapServers: 'k:9092', topics: ['t'] }],
    ['kafka-consumer', { bootstrapServers: 'k:9092', topics: ['t'], consumerGroup: 'g' }],
  ])('%s on iot-broker: its container is mosquitto, not the component name', (type, properties) => {
    const broker = example('examples/oam/realtime-health-platform.yaml', 'field-broker');
    expect(() => renderComponent({ ...broker, traits: [{ type, properties }] })).toThrow(`${type} sets the environment of the container named field-broker, and StatefulSet field-broker has none`);
  });

  it("every trait's appliesToWorkloads is what its check accepts", () => {
    const accepts = { 'services.serving.knative.dev': KNATIVE_OUTPUT, 'deployments.apps': DEPLOYMENT_OUTPUT, 'statefulsets.apps': { ...DEPLOYMENT_OUTPUT, kind: 'StatefulSet' } };
    const params: Record<string, Any> = Object.fromEntries(traits.map(([t, p]) => [t, p]));
    for (const entry of CATALOG.filter((e) => e.kind === 'TraitDefinition')) {
      for (const [resource, output] of Object.entries(accepts)) {
        const error = fails('trait', entry.name, params[entry.name], output);
        if (entry.appliesToWorkloads!.includes(resource)) expect(error, `${entry.name} on ${resource}`).toBe('');
        else expect(error, `${entry.name} on ${resource}`).toContain(`${entry.name} applies to`);
      }
    }
  });
});
