/**
 * karpenter-nodepool (synth/kubevela/catalog/karpenter-nodepool.ts), evaluated
 * with the real cue v0.9.2; its outputs validated against Karpenter's CRDs of
 * the pinned release (test/upstream/crds/, CEL rules included).
 */
import { describe, expect, it } from 'vitest';
import { cueExport } from '../../../harness/cue.js';
import { definition } from '../../../harness/oam.js';
import { all, component, cond, CRDS, errs, expectValid, rejected, validateAgainst } from '../../support/catalog.js';
import { PARAMS } from '../../support/catalog-params.js';

describe('karpenter-nodepool', () => {
  const MIN = PARAMS['karpenter-nodepool'].min;

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
    expect(t.spec.taints).toEqual([
      { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' },
      { key: 'team', value: 'ml', effect: 'NoSchedule' },
    ]);
    expect(t.spec.expireAfter).toBe('Never');
    expect(out.output.spec).toMatchObject({
      weight: 50,
      limits: { cpu: '256', memory: '1Ti' },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never', budgets: [{ nodes: '2' }] },
    });
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

  it("the CRD's CEL rules apply: a restricted requirement label is refused", () => {
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
