/**
 * The event-driven-service function, XRD and Composition through the real
 * Crossplane CLI: `crossplane render` against the function served locally
 * (Development runtime), piped into `crossplane beta validate`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { renderClaim } from '../../harness/render.js';
import { startAll, stopAll } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';
import { docs } from '../support/yaml.js';

const EX = join(ROOT, 'examples/event-driven-service');
let servers: ChildProcess[] = [];
beforeAll(async () => {
  servers = await startAll();
});
afterAll(() => stopAll(servers));

function byKind(objects: ReturnType<typeof docs>) {
  return Object.fromEntries(objects.map((o) => [o.kind!, o])) as Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('crossplane render: event-driven-service', () => {
  it('renders the example claim into its four resources, with XRD defaults applied', () => {
    const r = renderClaim(join(EX, 'claim.yaml'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = docs(r.stdout);
    expect(out.map((o) => o.kind)).toEqual(['XEventDrivenService', 'Deployment', 'ScaledObject', 'Service', 'ServiceAccount']);
    const k = byKind(out);
    for (const kind of ['Deployment', 'ScaledObject', 'Service', 'ServiceAccount']) {
      expect(k[kind].metadata.namespace).toBe('my-namespace');
      expect(k[kind].metadata.ownerReferences[0].kind).toBe('XEventDrivenService');
    }
    const pod = k.Deployment.spec.template.spec;
    expect(pod.initContainers[0]).toMatchObject({ image: 'ghcr.io/myorg/my-service:v1.0.0', command: ['/bin/sh', '-c', 'scripts/ci/run-migrations.sh'] });
    expect(pod.imagePullSecrets).toEqual([{ name: 'ghcr-pull-secret' }]);
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: 'my-service-config' } }]);
    expect(k.ScaledObject.spec.triggers[0]).toEqual({
      type: 'nats-jetstream',
      metadata: {
        natsServerMonitoringEndpoint: 'nats.nats.svc:8222',
        account: '$G',
        stream: 'MY_SERVICE_STREAM',
        consumer: 'my-service-workers',
        lagThreshold: '5',
      },
    });
    expect(k.Service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
    const ready = k.XEventDrivenService.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'Creating' });
  });

  it('marks the XR Ready and fills status from observed resources', () => {
    // With the Secret spec.secretName names (required.yaml): without it the service is not ready.
    const r = renderClaim(join(EX, 'claim.yaml'), { observed: join(EX, 'observed.yaml'), required: join(EX, 'required.yaml') });
    expect(r.code).toBe(0);
    const xr = byKind(docs(r.stdout)).XEventDrivenService;
    expect(xr.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Available' });
    expect(xr.status).toMatchObject({
      replicas: { desired: 3, ready: 3 },
      scaler: { ready: true, active: true },
      trigger: 'nats-jetstream stream MY_SERVICE_STREAM consumer my-service-workers',
      endpoint: 'http://my-service.my-namespace.svc.cluster.local:8080',
    });
  });

  it('without the Secret spec.secretName names, the XR is not Ready and its status names the Secret and the field', () => {
    const r = renderClaim(join(EX, 'claim.yaml'), { observed: join(EX, 'observed.yaml') });
    expect(r.code).toBe(0);
    const xr = byKind(docs(r.stdout)).XEventDrivenService;
    expect(xr.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'False' });
    expect(xr.status.message).toContain('spec.secretName: Secret my-service-config not found');
  });

  it('renders the Kafka example with schema defaults (size small, scaling 1-10 at lag 5)', () => {
    const r = renderClaim(join(EX, 'claim-kafka.yaml'));
    expect(r.code).toBe(0);
    const k = byKind(docs(r.stdout));
    expect(k.ScaledObject.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 10 });
    expect(k.ScaledObject.spec.triggers[0]).toMatchObject({ type: 'kafka', metadata: { topic: 'orders', lagThreshold: '5', offsetResetPolicy: 'latest' } });
    expect(k.Deployment.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '250m', memory: '512Mi' });
  });
});
