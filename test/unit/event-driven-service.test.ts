import { describe, expect, it } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Service, ServiceAccount } from 'kubernetes-models/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { compose } from '../../functions/event-driven-service/function.js';
import { composeEventDrivenService, natsMonitoringEndpoint } from '../../functions/event-driven-service/compose.js';
import { eventDrivenService } from '../../functions/event-driven-service/api.js';
import { FUNCTIONS } from '../../functions/catalog.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { claim, desired, fatals, requestFor, run } from '../support/request.js';
import { Ready } from '@crossplane-org/function-sdk-typescript';

const minimal = { image: 'ghcr.io/acme/worker:1.0.0', nats: { stream: 'ORDERS', consumer: 'workers' } };
const eds = (spec: object) => claim('EventDrivenService', 'worker', 'team-a', spec);

async function composeSpec(spec: object, observed: Record<string, KubeObject> = {}) {
  const rsp = await run(compose, requestFor(eds(spec), observed));
  return { rsp, out: desired(rsp), fatal: fatals(rsp) };
}

type Dep = {
  spec: { replicas?: number; template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[]; initContainers?: Record<string, unknown>[] } } };
};

describe('event-driven-service: composed resources', () => {
  it('composes ServiceAccount, Deployment, Service and ScaledObject in the claim namespace', async () => {
    const { out, fatal } = await composeSpec(minimal);
    expect(fatal).toEqual([]);
    expect(Object.keys(out).sort()).toEqual(['deployment', 'scaledobject', 'service', 'serviceaccount']);
    expect(Object.values(out).map((o) => [o.kind, o.metadata?.name, o.metadata?.namespace])).toEqual([
      ['ServiceAccount', 'worker', 'team-a'],
      ['Deployment', 'worker', 'team-a'],
      ['Service', 'worker', 'team-a'],
      ['ScaledObject', 'worker-scaler', 'team-a'],
    ]);
  });

  it('builds objects that pass their Kubernetes / KEDA schemas', () => {
    const claimRef = { name: 'worker', namespace: 'team-a' };
    const specs = [
      minimal,
      { ...minimal, secretName: 's', imagePullSecrets: [{ name: 'p' }], initContainer: { command: ['migrate'] } },
      { image: 'i', kafka: { bootstrapServers: 'k:9092', topic: 't', consumerGroup: 'g' } },
    ];
    for (const s of specs) {
      const v = eventDrivenService.validateSpec(s);
      if (!v.ok) throw new Error(JSON.stringify(v.errors));
      const { resources } = composeEventDrivenService({ spec: v.value, claim: claimRef, xr: {}, observed: {}, required: {} });
      const models = Object.values(resources).map((r) => r.resource);
      expect(models[0]).toBeInstanceOf(ServiceAccount);
      expect(models[1]).toBeInstanceOf(Deployment);
      expect(models[2]).toBeInstanceOf(Service);
      expect(models[3]).toBeInstanceOf(ScaledObject);
      for (const m of models) expect(() => (m as { validate(): void }).validate()).not.toThrow();
    }
  });

  it('applies the defaults: medium size, scaling 1-10 at lag 5, default NATS URL and $G account', async () => {
    const { out } = await composeSpec(minimal);
    const dep = out.deployment as unknown as Dep;
    expect(dep.spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2000m', memory: '4Gi' },
    });
    expect(out.scaledobject.spec).toMatchObject({
      scaleTargetRef: { name: 'worker' },
      minReplicaCount: 1,
      maxReplicaCount: 10,
      triggers: [
        {
          type: 'nats-jetstream',
          metadata: {
            natsServerMonitoringEndpoint: 'nats.nats.svc:8222',
            account: '$G',
            stream: 'ORDERS',
            consumer: 'workers',
            lagThreshold: '5',
          },
        },
      ],
    });
    expect(JSON.stringify(out.scaledobject)).not.toContain('useHttps');
  });

  it.each([
    ['small', { cpu: '250m', memory: '512Mi' }, { cpu: '1000m', memory: '2Gi' }],
    ['medium', { cpu: '500m', memory: '1Gi' }, { cpu: '2000m', memory: '4Gi' }],
    ['large', { cpu: '1000m', memory: '2Gi' }, { cpu: '4000m', memory: '8Gi' }],
  ])('size %s sets the seed table requests and limits', async (size, requests, limits) => {
    const { out } = await composeSpec({ ...minimal, size });
    expect((out.deployment as unknown as Dep).spec.template.spec.containers[0].resources).toEqual({ requests, limits });
  });

  it('runs the worker with probes on 8080, restricted security, no replica count (KEDA owns it)', async () => {
    const { out } = await composeSpec(minimal);
    const dep = out.deployment as unknown as Dep;
    const pod = dep.spec.template.spec;
    expect(dep.spec.replicas).toBeUndefined();
    expect(pod.serviceAccountName).toBe('worker');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.initContainers).toBeUndefined();
    expect(pod.imagePullSecrets).toBeUndefined();
    const c = pod.containers[0];
    expect(c).toMatchObject({
      image: 'ghcr.io/acme/worker:1.0.0',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      livenessProbe: { httpGet: { path: '/health', port: 8080 } },
      readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      env: [
        { name: 'NATS_URL', value: 'nats://nats.nats.svc:4222' },
        { name: 'NATS_STREAM', value: 'ORDERS' },
        { name: 'NATS_CONSUMER', value: 'workers' },
      ],
    });
    expect(c.envFrom).toBeUndefined();
    expect(out.service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/component': 'event-driven-service' },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  it('mounts secretName with envFrom on both containers and passes imagePullSecrets', async () => {
    const { out } = await composeSpec({
      ...minimal,
      secretName: 'worker-config',
      imagePullSecrets: [{ name: 'ghcr' }, { name: 'quay' }],
      initContainer: { command: ['/bin/sh', '-c', 'migrate'] },
    });
    const pod = (out.deployment as unknown as Dep).spec.template.spec;
    expect(pod.imagePullSecrets).toEqual([{ name: 'ghcr' }, { name: 'quay' }]);
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: 'worker-config' } }]);
    expect(pod.initContainers![0]).toMatchObject({
      name: 'init',
      image: 'ghcr.io/acme/worker:1.0.0',
      command: ['/bin/sh', '-c', 'migrate'],
      envFrom: [{ secretRef: { name: 'worker-config' } }],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
  });

  it('uses the init container image when given', async () => {
    const { out } = await composeSpec({ ...minimal, initContainer: { image: 'migrator:2' } });
    const init = (out.deployment as unknown as Dep).spec.template.spec.initContainers![0];
    expect(init.image).toBe('migrator:2');
    expect(init.command).toBeUndefined();
  });

  it('passes scaling and NATS options through to KEDA', async () => {
    const { out } = await composeSpec({
      ...minimal,
      nats: { url: 'nats://bus.infra:4222', stream: 'S', consumer: 'c', account: 'APP', useHttps: true },
      scaling: { minReplicas: 0, maxReplicas: 3, lagThreshold: '50' },
    });
    expect(out.scaledobject.spec).toMatchObject({
      minReplicaCount: 0,
      maxReplicaCount: 3,
      triggers: [
        {
          type: 'nats-jetstream',
          metadata: { natsServerMonitoringEndpoint: 'bus.infra:8222', account: 'APP', lagThreshold: '50', useHttps: 'true' },
        },
      ],
    });
  });

  it('derives the NATS monitoring endpoint from the client URL unless one is given', () => {
    const base = { account: '$G', stream: 's', consumer: 'c', useHttps: false };
    expect(natsMonitoringEndpoint({ ...base, url: 'nats://nats.nats.svc:4222' })).toBe('nats.nats.svc:8222');
    expect(natsMonitoringEndpoint({ ...base, url: 'nats://nats' })).toBe('nats:8222');
    expect(natsMonitoringEndpoint({ ...base, url: 'nats://n:4222', monitoringEndpoint: 'mon.n:9000' })).toBe('mon.n:9000');
  });

  it('scales a Kafka consumer on its group lag', async () => {
    const { out, fatal } = await composeSpec({
      image: 'i:1',
      kafka: { bootstrapServers: 'kafka.kafka.svc:9092', topic: 'orders', consumerGroup: 'orders-worker' },
      scaling: { lagThreshold: '100' },
    });
    expect(fatal).toEqual([]);
    expect(out.scaledobject.spec).toMatchObject({
      triggers: [
        {
          type: 'kafka',
          metadata: {
            bootstrapServers: 'kafka.kafka.svc:9092',
            consumerGroup: 'orders-worker',
            topic: 'orders',
            lagThreshold: '100',
            offsetResetPolicy: 'latest',
          },
        },
      ],
    });
    expect((out.deployment as unknown as Dep).spec.template.spec.containers[0].env).toEqual([
      { name: 'KAFKA_BOOTSTRAP_SERVERS', value: 'kafka.kafka.svc:9092' },
      { name: 'KAFKA_TOPIC', value: 'orders' },
      { name: 'KAFKA_CONSUMER_GROUP', value: 'orders-worker' },
    ]);
  });

  it('gives the same response for the same request', async () => {
    const req = () => requestFor(eds({ ...minimal, secretName: 's' }));
    const a = await run(compose, req());
    const b = await run(compose, req());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('event-driven-service: readiness and status', () => {
  const available = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    status: { replicas: 3, readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
  };
  const scalerReady = {
    status: {
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Active', status: 'False' },
      ],
    },
  };

  it('marks nothing ready before anything is observed', async () => {
    const { rsp } = await composeSpec(minimal);
    const ready = Object.values(rsp.desired!.resources).map((r) => r.ready);
    expect(ready).toEqual([Ready.READY_FALSE, Ready.READY_FALSE, Ready.READY_FALSE, Ready.READY_FALSE]);
    expect(rsp.desired!.composite!.resource).toEqual({
      status: { trigger: 'nats-jetstream stream ORDERS consumer workers', endpoint: 'http://worker.team-a.svc.cluster.local:8080' },
    });
  });

  it('marks each resource ready from its observed state and reports replicas and scaler state', async () => {
    const { rsp } = await composeSpec(minimal, {
      serviceaccount: { kind: 'ServiceAccount' },
      service: { kind: 'Service' },
      deployment: available,
      scaledobject: scalerReady,
    });
    const r = rsp.desired!.resources;
    expect([r.serviceaccount.ready, r.service.ready, r.deployment.ready, r.scaledobject.ready]).toEqual([Ready.READY_TRUE, Ready.READY_TRUE, Ready.READY_TRUE, Ready.READY_TRUE]);
    expect(rsp.desired!.composite!.resource!.status).toMatchObject({
      replicas: { desired: 3, ready: 2 },
      scaler: { ready: true, active: false },
    });
  });

  it('keeps the Deployment unready until it is Available, and reports why KEDA is not ready', async () => {
    const { rsp } = await composeSpec(minimal, {
      deployment: { status: { conditions: [{ type: 'Available', status: 'False' }] } },
      scaledobject: { status: { conditions: [{ type: 'Ready', status: 'False', message: 'nats: connection refused' }] } },
    });
    expect(rsp.desired!.resources.deployment.ready).toBe(Ready.READY_FALSE);
    expect(rsp.desired!.resources.scaledobject.ready).toBe(Ready.READY_FALSE);
    expect(rsp.desired!.composite!.resource!.status).toMatchObject({
      replicas: { desired: 0, ready: 0 },
      scaler: { ready: false, active: false, message: 'nats: connection refused' },
    });
  });
});

describe('event-driven-service: the Secret of spec.secretName', () => {
  const spec = { ...minimal, secretName: 'worker-config' };
  const observedReady = {
    serviceaccount: { kind: 'ServiceAccount' },
    service: { kind: 'Service' },
    deployment: { status: { replicas: 1, readyReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] } },
    scaledobject: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
  };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'worker-config', namespace: 'team-a' }, data: { NATS_USER: 'dQ==' } };

  it('asks Crossplane for it; while it is missing the service is not ready and status names the Secret and the field', async () => {
    const rsp = await run(compose, requestFor(eds(spec), observedReady));
    const [selector] = Object.values(rsp.requirements!.resources);
    expect(selector).toEqual({ apiVersion: 'v1', kind: 'Secret', matchName: 'worker-config', namespace: 'team-a' });
    expect(rsp.desired!.composite!.ready).toBe(Ready.READY_FALSE);
    expect(rsp.desired!.composite!.resource!.status).toMatchObject({
      message: 'spec.secretName: Secret worker-config not found in namespace team-a; the worker reads it (envFrom) and cannot start without it',
    });
    // Everything is still composed: the Deployment waits for the Secret, as in a cluster.
    expect(Object.keys(desired(rsp)).sort()).toEqual(['deployment', 'scaledobject', 'service', 'serviceaccount']);
  });

  it("once it exists, readiness is the resources' again and the message is gone", async () => {
    const first = await run(compose, requestFor(eds(spec), observedReady));
    const name = Object.keys(first.requirements!.resources)[0];
    const rsp = await run(compose, requestFor(eds(spec), observedReady, { [name]: [secret] }));
    expect(rsp.desired!.composite?.ready ?? Ready.READY_UNSPECIFIED).toBe(Ready.READY_UNSPECIFIED);
    expect(rsp.desired!.composite!.resource!.status).not.toHaveProperty('message');
    expect(Object.values(rsp.desired!.resources).every((r) => r.ready === Ready.READY_TRUE)).toBe(true);
  });

  it('asks for nothing without secretName', async () => {
    const rsp = await run(compose, requestFor(eds(minimal), observedReady));
    expect(rsp.requirements).toBeUndefined();
  });
});

