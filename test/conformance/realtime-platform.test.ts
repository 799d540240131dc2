/**
 * realtime-platform through the real Crossplane CLI and cue: render the
 * examples (operator Secrets via --required-resources), render again against
 * the cluster state the first render implies, validate against the XRD, and
 * evaluate the KubeVela definition for the seed examples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { realtimePlatform } from '../../functions/realtime-platform/api.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { secretData } from '../../functions/lib/secrets.js';
import { cueExport, healthOf, loadDefinition, renderComponent, vcontext } from '../../harness/cue.js';
import { renderClaim } from '../../harness/render.js';
import { startAll, stopAll } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';
import { docs } from '../support/yaml.js';

const EX = join(ROOT, 'examples/realtime-platform');
const REQUIRED = join(EX, 'required.yaml');
let servers: ChildProcess[] = [];
beforeAll(async () => {
  servers = await startAll();
});
afterAll(() => stopAll(servers));

/** What the cluster would report after applying a render's output, every workload ready. */
function observedFile(rendered: KubeObject[]): string {
  const objects = rendered
    .filter((o) => o.kind !== 'XRealtimePlatform' && o.kind !== 'Result')
    .map((o) => {
      const obj = structuredClone(o);
      if (obj.kind === 'StatefulSet') obj.status = { replicas: 1, readyReplicas: 1 };
      if (obj.kind === 'Deployment') obj.status = { conditions: [{ type: 'Available', status: 'True' }] };
      if (obj.kind === 'Job') obj.status = { conditions: [{ type: 'Complete', status: 'True' }] };
      return obj;
    });
  const file = join(mkdtempSync(join(tmpdir(), 'observed-')), 'observed.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

const xrOf = (out: KubeObject[]) => out.find((o) => o.kind === 'XRealtimePlatform') as unknown as { spec: object; status: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const credentials = (out: KubeObject[]) => secretData(out.find((o) => o.kind === 'Secret' && o.metadata?.name === 'platform-credentials'));

describe('crossplane render: realtime-platform', () => {
  it('renders the whole stack for the example claim with the operator Secrets', () => {
    const r = renderClaim(join(EX, 'claim.yaml'), { required: REQUIRED });
    expect(r.stderr).toBe('');
    const out = docs(r.stdout);
    const names = out.map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'Namespace/health-data-realtime',
        'StatefulSet/postgres',
        'StatefulSet/kafka',
        'StatefulSet/mqtt',
        'Deployment/lenses-hq',
        'Deployment/lenses-agent',
        'Deployment/metabase',
        'Gateway/health-data-gateway',
        'Secret/health-data-lenses-secret',
      ]),
    );
    const connection = (pattern: RegExp, ns: string) => out.filter((o) => o.kind === 'Secret' && pattern.test(o.metadata!.name!) && o.metadata!.namespace === ns);
    expect(connection(/^health-data-(mqtt|kafka|db|metabase|lenses)-secret$/, 'health')).toHaveLength(5);
    expect(connection(/^health-data-(mqtt|kafka|db|metabase|lenses)-connection$/, 'health-data-realtime')).toHaveLength(5);
    expect(xrOf(out).status).toMatchObject({ ready: false, namespace: 'health-data-realtime' });
  });

  it('converges: rendered against its own applied state, the XR is Ready and the passwords are the same', () => {
    const render = (observed?: string) => {
      const r = renderClaim(join(EX, 'claim.yaml'), { required: REQUIRED, observed });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r;
    };
    const first = docs(render().stdout);
    const second = docs(render(observedFile(first)).stdout);
    const third = render(observedFile(second));
    const out = docs(third.stdout);
    const xr = xrOf(out);
    expect(xr.status).toMatchObject({ ready: true, message: 'platform ready' });
    expect(xr.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(credentials(out)).toEqual(credentials(first));
  });
});

describe('realtime-platform ComponentDefinition (cue)', () => {
  const def = loadDefinition(join(ROOT, 'definitions/components/realtime-platform.yaml'));

  it("the PRD's minimal component gives the claim with the XRD's defaults, and the real-time service", () => {
    const params = { name: 'health-data', database: 'postgres', visualization: 'metabase', iot: true };
    const out = renderComponent(def, params, vcontext('health-pipeline', 'health'));
    if (!out.ok) throw new Error(out.error);
    const expected = realtimePlatform.validateSpec(params);
    if (!expected.ok) throw new Error('PRD parameters are invalid');
    expect(out.value).toEqual({
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'RealtimePlatformClaim',
      metadata: { name: 'health-pipeline' },
      spec: expected.value,
    });
  });

  it('runs the real-time service as a Knative Service wired to the platform Secrets', () => {
    const svc = cueExport(
      [def.template, vcontext('health-pipeline', 'health'), 'parameter: {name: "health-data", lenses: enabled: false, scaling: {minReplicas: 2, maxReplicas: 4}}'],
      'outputs.service',
    );
    if (!svc.ok) throw new Error(svc.error);
    expect(svc.value).toMatchObject({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'health-pipeline-service' },
      spec: {
        template: {
          metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '2', 'autoscaling.knative.dev/max-scale': '4' } },
          spec: {
            containers: [
              {
                image: 'ghcr.io/example-org/realtime-service:0.1.0',
                envFrom: ['kafka', 'db', 'metabase', 'mqtt'].map((k) => ({ secretRef: { name: `health-data-${k}-secret` } })),
              },
            ],
          },
        },
      },
    });
  });

  it("the seed README's streaming-platform component renders", () => {
    const out = renderComponent(def, { name: 'health-streaming', database: 'postgres', visualization: 'metabase' }, vcontext('streaming-platform', 'apps'));
    expect(out.ok).toBe(true);
  });

  it.each([
    ['a bad retention', { name: 'x', dataRetention: 'forever' }],
    ['an unknown visualization', { name: 'x', visualization: 'kibana' }],
    ['three brokers', { name: 'x', kafka: { replicas: 3 } }],
  ])('rejects %s', (_label, params) => {
    expect(renderComponent(def, params).ok).toBe(false);
  });

  it('reports health from the claim and shows the endpoints', () => {
    const h = healthOf(def, { status: { conditions: [{ type: 'Ready', status: 'True' }], endpoints: { lensesUI: 'http://l.local' } } });
    expect(h.isHealth).toEqual({ ok: true, value: true });
    expect(h.message).toEqual({ ok: true, value: 'platform ready lensesUI: http://l.local' });
    expect(healthOf(def, {}).isHealth).toEqual({ ok: true, value: false });
  });
});
