/** vcluster through the real Crossplane CLI and cue: render, validate against the XRD, and the KubeVela definition. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { vcluster } from '../../functions/vcluster/api.js';
import { healthOf, loadDefinition, renderComponent, vcontext } from '../../harness/cue.js';
import { renderClaim } from '../../harness/render.js';
import { startAll, stopAll } from '../../harness/servers.js';
import { ROOT } from '../../harness/tools.js';
import { docs, readYaml } from '../support/yaml.js';

const EX = join(ROOT, 'examples/vcluster');
let servers: ChildProcess[] = [];
beforeAll(async () => {
  servers = await startAll();
});
afterAll(() => stopAll(servers));

describe('crossplane render: vcluster', () => {
  it('renders the example: namespace, the vCluster and its add-ons as HelmReleases', () => {
    const r = renderClaim(join(EX, 'claim.yaml'));
    expect(r.stderr).toBe('');
    const names = docs(r.stdout).map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'Namespace/vcluster-team-viz-architecture-visualization',
        'HelmRelease/vcluster',
        'HelmRelease/istio-base',
        'HelmRelease/istiod',
        'HelmRelease/knative-operator',
        'HelmRelease/observability',
      ]),
    );
    expect(names).not.toContain('HelmRelease/argocd');
  });
});

describe('vcluster ComponentDefinition (cue)', () => {
  const def = loadDefinition(join(ROOT, 'definitions/components/vcluster.yaml'));

  it('outputs the claim with the XRD defaults', () => {
    const params = (readYaml('examples/vcluster/claim.yaml').spec ?? {}) as object;
    const out = renderComponent(def, params, vcontext('viz-env', 'team-viz'));
    if (!out.ok) throw new Error(out.error);
    const expected = vcluster.validateSpec(params);
    if (!expected.ok) throw new Error('example invalid');
    expect(out.value).toEqual({ apiVersion: 'platform.example.org/v1alpha1', kind: 'VClusterEnvironmentClaim', metadata: { name: 'viz-env' }, spec: expected.value });
  });

  it('rejects an unknown version and reports health from the claim', () => {
    expect(renderComponent(def, { kubernetes: { version: '1.20' } }).ok).toBe(false);
    const h = healthOf(def, { status: { conditions: [{ type: 'Ready', status: 'True' }], namespace: 'vcluster-a-b', kubeconfigSecret: 'vcluster-kubeconfig' } });
    expect(h.isHealth).toEqual({ ok: true, value: true });
    expect(h.message).toEqual({ ok: true, value: 'vCluster ready in namespace vcluster-a-b, kubeconfig in Secret vcluster-kubeconfig' });
  });
});
