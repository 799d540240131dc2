/**
 * doctor's checks over an in-memory cluster. The real API server run is
 * test/conformance/doctor.test.ts; this one pins what the checks derive from
 * the repository and how they fail without any binary.
 */
import { describe, expect, it } from 'vitest';
import { doctor, OPERATORS, requiredCrds, runChecks, type ClusterReader } from '../../cli/doctor.js';
import type { KubeObject } from '../../functions/lib/k8s/objects.js';
import { CHILDREN } from '../../synth/gitops.js';

/** A cluster holding `objects`; kinds without a CRD among them are not served. */
function cluster(objects: KubeObject[]): ClusterReader {
  const served = (apiVersion: string, kind: string) =>
    !apiVersion.includes('.') ||
    apiVersion.split('/')[0].endsWith('.k8s.io') ||
    objects.some((o) => o.kind === 'CustomResourceDefinition' && (o.spec as { names: { kind: string } }).names.kind === kind);
  return {
    get: async (apiVersion, kind, name, namespace) =>
      served(apiVersion, kind) ? (objects.find((o) => o.apiVersion === apiVersion && o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === namespace) ?? null) : null,
    list: async (apiVersion, kind) => (served(apiVersion, kind) ? objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind) : null),
  };
}

describe('platform doctor checks', () => {
  it('requires the CRDs of every kind the functions compose and read', () => {
    expect(requiredCrds()).toEqual(
      expect.arrayContaining([
        'scaledobjects.keda.sh',
        'helmreleases.helm.toolkit.fluxcd.io',
        'gateways.networking.istio.io',
        'virtualservices.networking.istio.io',
        'repositories.repo.github.upbound.io',
        'applications.core.oam.dev',
        'services.serving.knative.dev',
        'externalsecrets.external-secrets.io',
      ]),
    );
    // networking.k8s.io (NetworkPolicies) and the other built-in groups have no CRD.
    expect(requiredCrds().filter((c) => c.endsWith('.k8s.io'))).toEqual([]);
  });

  it('names only ArgoCD Applications that the app-of-apps has', () => {
    const apps = CHILDREN.map((c) => c.name);
    for (const op of Object.values(OPERATORS)) if (op.argocd) expect(apps).toContain(op.argocd);
  });

  it('an unreachable API server is one failed check with its fix, exit 1', async () => {
    const refused: ClusterReader = {
      get: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
      },
      list: async () => null,
    };
    expect(await runChecks(refused)).toEqual([
      { group: 'cluster', name: 'API server reachable', ok: false, detail: 'connect ECONNREFUSED 127.0.0.1:6443', fix: 'check the kubeconfig and --context (kubectl cluster-info)' },
    ]);
    let out = '';
    expect(await doctor(refused, { out: (t) => (out += t), err: () => {} })).toBe(1);
    expect(out).toMatch(/✗ API server reachable .*ECONNREFUSED.*\n {4}fix: check the kubeconfig/);
  });

  it('a CRD that exists but is not Established fails with kubectl describe', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'scaledobjects.keda.sh' },
      spec: { names: { kind: 'ScaledObject' } },
      status: { conditions: [{ type: 'Established', status: 'False' }] },
    };
    const checks = await runChecks(cluster([crd]));
    expect(checks.find((c) => c.name.startsWith('CRD scaledobjects.keda.sh'))).toEqual({
      group: 'operators',
      name: 'CRD scaledobjects.keda.sh (KEDA)',
      ok: false,
      detail: 'not Established yet',
      fix: 'kubectl describe crd scaledobjects.keda.sh',
    });
  });
});
