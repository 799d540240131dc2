/**
 * The PRD components tfjob, karpenter-nodepool, aws-apigateway and
 * snowflake-datawarehouse, evaluated with the real cue v0.9.2 (minimal and
 * full parameters, invalid ones, health against live objects), their
 * outputs validated against the upstream CRDs of the pinned releases
 * (test/upstream/crds/, with `crossplane beta validate`, CEL rules included), and the
 * PRD's application examples rendered end to end.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { cueExport, healthOf, vcontext } from '../../tooling/cue.js';
import { definition, evaluate, renderApplication } from '../../tooling/oam.js';
import { ROOT, validate } from '../../tooling/tools.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ctx = vcontext('my-comp', 'team-a', 'shop');
const component = (type: string, params: unknown) => evaluate(definition('component', type), params, ctx) as { output: Any; outputs: Record<string, Any> };
/** The template's `errs` list (KubeVela reports a non-empty one as the render error), or the cue error when evaluation fails. */
const errs = (type: string, params: unknown): string[] => {
  const r = cueExport([definition('component', type).template, ctx, `parameter: ${JSON.stringify(params)}`], 'errs');
  return r.ok ? (r.value as string[]) : [r.error];
};
/** Why the parameters are refused: cue's error, else the errs list joined ('' when accepted). */
const rejected = (type: string, params: unknown): string => {
  const r = cueExport([definition('component', type).template, ctx, `parameter: ${JSON.stringify(params)}`], '');
  if (!r.ok) return r.error;
  return ((r.value as { errs?: string[] }).errs ?? []).join('; ');
};
const CRDS = {
  tfjob: 'test/upstream/crds/training-operator-v1.9.0',
  karpenter: 'test/upstream/crds/karpenter-v1.14.1',
  aws: 'test/upstream/crds/provider-upjet-aws-v2.6.0',
  terraform: 'test/upstream/crds/provider-terraform-v1.1.1',
};
/** `crossplane beta validate` of objects against one upstream CRD folder; returns the report. */
function validateAgainst(crds: string, objects: Any[]): { code: number; out: string } {
  const docs = objects.map((o) => stringify({ ...o, metadata: { ...o.metadata, ...(o.kind === 'NodePool' || o.kind === 'EC2NodeClass' ? {} : { namespace: 'team-a' }) } })).join('---\n');
  const r = validate([join(ROOT, crds)], docs);
  return { code: r.code, out: r.stdout + r.stderr };
}
const all = (out: { output: Any; outputs: Record<string, Any> }) => [out.output, ...Object.values(out.outputs)];
const expectValid = (crds: string, objects: Any[]) => {
  const v = validateAgainst(crds, objects);
  expect(v.out).toContain(`Total ${objects.length} resources: 0 missing schemas, ${objects.length} success cases, 0 failure cases`);
  expect(v.code).toBe(0);
};
const cond = (type: string, status: string, message?: string) => ({ type, status, ...(message ? { message } : {}) });

