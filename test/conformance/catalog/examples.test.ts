/**
 * The example Applications (examples/oam/) rendered end to end in KubeVela's
 * engine (oam-render): components, traits and policies together.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { renderApplication } from '../../../harness/oam.js';
import { ROOT } from '../../../harness/tools.js';
import { type Any, CRDS, errs, expectValid } from '../../support/catalog.js';

describe("example Applications render end to end in KubeVela's engine (oam-render)", () => {
  it('Event-Driven Microservices: data services, secrets, two services with producer/consumer traits, a domain route, autoscaler, isolation', () => {
    const app = renderApplication('examples/oam/event-driven-microservices.yaml');
    expect(app.components.map((c) => `${c.name}:${c.output.kind}`)).toEqual([
      'events:HelmRelease',
      'sessions:HelmRelease',
      'catalog-db:HelmRelease',
      'orders-db:ExternalSecret',
      'identity:ExternalSecret',
      'order-api:Service',
      'shipping-worker:Service',
    ]);
    const orderApi = app.components.find((c) => c.name === 'order-api')!;
    const container = (orderApi.output as Any).spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ secretRef: { name: 'orders-db-db-secret' } }, { secretRef: { name: 'identity-auth0-secret' } }]);
    expect(container.env.map((e: Any) => e.name)).toEqual(['AGENT_TYPE', 'LOG_LEVEL', 'KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_PRODUCER_TOPICS', 'KAFKA_CLIENT_ID']);
    expect(orderApi.outputs.ingress.kind).toBe('DomainMapping');
    expect(orderApi.outputFrom.ingress).toBe('domain-route');
    // Both Kafka traits merged into the one container by name (+patchKey=name):
    // KAFKA_BOOTSTRAP_SERVERS, set by both, appears once.
    const worker = app.components.find((c) => c.name === 'shipping-worker')!;
    const containers = (worker.output as Any).spec.template.spec.containers;
    expect(containers).toHaveLength(1);
    expect(containers[0].env.map((e: Any) => e.name)).toEqual([
      'AGENT_TYPE',
      'LOG_LEVEL',
      'KAFKA_BOOTSTRAP_SERVERS',
      'KAFKA_CONSUMER_TOPICS',
      'KAFKA_CONSUMER_GROUP',
      'KAFKA_AUTO_OFFSET_RESET',
      'KAFKA_PRODUCER_TOPICS',
      'KAFKA_CLIENT_ID',
    ]);
    expect(app.policies.map((p) => p.type)).toEqual(['security-policy']);
  });

  it("Event-Driven Microservices in production: the override raises the autoscaler's min, so order-api keeps 2 to 20 replicas on 70% CPU", () => {
    const app = renderApplication('examples/oam/event-driven-microservices.yaml');
    const orderApi = app.components.find((c) => c.name === 'order-api')!;
    expect((orderApi.output as Any).spec.template.metadata.annotations).toEqual({
      'autoscaling.knative.dev/min-scale': '2',
      'autoscaling.knative.dev/max-scale': '20',
      'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev',
      'autoscaling.knative.dev/metric': 'cpu',
      'autoscaling.knative.dev/target': '70',
    });
  });

  it('Real-time Health Data Platform: platform, broker, a realtime service with its claim, a consumer trait and probes', () => {
    const app = renderApplication('examples/oam/realtime-health-platform.yaml');
    expect(app.components.map((c) => `${c.name}:${c.output.kind}`)).toEqual(['health-pipeline:RealtimePlatformClaim', 'field-broker:StatefulSet', 'health-app:Service']);
    const svc = app.components[2];
    expect((svc.outputs.infrastructure as Any).spec).toMatchObject({ name: 'health-processor', realtime: 'health-data' });
    const [container] = (svc.output as Any).spec.template.spec.containers;
    expect(container.name).toBe('health-app');
    expect(container.env.map((e: Any) => e.name)).toContain('KAFKA_CONSUMER_GROUP');
    expect((app.policies[0].output as Any).kind).toBe('CronJob');
  });

  it.each(['simple-app', 'complex-app', 'customer-support'])('%s renders', (name) => {
    const app = renderApplication(`examples/oam/${name}.yaml`);
    expect(app.components.length).toBeGreaterThan(0);
  });
});

describe("the PRD's application examples render end to end", () => {
  const kinds = (file: string) => renderApplication(file).components.map((c) => `${c.name}:${(c.output as Any).kind}`);

  it('User Management: vCluster, Neon Postgres, Auth0, a FastAPI webservice reading both Secrets, with ingress', () => {
    expect(kinds('examples/oam/user-management.yaml')).toEqual(['identity-env:VClusterEnvironmentClaim', 'users-db:ExternalSecret', 'users-idp:ExternalSecret', 'user-api:Service']);
    const api = renderApplication('examples/oam/user-management.yaml').components[3];
    expect((api.output as Any).spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'users-db-db-secret' } }, { secretRef: { name: 'users-idp-auth0-secret' } }]);
    expect(api.outputFrom.ingress).toBe('domain-route');
    expect((api.outputs.ingress as Any).kind).toBe('DomainMapping');
  });

  it('ML Analytics Pipeline: vCluster, GPU NodePool, Snowflake, Neon, a distributed TFJob on the GPU pool, an autoscaled inference API', () => {
    const file = 'examples/oam/ml-analytics-pipeline.yaml';
    expect(kinds(file)).toEqual(['ml-env:VClusterEnvironmentClaim', 'gpu-pool:NodePool', 'features:Workspace', 'model-registry:ExternalSecret', 'train-recommender:TFJob', 'inference-api:Service']);
    const app = renderApplication(file);
    const job = app.components[4].output as Any;
    const worker = job.spec.tfReplicaSpecs.Worker.template.spec;
    const pool = app.components[1].output as Any;
    // The job lands on the pool: its nodeSelector is one of the pool's labels, and it tolerates the pool's taint.
    for (const [k, v] of Object.entries(worker.nodeSelector)) expect(pool.spec.template.metadata.labels[k]).toBe(v);
    for (const taint of pool.spec.template.spec.taints) expect(worker.tolerations).toContainEqual({ key: taint.key, operator: 'Exists', effect: taint.effect });
    // It reads the Secret the Snowflake component writes.
    const secret = (app.components[2].output as Any).spec.writeConnectionSecretToRef.name;
    expect(worker.containers[0].env.filter((e: Any) => e.valueFrom).map((e: Any) => e.valueFrom.secretKeyRef.name)).toEqual([secret, secret, secret]);
    expect(app.components[5].traits).toEqual(['autoscaler']);
    // KubeVela would reject the Application if any errs list were non-empty.
    for (const c of app.components.filter((x) => ['karpenter-nodepool', 'tfjob'].includes(x.type))) expect(errs(c.type, componentsOf(file)[c.name])).toEqual([]);
    expectValid(CRDS.karpenter, [app.components[1].output as Any, app.components[1].outputs.nodeclass as Any]);
    expectValid(CRDS.tfjob, [job]);
    expectValid(CRDS.terraform, [app.components[2].output as Any]);
  });

  it('Full-Stack E-commerce: vCluster, Neon, Auth0, three APIs and a frontend each routed by ingress, an API gateway with CORS, isolation', () => {
    const file = 'examples/oam/full-stack-ecommerce.yaml';
    expect(kinds(file)).toEqual([
      'shop-env:VClusterEnvironmentClaim',
      'shop-db:ExternalSecret',
      'shop-idp:ExternalSecret',
      'catalog-api:Service',
      'orders-api:Service',
      'payments-api:Service',
      'storefront:Service',
      'partner-gateway:API',
    ]);
    const app = renderApplication(file);
    const domains = app.components.filter((c) => c.outputFrom.ingress === 'domain-route').map((c) => (c.outputs.ingress as Any).metadata.name);
    expect(domains).toEqual(['catalog.shop.example.com', 'orders.shop.example.com', 'payments.shop.example.com', 'shop.example.com']);
    const gw = app.components[7];
    expect((gw.output as Any).spec.forProvider.corsConfiguration.allowOrigins).toEqual(['https://partners.example.com']);
    expect(errs('aws-apigateway', componentsOf(file)['partner-gateway'])).toEqual([]);
    expectValid(CRDS.aws, [gw.output as Any, ...(Object.values(gw.outputs) as Any[])]);
    expect(app.policies.map((p) => p.type)).toEqual(['security-policy']);
  });

  it('Multi-Application Real-time System: one platform, three apps consuming and producing through its Secrets, probes', () => {
    const file = 'examples/oam/multi-application-realtime.yaml';
    expect(kinds(file)).toEqual(['shared-platform:RealtimePlatformClaim', 'vitals-monitor:Service', 'alerting:Service', 'dashboard-api:Service']);
    const app = renderApplication(file);
    // Their Kafka traits patched the brokers from the shared platform's Secret into the container.
    const brokers = app.components.slice(1, 3).map((c) => (c.output as Any).spec.template.spec.containers[0].env.find((e: Any) => e.name === 'KAFKA_BOOTSTRAP_SERVERS'));
    expect(brokers).toHaveLength(2);
    for (const b of brokers) expect(b).toEqual({ name: 'KAFKA_BOOTSTRAP_SERVERS', valueFrom: { secretKeyRef: { name: 'shared-stream-kafka-secret', key: 'KAFKA_BOOTSTRAP_SERVERS' } } });
    expect((app.components[1].outputs.infrastructure as Any).spec).toMatchObject({ realtime: 'shared-stream' });
    expect((app.policies[0].output as Any).spec.jobTemplate.spec.template.spec.containers[0].command.slice(-3)).toEqual([
      'http://vitals-monitor.realtime.svc.cluster.local:80/health',
      'http://alerting.realtime.svc.cluster.local:80/health',
      'http://dashboard-api.realtime.svc.cluster.local:80/health',
    ]);
  });

  it('Minimal Real-time Setup: only the name; the claim gets the defaults (postgres, metabase, iot)', () => {
    const app = renderApplication('examples/oam/minimal-realtime.yaml');
    expect(app.components.map((c) => `${c.name}:${(c.output as Any).kind}`)).toEqual(['stream:RealtimePlatformClaim']);
    expect((app.components[0].output as Any).spec).toMatchObject({ name: 'health-minimal', database: 'postgres', visualization: 'metabase', iot: true });
  });
});

/** The properties of each component of an example Application, by component name. */
function componentsOf(file: string): Record<string, unknown> {
  const app = parseYaml(readFileSync(join(ROOT, file), 'utf8')) as { spec: { components: { name: string; properties?: unknown }[] } };
  return Object.fromEntries(app.spec.components.map((c) => [c.name, c.properties ?? {}]));
}