describe('event-driven-service: invalid input is a Fatal result naming the field', () => {
  it.each([
    ['missing nats.stream', { image: 'i', nats: { consumer: 'c' } }, 'spec.nats.stream: is required'],
    ['missing image', { nats: { stream: 's', consumer: 'c' } }, 'spec.image: is required'],
    ['both brokers', { ...minimal, kafka: { bootstrapServers: 'k:9092', topic: 't', consumerGroup: 'g' } }, 'spec.nats: exactly one of nats and kafka must be set'],
    ['no broker', { image: 'i' }, 'spec.nats: exactly one of nats and kafka must be set'],
    ['bad size', { ...minimal, size: 'huge' }, 'spec.size: must be one of small, medium, large'],
    ['image of the wrong type', { ...minimal, image: 42 }, 'spec.image: must be of type string'],
    ['replicas as a string', { ...minimal, scaling: { minReplicas: '2' } }, 'spec.scaling.minReplicas: must be of type integer'],
    ['lagThreshold as a number', { ...minimal, scaling: { lagThreshold: 5 } }, 'spec.scaling.lagThreshold: must be of type string'],
    ['min above max', { ...minimal, scaling: { minReplicas: 5, maxReplicas: 2 } }, 'spec.scaling.minReplicas: minReplicas must not exceed maxReplicas'],
    ['a client URL that is not nats://', { ...minimal, nats: { ...minimal.nats, url: 'http://x' } }, 'spec.nats.url: must match'],
    ['an imagePullSecret without a name', { ...minimal, imagePullSecrets: [{}] }, 'spec.imagePullSecrets[0].name: is required'],
  ])('%s', async (_label, spec, message) => {
    const { rsp, fatal } = await composeSpec(spec);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toContain(message);
    expect(Object.keys(rsp.desired!.resources)).toEqual([]);
  });

  it('refuses a composite without a claim, naming the field', async () => {
    const req = requestFor(eds(minimal));
    const xr = req.observed!.composite!.resource!;
    delete xr.spec.claimRef;
    delete xr.metadata.labels;
    const rsp = await run(compose, req);
    expect(fatals(rsp)[0]).toContain('spec.claimRef.namespace: is required');
  });

  it('does not echo values in the message', async () => {
    const { fatal } = await composeSpec({ ...minimal, size: 'p4ssw0rd-like-value' });
    expect(fatal[0]).not.toContain('p4ssw0rd');
  });
});

describe('RBAC', () => {
  it('covers every kind the function composes', async () => {
    const { out } = await composeSpec({ ...minimal, initContainer: {} });
    const entry = FUNCTIONS.find((f) => f.name === 'event-driven-service')!;
    for (const o of Object.values(out)) {
      const group = o.apiVersion!.includes('/') ? o.apiVersion!.split('/')[0] : '';
      const resource = `${o.kind!.toLowerCase()}s`;
      expect(entry.composes.find((c) => c.apiGroup === group)?.resources).toContain(resource);
    }
  });
});