describe('tfjob', () => {
  const FULL = {
    image: 'tf:2.16',
    command: ['python', 'train.py'],
    args: ['--epochs=3'],
    mode: 'distributed',
    workers: 3,
    parameterServers: 2,
    gpus: 2,
    env: [{ name: 'A', value: 'b' }, { name: 'K', secret: { name: 's', key: 'k' } }],
    volumes: [
      { name: 'data', mountPath: '/data', pvc: 'datasets', readOnly: true },
      { name: 'cfg', mountPath: '/cfg', configMap: 'train-cfg' },
      { name: 'creds', mountPath: '/creds', secret: 'train-creds' },
    ],
    nodeSelector: { 'platform.example.org/workload-profile': 'gpu' },
    tolerations: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }],
    restartPolicy: 'ExitCode',
    cleanPodPolicy: 'All',
    backoffLimit: 2,
    activeDeadlineSeconds: 3600,
    ttlSecondsAfterFinished: 600,
  };

  it('minimal: one Worker, container "tensorflow" on tfjob-port, restricted, requests and limits, OnFailure, cleanPodPolicy Running', () => {
    const out = component('tfjob', { image: 'tf:2.16' });
    expect(out.output).toMatchObject({ apiVersion: 'kubeflow.org/v1', kind: 'TFJob', metadata: { name: 'my-comp' }, spec: { runPolicy: { cleanPodPolicy: 'Running' } } });
    expect(Object.keys(out.output.spec.tfReplicaSpecs)).toEqual(['Worker']);
    const worker = out.output.spec.tfReplicaSpecs.Worker;
    expect(worker).toMatchObject({ replicas: 1, restartPolicy: 'OnFailure' });
    const pod = worker.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod).not.toHaveProperty('tolerations');
    expect(pod).not.toHaveProperty('nodeSelector');
    const c = pod.containers[0];
    expect(c).toMatchObject({ name: 'tensorflow', image: 'tf:2.16', ports: [{ name: 'tfjob-port', containerPort: 2222 }] });
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(worker.template.metadata.labels).toEqual({ 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'my-comp' });
    expect(errs('tfjob', { image: 'x' })).toEqual([]);
    expectValid(CRDS.tfjob, [out.output]);
  });

  it('full: Chief, Workers with GPUs and their toleration, PS without GPUs, env, three kinds of volume, run policy', () => {
    const out = component('tfjob', FULL);
    const specs = out.output.spec.tfReplicaSpecs;
    expect(Object.keys(specs).sort()).toEqual(['Chief', 'PS', 'Worker']);
    expect([specs.Chief.replicas, specs.Worker.replicas, specs.PS.replicas]).toEqual([1, 3, 2]);
    const gpu = specs.Worker.template.spec;
    expect(gpu.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '2' }, limits: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '2' } });
    expect(gpu.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }]);
    expect(gpu.nodeSelector).toEqual(FULL.nodeSelector);
    expect(specs.Chief.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
    expect(specs.PS.template.spec.containers[0].resources.limits).toEqual({ cpu: '2', memory: '4Gi' });
    const c = gpu.containers[0];
    expect(c.command).toEqual(['python', 'train.py']);
    expect(c.args).toEqual(['--epochs=3']);
    expect(c.env).toEqual([{ name: 'A', value: 'b' }, { name: 'K', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
    expect(c.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data', readOnly: true },
      { name: 'cfg', mountPath: '/cfg', readOnly: false },
      { name: 'creds', mountPath: '/creds', readOnly: false },
    ]);
    expect(gpu.volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'datasets', readOnly: true } },
      { name: 'cfg', configMap: { name: 'train-cfg' } },
      { name: 'creds', secret: { secretName: 'train-creds' } },
    ]);
    expect(specs.Worker.restartPolicy).toBe('ExitCode');
    expect(out.output.spec.runPolicy).toEqual({ cleanPodPolicy: 'All', backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 600 });
    expect(errs('tfjob', FULL)).toEqual([]);
    expectValid(CRDS.tfjob, [out.output]);
  });

  it('distributed without chief or parameter servers (collective strategies): Workers only', () => {
    const specs = component('tfjob', { image: 'x', mode: 'distributed', chief: false, parameterServers: 0, workers: 4 }).output.spec.tfReplicaSpecs;
    expect(Object.keys(specs)).toEqual(['Worker']);
    expect(specs.Worker.replicas).toBe(4);
  });

  it.each([
    ['an env entry with both value and secret', { image: 'x', env: [{ name: 'A', value: 'v', secret: { name: 's', key: 'k' } }] }, 'env A: set exactly one of value and secret'],
    ['an env entry with neither', { image: 'x', env: [{ name: 'A' }] }, 'env A: set exactly one of value and secret'],
    ['a volume without a source', { image: 'x', volumes: [{ name: 'v', mountPath: '/v' }] }, 'volumes v: set exactly one of pvc, configMap and secret'],
    ['a volume with two sources', { image: 'x', volumes: [{ name: 'v', mountPath: '/v', pvc: 'p', secret: 's' }] }, 'volumes v: set exactly one of pvc, configMap and secret'],
  ])('reports %s in errs', (_l, params, message) => {
    expect(errs('tfjob', params)).toEqual([message]);
  });

  it.each([
    ['no image', {}],
    ['an unknown restart policy', { image: 'x', restartPolicy: 'Sometimes' }],
    ['an unknown clean-pod policy', { image: 'x', cleanPodPolicy: 'Finished' }],
    ['zero workers', { image: 'x', workers: 0 }],
    ['root', { image: 'x', runAsUser: 0 }],
  ])('rejects %s', (_l, params) => {
    expect(rejected('tfjob', params)).not.toBe('');
  });

  it('an output the CRD refuses is refused by the validation (the check can fail)', () => {
    const out = component('tfjob', { image: 'x' });
    const broken = { ...out.output, spec: { ...out.output.spec, tfReplicaSpecs: { Worker: { ...out.output.spec.tfReplicaSpecs.Worker, replicas: 'one' } } } };
    expect(validateAgainst(CRDS.tfjob, [broken]).code).not.toBe(0);
  });

  it('health from the TFJob conditions: running and succeeded are healthy, failed and pending are not', () => {
    const def = definition('component', 'tfjob');
    const of = (conditions?: object[]) => healthOf(def, conditions ? { status: { conditions } } : {});
    expect(of(undefined).isHealth).toEqual({ ok: true, value: false });
    expect(of(undefined).message).toEqual({ ok: true, value: 'waiting for the training operator to start the job' });
    expect(of([cond('Created', 'True')]).isHealth).toEqual({ ok: true, value: false });
    expect(of([cond('Created', 'True'), cond('Running', 'True')]).isHealth).toEqual({ ok: true, value: true });
    expect(of([cond('Created', 'True'), cond('Running', 'True')]).message).toEqual({ ok: true, value: 'training running' });
    const done = [cond('Created', 'True'), cond('Running', 'False'), cond('Succeeded', 'True')];
    expect(of(done).isHealth).toEqual({ ok: true, value: true });
    expect(of(done).message).toEqual({ ok: true, value: 'training succeeded' });
    const failed = [cond('Created', 'True'), cond('Running', 'False'), cond('Failed', 'True', 'TFJob my-comp has failed because 1 Worker replica(s) failed.')];
    expect(of(failed).isHealth).toEqual({ ok: true, value: false });
    expect(of(failed).message).toEqual({ ok: true, value: 'training failed: TFJob my-comp has failed because 1 Worker replica(s) failed.' });
    expect(of([cond('Running', 'True'), cond('Failed', 'True')]).isHealth).toEqual({ ok: true, value: false });
  });
});

