import { describe, expect, it } from 'vitest';
import { Ready, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { compose } from '../../functions/vcluster/function.js';
import { hostNamespace } from '../../functions/vcluster/compose.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { claim, desired, fatals, requestFor, run } from '../support/request.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const vc = (spec: object, name = 'viz') => claim('VClusterEnvironmentClaim', name, 'team-viz', spec);
const statusOf = (rsp: RunFunctionResponse) => (rsp.desired?.composite?.resource as { status?: Any }).status ?? {};
/** Observed state: everything exists, each HelmRelease with the given Ready condition. */
function observed(rsp: RunFunctionResponse, ready: Record<string, 'True' | 'False'>, message = 'install failed'): Record<string, KubeObject> {
  return Object.fromEntries(
    Object.entries(desired(rsp)).map(([n, o]) => {
      const obj = structuredClone(o);
      if (ready[n]) obj.status = { conditions: [{ type: 'Ready', status: ready[n], ...(ready[n] === 'False' ? { message } : {}) }] };
      return [n, obj];
    }),
  );
}

/** The first reconcile composes the host Namespace; once it is observed, the second composes what goes in it. */
async function composed(c: KubeObject): Promise<RunFunctionResponse> {
  const first = await run(compose, requestFor(c));
  expect(Object.keys(desired(first))).toEqual(['namespace']);
  return run(compose, requestFor(c, observed(first, {})));
}

describe('vcluster', () => {
  it('minimal: a host namespace and the vCluster release, small and isolated, no add-ons', async () => {
    const rsp = await composed(vc({}));
    expect(fatals(rsp)).toEqual([]);
    const out = desired(rsp) as Record<string, Any>;
    expect(Object.keys(out).sort()).toEqual(['namespace', 'vcluster']);
    expect(out.namespace.metadata.name).toBe('vcluster-team-viz-viz');
    expect(out.vcluster).toMatchObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'vcluster', namespace: 'vcluster-team-viz-viz' },
      spec: { chart: { spec: { chart: 'vcluster', version: '0.21.0', sourceRef: { kind: 'HelmRepository', name: 'loft', namespace: 'flux-system' } } } },
    });
    const values = out.vcluster.spec.values;
    expect(values.controlPlane.distro.k8s).toEqual({ enabled: true, version: 'v1.31.1' });
    expect(values.controlPlane.statefulSet.resources).toEqual({ requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } });
    expect(values.controlPlane).not.toHaveProperty('service');
    expect(values.policies).toEqual({
      networkPolicy: { enabled: true },
      limitRange: { enabled: true },
      resourceQuota: { enabled: true, quota: { 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '2', 'limits.memory': '4Gi' } },
    });
    expect(values.exportKubeConfig).toEqual({ server: 'https://vcluster.vcluster-team-viz-viz:443', secret: { name: 'vcluster-kubeconfig' } });
    expect(statusOf(rsp)).toMatchObject({ namespace: 'vcluster-team-viz-viz', kubeconfigSecret: 'vcluster-kubeconfig', releases: { vcluster: false }, message: 'waiting for vcluster' });
  });

  it('features: add-ons installed into the vCluster through its kubeconfig, after it (istiod after istio-base)', async () => {
    const rsp = await composed(
      vc({ size: 'large', kubernetes: { version: '1.29' }, networking: { isolation: false, exposeApi: true }, features: { istio: true, knative: true, argocd: true, observability: true } }),
    );
    const out = desired(rsp) as Record<string, Any>;
    expect(Object.keys(out).sort()).toEqual(['argocd', 'istio-base', 'istiod', 'knative-operator', 'namespace', 'observability', 'vcluster']);
    expect(out.istiod.spec).toMatchObject({
      kubeConfig: { secretRef: { name: 'vcluster-kubeconfig', key: 'config' } },
      targetNamespace: 'istio-system',
      install: { createNamespace: true },
      dependsOn: [{ name: 'istio-base' }],
      chart: { spec: { chart: 'istiod', sourceRef: { name: 'istio' } } },
    });
    for (const n of ['istio-base', 'knative-operator', 'argocd', 'observability']) expect(out[n].spec.dependsOn).toEqual([{ name: 'vcluster' }]);
    expect(out.argocd.spec.targetNamespace).toBe('argocd');
    expect(out.observability.spec.chart.spec.chart).toBe('kube-prometheus-stack');
    const values = out.vcluster.spec.values;
    expect(values.controlPlane.service).toEqual({ spec: { type: 'LoadBalancer' } });
    expect(values.controlPlane.distro.k8s.version).toBe('v1.29.9');
    expect(values.policies.resourceQuota.enabled).toBe(false);
  });

  it('is Ready when every release is; says which one fails and why', async () => {
    const c = vc({ features: { argocd: true } });
    const first = await composed(c);
    const failing = await run(compose, requestFor(c, observed(first, { vcluster: 'True', argocd: 'False' }, 'chart pull failed')));
    expect(statusOf(failing)).toMatchObject({ releases: { vcluster: true, argocd: false }, message: 'argocd not ready: chart pull failed' });
    const ok = await run(compose, requestFor(c, observed(first, { vcluster: 'True', argocd: 'True' })));
    expect(statusOf(ok)).not.toHaveProperty('message');
    expect(Object.values(ok.desired!.resources!).every((r) => r.ready === Ready.READY_TRUE)).toBe(true);
  });

  it('keeps long names within a DNS label', () => {
    const ns = hostNamespace('a-very-long-team-namespace-name', 'an-even-longer-environment-claim-name');
    expect(ns.length).toBeLessThanOrEqual(63);
    expect(ns).toBe(hostNamespace('a-very-long-team-namespace-name', 'an-even-longer-environment-claim-name'));
  });

  it.each([
    ['an unknown Kubernetes version', { kubernetes: { version: '1.25' } }, 'spec.kubernetes.version: must be one of 1.29, 1.30, 1.31'],
    ['an unknown size', { size: 'xl' }, 'spec.size: must be one of small, medium, large'],
    ['a feature that is not a boolean', { features: { istio: 'yes' } }, 'spec.features.istio: must be of type boolean'],
  ])('rejects %s with a Fatal result naming the field', async (_l, spec, message) => {
    const rsp = await run(compose, requestFor(vc(spec)));
    expect(fatals(rsp)).toEqual([`invalid XVClusterEnvironment: ${message}`]);
  });

  it('the same request gives the same response', async () => {
    const c = vc({ features: { istio: true } });
    const first = await run(compose, requestFor(c));
    const obs = observed(first, { vcluster: 'True' });
    expect(await run(compose, requestFor(c, obs))).toEqual(await run(compose, requestFor(c, obs)));
  });
});