describe('karpenter-nodepool', () => {
  const MIN = { clusterName: 'prod', nodeRole: 'KarpenterNodeRole-prod' };

  it('minimal: the general profile as requirements, spot and on-demand, amd64, limits, consolidation, expiry; the EC2NodeClass by discovery tag', () => {
    const out = component('karpenter-nodepool', MIN);
    expect(out.output).toEqual({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'my-comp' },
      spec: {
        template: {
          metadata: { labels: { 'platform.example.org/workload-profile': 'general' } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'my-comp' },
            expireAfter: '720h',
            requirements: [
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm'] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            ],
          },
        },
        limits: { cpu: '100', memory: '400Gi' },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m', budgets: [{ nodes: '10%' }] },
      },
    });
    expect(out.outputs.nodeclass).toEqual({
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'my-comp' },
      spec: {
        role: 'KarpenterNodeRole-prod',
        amiSelectorTerms: [{ alias: 'al2023@latest' }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'prod' } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'prod' } }],
        tags: { 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'my-comp' },
      },
    });
    expect(errs('karpenter-nodepool', MIN)).toEqual([]);
    expectValid(CRDS.karpenter, all(out));
  });

  it('gpu profile with raw fields: families replace the categories, NVIDIA GPUs, the GPU taint before the user taints, labels, weight', () => {
    const out = component('karpenter-nodepool', {
      ...MIN,
      profile: 'gpu',
      instanceFamilies: ['g5', 'g6'],
      instanceSizes: ['xlarge', '2xlarge'],
      capacityTypes: ['on-demand'],
      architectures: ['amd64', 'arm64'],
      taints: [{ key: 'team', value: 'ml' }],
      labels: { team: 'ml' },
      limits: { cpu: '256', memory: '1Ti' },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never', budget: '2' },
      expireAfter: 'Never',
      amiAlias: 'bottlerocket@v1.20.0',
      weight: 50,
    });
    const t = out.output.spec.template;
    expect(t.metadata.labels).toEqual({ 'platform.example.org/workload-profile': 'gpu', team: 'ml' });
    expect(t.spec.requirements).toEqual([
      { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5', 'g6'] },
      { key: 'karpenter.k8s.aws/instance-size', operator: 'In', values: ['xlarge', '2xlarge'] },
      { key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: 'In', values: ['nvidia'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
    ]);
    expect(t.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }, { key: 'team', value: 'ml', effect: 'NoSchedule' }]);
    expect(t.spec.expireAfter).toBe('Never');
    expect(out.output.spec).toMatchObject({ weight: 50, limits: { cpu: '256', memory: '1Ti' }, disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never', budgets: [{ nodes: '2' }] } });
    expect(out.outputs.nodeclass.spec.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.20.0' }]);
    expectValid(CRDS.karpenter, all(out));
  });

  it('memory profile: categories r and x, no taints', () => {
    const t = component('karpenter-nodepool', { ...MIN, profile: 'memory' }).output.spec.template;
    expect(t.spec.requirements[0]).toEqual({ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['r', 'x'] });
    expect(t.spec).not.toHaveProperty('taints');
  });

  it.each([
    ['no capacity types', { ...MIN, capacityTypes: [] }, 'capacityTypes must not be empty'],
    ['no architectures', { ...MIN, architectures: [] }, 'architectures must not be empty'],
    ['an empty family list', { ...MIN, instanceFamilies: [] }, 'instanceFamilies must not be empty when set'],
  ])('reports %s in errs', (_l, params, message) => {
    expect(errs('karpenter-nodepool', params)).toEqual([message]);
  });

  it.each([
    ['no cluster name', { nodeRole: 'r' }],
    ['an unknown profile', { ...MIN, profile: 'huge' }],
    ['a capacity type "preemptible"', { ...MIN, capacityTypes: ['preemptible'] }],
    ['an expiry in days', { ...MIN, expireAfter: '30d' }],
    ['an AMI alias without version', { ...MIN, amiAlias: 'al2023' }],
  ])('rejects %s', (_l, params) => {
    expect(rejected('karpenter-nodepool', params)).not.toBe('');
  });

  it('the CRD\'s CEL rules apply: a restricted requirement label is refused', () => {
    const out = component('karpenter-nodepool', MIN);
    const pool = structuredClone(out.output);
    pool.spec.template.spec.requirements.push({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['x'] });
    const v = validateAgainst(CRDS.karpenter, [pool]);
    expect(v.code).not.toBe(0);
    expect(v.out).toContain('restricted');
  });

  it('healthy only when the NodePool and the EC2NodeClass are Ready; the message counts nodes', () => {
    const def = definition('component', 'karpenter-nodepool');
    const run = (pool: object, nodeclass: object, expr: string, src: string) => {
      const r = cueExport([src, `context: {output: ${JSON.stringify(pool)}, outputs: nodeclass: ${JSON.stringify(nodeclass)}}`], expr);
      return r.ok ? r.value : r.error;
    };
    const ready = { status: { conditions: [cond('Ready', 'True')], nodes: 3 } };
    expect(run(ready, { status: { conditions: [cond('Ready', 'True')] } }, 'isHealth', def.healthPolicy!)).toBe(true);
    expect(run(ready, { status: { conditions: [cond('Ready', 'False')] } }, 'isHealth', def.healthPolicy!)).toBe(false);
    expect(run(ready, {}, 'isHealth', def.healthPolicy!)).toBe(false);
    expect(run({}, { status: { conditions: [cond('Ready', 'True')] } }, 'isHealth', def.healthPolicy!)).toBe(false);
    expect(run(ready, {}, 'message', def.customStatus!)).toBe('3 node(s)');
    expect(run({}, {}, 'message', def.customStatus!)).toBe('0 node(s)');
  });
});

describe('aws-apigateway', () => {
  const MIN = { region: 'eu-west-1', endpoint: { url: 'https://api.example.com' } };
  const pc = { kind: 'ClusterProviderConfig', name: 'default' };

  it('minimal: an HTTP API without CORS, an HTTP_PROXY integration to the URL, the $default route and stage', () => {
    const out = component('aws-apigateway', MIN);
    const labels = { 'app.oam.dev/name': 'shop', 'app.oam.dev/component': 'my-comp' };
    expect(out.output).toEqual({
      apiVersion: 'apigatewayv2.aws.m.upbound.io/v1beta1',
      kind: 'API',
      metadata: { name: 'my-comp', labels },
      spec: { providerConfigRef: pc, forProvider: { region: 'eu-west-1', name: 'my-comp', protocolType: 'HTTP', tags: {} } },
    });
    expect(Object.keys(out.outputs)).toEqual(['integration', 'route-0', 'stage-default']);
    expect(out.outputs.integration.spec.forProvider).toEqual({
      apiIdRef: { name: 'my-comp' },
      region: 'eu-west-1',
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      payloadFormatVersion: '1.0',
      timeoutMilliseconds: 30000,
      connectionType: 'INTERNET',
      integrationUri: 'https://api.example.com',
    });
    expect(out.outputs['route-0'].spec.forProvider).toEqual({ apiIdRef: { name: 'my-comp' }, region: 'eu-west-1', routeKey: '$default', targetRef: { name: 'my-comp' } });
    expect(out.outputs['stage-default'].metadata).toEqual({ name: 'my-comp-default', labels, annotations: { 'crossplane.io/external-name': '$default' } });
    expect(out.outputs['stage-default'].spec.forProvider).toEqual({ apiIdRef: { name: 'my-comp' }, region: 'eu-west-1', autoDeploy: true, tags: {} });
    expect(errs('aws-apigateway', MIN)).toEqual([]);
    expectValid(CRDS.aws, all(out));
  });

  it('full: CORS, a private integration over a VPC link, several routes and stages with throttling and variables, a namespaced ProviderConfig', () => {
    const out = component('aws-apigateway', {
      region: 'us-east-1',
      endpoint: { privateIntegration: { vpcLinkId: 'abc123', listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/x/y/z' }, method: 'GET', timeoutMilliseconds: 5000 },
      routes: ['GET /orders', 'ANY /{proxy+}'],
      cors: { allowOrigins: ['https://shop.example.com'], allowCredentials: true, exposeHeaders: ['x-request-id'], maxAge: 600 },
      stages: [{ name: '$default' }, { name: 'prod', autoDeploy: false, throttlingBurstLimit: 20, throttlingRateLimit: 50.5, variables: { backend: 'blue' } }],
      description: 'shop API',
      tags: { team: 'shop' },
      providerConfig: { kind: 'ProviderConfig', name: 'shop-aws' },
    });
    expect(out.output.spec.providerConfigRef).toEqual({ kind: 'ProviderConfig', name: 'shop-aws' });
    expect(out.output.spec.forProvider.corsConfiguration).toEqual({
      allowOrigins: ['https://shop.example.com'],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['content-type', 'authorization'],
      exposeHeaders: ['x-request-id'],
      allowCredentials: true,
      maxAge: 600,
    });
    expect(out.output.spec.forProvider.description).toBe('shop API');
    expect(out.outputs.integration.spec.forProvider).toMatchObject({ connectionType: 'VPC_LINK', connectionId: 'abc123', integrationUri: expect.stringMatching(/^arn:aws:elasticloadbalancing/), integrationMethod: 'GET', timeoutMilliseconds: 5000 });
    expect(Object.keys(out.outputs)).toEqual(['integration', 'route-0', 'route-1', 'stage-default', 'stage-prod']);
    expect(out.outputs['route-1'].spec.forProvider.routeKey).toBe('ANY /{proxy+}');
    expect(out.outputs['stage-prod'].metadata.annotations).toEqual({ 'crossplane.io/external-name': 'prod' });
    expect(out.outputs['stage-prod'].spec.forProvider).toMatchObject({ autoDeploy: false, stageVariables: { backend: 'blue' }, defaultRouteSettings: { throttlingBurstLimit: 20, throttlingRateLimit: 50.5 }, tags: { team: 'shop' } });
    expectValid(CRDS.aws, all(out));
  });

  it.each([
    ['both a URL and a private integration', { region: 'eu-west-1', endpoint: { url: 'https://a.example.com', privateIntegration: { vpcLinkId: 'v', listenerArn: 'arn:aws:x' } } }, 'endpoint: set exactly one of url and privateIntegration'],
    ['no endpoint target', { region: 'eu-west-1', endpoint: {} }, 'endpoint: set exactly one of url and privateIntegration'],
    ['credentials with origin *', { ...MIN, cors: { allowOrigins: ['*'], allowCredentials: true } }, 'cors: allowCredentials cannot be used with origin *'],
    ['a stage listed twice', { ...MIN, stages: [{ name: 'prod' }, { name: 'prod' }] }, 'stages: prod and prod are the same stage object'],
    ['stages default and $default (one object name)', { ...MIN, stages: [{ name: '$default' }, { name: 'Default' }] }, 'stages: $default and Default are the same stage object'],
    ['no routes', { ...MIN, routes: [] }, 'routes must not be empty'],
  ])('reports %s in errs', (_l, params, message) => {
    expect(errs('aws-apigateway', params)).toEqual([message]);
  });

  it.each([
    ['no region', { endpoint: { url: 'https://a.example.com' } }],
    ['a URL without scheme', { region: 'eu-west-1', endpoint: { url: 'a.example.com' } }],
    ['a route key without method', { ...MIN, routes: ['/orders'] }],
    ['a timeout above 30 s', { region: 'eu-west-1', endpoint: { url: 'https://a.example.com', timeoutMilliseconds: 60000 } }],
  ])('rejects %s', (_l, params) => {
    expect(rejected('aws-apigateway', params)).not.toBe('');
  });

  it('the CRD\'s CEL rules apply: an API without protocolType is refused', () => {
    const api = structuredClone(component('aws-apigateway', MIN).output);
    delete api.spec.forProvider.protocolType;
    const v = validateAgainst(CRDS.aws, [api]);
    expect(v.code).not.toBe(0);
    expect(v.out).toContain('protocolType is a required parameter');
  });

  it('healthy when every managed resource is Ready; the message is the invoke URL', () => {
    const def = definition('component', 'aws-apigateway');
    const ready = { status: { conditions: [cond('Ready', 'True')] } };
    const stage = { kind: 'Stage', status: { conditions: [cond('Ready', 'True')], atProvider: { invokeUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' } } };
    const run = (outputs: object, expr: string, src: string) => {
      const r = cueExport([src, `context: {output: ${JSON.stringify(ready)}, outputs: ${JSON.stringify(outputs)}}`], expr);
      return r.ok ? r.value : r.error;
    };
    const allReady = { integration: ready, 'route-0': ready, 'stage-default': stage };
    expect(run(allReady, 'isHealth', def.healthPolicy!)).toBe(true);
    expect(run(allReady, 'message', def.customStatus!)).toBe('invoke URL: https://abc123.execute-api.eu-west-1.amazonaws.com/');
    const routeWaiting = { ...allReady, 'route-0': {} };
    expect(run(routeWaiting, 'isHealth', def.healthPolicy!)).toBe(false);
    expect(run(routeWaiting, 'message', def.customStatus!)).toBe('waiting for 1 object(s) to become Ready, first route-0');
    expect(run({ ...allReady, integration: { status: { conditions: [cond('Ready', 'False')] } } }, 'isHealth', def.healthPolicy!)).toBe(false);
  });
});

describe('snowflake-datawarehouse', () => {
  const MIN = { organization: 'acme', account: 'analytics', database: 'health_data' };

  it('minimal: one inline Workspace, parameters as variables, admin key pair from env, the Secret {component}-snowflake-secret', () => {
    const out = component('snowflake-datawarehouse', MIN);
    expect(out.output).toMatchObject({
      apiVersion: 'tf.m.upbound.io/v1beta1',
      kind: 'Workspace',
      metadata: { name: 'my-comp' },
      spec: { providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' }, writeConnectionSecretToRef: { name: 'my-comp-snowflake-secret' } },
    });
    const fp = out.output.spec.forProvider;
    expect(fp.source).toBe('Inline');
    expect(fp.inlineFormat).toBe('HCL');
    expect(fp.varmap).toEqual({
      warehouse: { name: 'HEALTH_DATA_WH', size: 'XSMALL', auto_suspend: 60, max_cluster_count: 1 },
      database: 'HEALTH_DATA',
      schema: 'PUBLIC',
      data_retention_days: 1,
      user: 'HEALTH_DATA_SVC',
      account_url: 'acme-analytics.snowflakecomputing.com:443',
    });
    expect(fp.env).toEqual([
      { name: 'SNOWFLAKE_ORGANIZATION_NAME', value: 'acme' },
      { name: 'SNOWFLAKE_ACCOUNT_NAME', value: 'analytics' },
      { name: 'SNOWFLAKE_AUTHENTICATOR', value: 'SNOWFLAKE_JWT' },
      { name: 'SNOWFLAKE_ROLE', value: 'ACCOUNTADMIN' },
      { name: 'SNOWFLAKE_USER', secretKeyRef: { name: 'snowflake-admin', key: 'SNOWFLAKE_USER' } },
      { name: 'SNOWFLAKE_PRIVATE_KEY', secretKeyRef: { name: 'snowflake-admin', key: 'SNOWFLAKE_PRIVATE_KEY' } },
    ]);
    expectValid(CRDS.terraform, [out.output]);
  });

  it('the module declares every variable the varmap sets and outputs every key the realtime platform\'s Snowflake sink reads', () => {
    const fp = component('snowflake-datawarehouse', MIN).output.spec.forProvider;
    const module = fp.module as string;
    const declared = [...module.matchAll(/^variable "([a-z_]+)"/gm)].map((m) => m[1]).sort();
    expect(declared).toEqual(Object.keys(fp.varmap).sort());
    const outputs = [...module.matchAll(/^output "([A-Z_]+)"/gm)].map((m) => m[1]);
    // functions/realtime-platform/components/pipeline.ts reads these five keys.
    for (const k of ['SNOWFLAKE_URL', 'SNOWFLAKE_USER', 'SNOWFLAKE_PRIVATE_KEY', 'SNOWFLAKE_DATABASE', 'SNOWFLAKE_SCHEMA']) expect(outputs).toContain(k);
    expect(module).toMatch(/output "SNOWFLAKE_PRIVATE_KEY" \{\n\s+value\s+= local\.private_key\n\s+sensitive = true/);
    expect(module).toContain('version = "2.20.0"');
  });

  it('full: names, sizes, retention, Secret, admin Secret and role, provider config', () => {
    const out = component('snowflake-datawarehouse', {
      ...MIN,
      schema: 'RAW',
      dataRetentionDays: 7,
      warehouse: { name: 'STREAM_WH', size: 'MEDIUM', autoSuspend: 300, maxClusterCount: 3 },
      user: 'KAFKA_SINK',
      secretName: 'health-snowflake',
      adminCredentials: { secretName: 'sf-admin', role: 'SYSADMIN' },
      providerConfig: { kind: 'ProviderConfig', name: 'tf' },
    });
    const fp = out.output.spec.forProvider;
    expect(fp.varmap).toMatchObject({ warehouse: { name: 'STREAM_WH', size: 'MEDIUM', auto_suspend: 300, max_cluster_count: 3 }, schema: 'RAW', data_retention_days: 7, user: 'KAFKA_SINK' });
    expect(out.output.spec.writeConnectionSecretToRef).toEqual({ name: 'health-snowflake' });
    expect(out.output.spec.providerConfigRef).toEqual({ kind: 'ProviderConfig', name: 'tf' });
    expect(fp.env).toContainEqual({ name: 'SNOWFLAKE_ROLE', value: 'SYSADMIN' });
    expect(fp.env).toContainEqual({ name: 'SNOWFLAKE_USER', secretKeyRef: { name: 'sf-admin', key: 'SNOWFLAKE_USER' } });
    expectValid(CRDS.terraform, [out.output]);
  });

  it.each([
    ['no account', { organization: 'a', database: 'd' }],
    ['a database name with a dot (refused by the provider)', { ...MIN, database: 'a.b' }],
    ['an unknown warehouse size', { ...MIN, warehouse: { size: 'HUGE' } }],
    ['auto-suspend under a minute', { ...MIN, warehouse: { autoSuspend: 10 } }],
  ])('rejects %s', (_l, params) => {
    expect(rejected('snowflake-datawarehouse', params)).not.toBe('');
  });

  it('healthy when the Workspace is Ready; otherwise provider-terraform\'s reason', () => {
    const def = definition('component', 'snowflake-datawarehouse');
    const live = { spec: { writeConnectionSecretToRef: { name: 'x-snowflake-secret' } }, status: { conditions: [cond('Ready', 'True')] } };
    expect(healthOf(def, live).isHealth).toEqual({ ok: true, value: true });
    expect(healthOf(def, live).message).toEqual({ ok: true, value: 'applied; credentials in Secret x-snowflake-secret' });
    expect(healthOf(def, { status: { conditions: [cond('Ready', 'False', 'terraform apply failed')] } }).message).toEqual({ ok: true, value: 'not ready: terraform apply failed' });
    expect(healthOf(def, {}).isHealth).toEqual({ ok: true, value: false });
  });
});

describe('the PRD\'s application examples render end to end', () => {
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
    for (const c of app.components.filter((x) => ['karpenter-nodepool', 'tfjob'].includes(x.type))) expect(errs(c.type, parse(file)[c.name])).toEqual([]);
    expectValid(CRDS.karpenter, [app.components[1].output as Any, app.components[1].outputs.nodeclass as Any]);
    expectValid(CRDS.tfjob, [job]);
    expectValid(CRDS.terraform, [app.components[2].output as Any]);
  });

  it('Full-Stack E-commerce: vCluster, Neon, Auth0, three APIs and a frontend each routed by ingress, an API gateway with CORS, isolation', () => {
    const file = 'examples/oam/full-stack-ecommerce.yaml';
    expect(kinds(file)).toEqual([
      'shop-env:VClusterEnvironmentClaim', 'shop-db:ExternalSecret', 'shop-idp:ExternalSecret',
      'catalog-api:Service', 'orders-api:Service', 'payments-api:Service', 'storefront:Service', 'partner-gateway:API',
    ]);
    const app = renderApplication(file);
    const domains = app.components.filter((c) => c.outputFrom.ingress === 'domain-route').map((c) => (c.outputs.ingress as Any).metadata.name);
    expect(domains).toEqual(['catalog.shop.example.com', 'orders.shop.example.com', 'payments.shop.example.com', 'shop.example.com']);
    const gw = app.components[7];
    expect((gw.output as Any).spec.forProvider.corsConfiguration.allowOrigins).toEqual(['https://partners.example.com']);
    expect(errs('aws-apigateway', parse(file)['partner-gateway'])).toEqual([]);
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
function parse(file: string): Record<string, unknown> {
  const app = parseYaml(readFileSync(join(ROOT, file), 'utf8')) as { spec: { components: { name: string; properties?: unknown }[] } };
  return Object.fromEntries(app.spec.components.map((c) => [c.name, c.properties ?? {}]));
}
