/**
 * `platform doctor` against a real kube-apiserver (+ etcd), through
 * @kubernetes/client-node and a kubeconfig, as a user runs it. No
 * controllers run: the test applies what ArgoCD would (the generated files,
 * Crossplane's own CRDs from the pinned module) and writes the status
 * conditions Crossplane would write, so each check is seen failing with its
 * fix and then passing. The operators' CRDs (KEDA, Flux, Knative, Istio,
 * External Secrets, KubeVela, the GitHub provider) are stand-ins with the
 * right group, kind and plural: doctor checks that they are served.
 *
 * Needs the local control plane's etcd, kube-apiserver and
 * kube-controller-manager in .build/bin (`make controlplane-tools`, which
 * `make conformance` runs first); without them the suite says so and skips.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { requiredCrds } from '../../cli/doctor.js';
import { ROOT } from '../../harness/tools.js';
import { apiserverBinaries, startApiServer, type ApiServer } from '../support/apiserver.js';
import { platform } from '../support/cli.js';

const bins = apiserverBinaries();
if (!bins)
  console.warn(
    'doctor against a real API server SKIPPED: no etcd/kube-apiserver/kube-controller-manager/kubectl in .build/bin (`make controlplane-tools` builds them; `make conformance` does it first)',
  );

/** Kind and version of each operator CRD doctor requires (Crossplane's come from its module). */
const STAND_INS: Record<string, [kind: string, version: string, scope: 'Namespaced' | 'Cluster']> = {
  'applications.core.oam.dev': ['Application', 'v1beta1', 'Namespaced'],
  'componentdefinitions.core.oam.dev': ['ComponentDefinition', 'v1beta1', 'Namespaced'],
  'traitdefinitions.core.oam.dev': ['TraitDefinition', 'v1beta1', 'Namespaced'],
  'policydefinitions.core.oam.dev': ['PolicyDefinition', 'v1beta1', 'Namespaced'],
  'helmreleases.helm.toolkit.fluxcd.io': ['HelmRelease', 'v2', 'Namespaced'],
  'helmrepositories.source.toolkit.fluxcd.io': ['HelmRepository', 'v1', 'Namespaced'],
  'scaledobjects.keda.sh': ['ScaledObject', 'v1alpha1', 'Namespaced'],
  'services.serving.knative.dev': ['Service', 'v1', 'Namespaced'],
  'gateways.networking.istio.io': ['Gateway', 'v1', 'Namespaced'],
  'virtualservices.networking.istio.io': ['VirtualService', 'v1', 'Namespaced'],
  'externalsecrets.external-secrets.io': ['ExternalSecret', 'v1', 'Namespaced'],
  'repositories.repo.github.upbound.io': ['Repository', 'v1alpha1', 'Cluster'],
  'repositoryfiles.repo.github.upbound.io': ['RepositoryFile', 'v1alpha1', 'Cluster'],
  // What Crossplane makes from the realtime-platform XRD (no Crossplane runs here).
  'realtimeplatformclaims.platform.example.org': ['RealtimePlatformClaim', 'v1alpha1', 'Namespaced'],
};

function crd(name: string, [kind, version, scope]: (typeof STAND_INS)[string]) {
  const [plural, ...group] = name.split('.');
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: group.join('.'),
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope,
      versions: [{ name: version, served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

const CROSSPLANE_CRDS = join(ROOT, '.build/validate-cache/xpkg.crossplane.io/crossplane/crossplane@v2.2.1/package.yaml');

describe.skipIf(!bins)('platform doctor against a real kube-apiserver', () => {
  let api: ApiServer;
  const doctor = async (...args: string[]) => {
    const r = await platform('doctor', '--kubeconfig', api.kubeconfig, ...args);
    // doctor reports problems in its table; anything on stderr is a doctor bug.
    expect(r.err).toBe('');
    return r;
  };
  /** Status conditions as Crossplane writes them. */
  const setConditions = (resource: string, name: string, types: string[]) =>
    api.kubectl([
      'patch',
      resource,
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { conditions: types.map((type) => ({ type, status: 'True', reason: 'Available', lastTransitionTime: '2026-01-01T00:00:00Z' })) } }),
    ]);

  beforeAll(async () => {
    api = await startApiServer(bins!);
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('an empty cluster: reachable, every operator CRD missing with its fix, exit 1', async () => {
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(r.out).toContain('✓ API server reachable');
    for (const name of requiredCrds()) expect(r.out).toMatch(new RegExp(`✗ CRD ${name.replace(/\./g, '\\.')} .*missing`));
    expect(r.out).toContain('fix: install KEDA: sync the ArgoCD Application keda (gitops/apps)');
    expect(r.out).toContain('fix: install Knative Serving (the platform expects it in the cluster; it is not in gitops/apps)');
    expect(r.out).toContain('fix: kubectl apply -f install/providers.yaml');
    expect(r.out).toContain('✓ Secrets the claims refer to');
  });

  it('with everything applied but nothing reconciled: XRDs not Established, packages not Healthy, each with its fix', async () => {
    api.kubectl(['apply', '--server-side', '-f', CROSSPLANE_CRDS]);
    api.kubectl(
      ['apply', '-f', '-'],
      Object.entries(STAND_INS)
        .map(([n, s]) => stringify(crd(n, s)))
        .join('---\n'),
    );
    api.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
    api.kubectl(['create', 'namespace', 'vela-system']);
    for (const path of ['xrds', 'compositions', 'install/functions.yaml', 'install/providers.yaml', 'definitions']) {
      api.kubectl(['apply', '--server-side', '-R', '-f', join(ROOT, path)]);
    }
    const r = await doctor();
    expect(r.code).toBe(1);
    for (const name of requiredCrds()) expect(r.out).toMatch(new RegExp(`✓ CRD ${name.replace(/\./g, '\\.')} `));
    expect(r.out).toMatch(
      /✗ CompositeResourceDefinition xapplications\.platform\.example\.org\s+Established=missing, Offered=missing\n {4}fix: kubectl describe xrd xapplications\.platform\.example\.org \(from xrds\/xapplications\.platform\.example\.org\.yaml\); Crossplane must run/,
    );
    expect(r.out).toMatch(/✗ Function function-platform-vcluster\s+Installed=missing, Healthy=missing/);
    expect(r.out).toMatch(/✓ Composition xrealtimeplatforms\.platform\.example\.org\s+present/);
    expect(r.out).toMatch(/✓ ComponentDefinition vela-system\/knative-webservice\s+present/);
    const definitions = readdirSync(join(ROOT, 'definitions'), { recursive: true }).filter((f) => String(f).endsWith('.yaml'));
    expect((r.out.match(/✓ (Component|Trait|Policy)Definition vela-system\//g) ?? []).length).toBe(definitions.length);
  });

  it('reconciled, with a claim whose operator Secrets are missing, then present: exit 0 only when all pass', async () => {
    for (const f of readdirSync(join(ROOT, 'xrds'))) setConditions('compositeresourcedefinitions.apiextensions.crossplane.io', f.replace(/\.yaml$/, ''), ['Established', 'Offered']);
    for (const name of ['function-platform-event-driven-service', 'function-platform-realtime-platform', 'function-platform-application', 'function-platform-vcluster']) {
      setConditions('functions.pkg.crossplane.io', name, ['Installed', 'Healthy']);
    }
    // Every provider install/ installs (the GitHub provider, the catalog's AWS apigatewayv2 family).
    for (const doc of parseAllDocuments(readFileSync(join(ROOT, 'install/providers.yaml'), 'utf8'))) {
      setConditions('providers.pkg.crossplane.io', (doc.toJS() as { metadata: { name: string } }).metadata.name, ['Installed', 'Healthy']);
    }
    api.kubectl(['create', 'namespace', 'health']);
    api.kubectl(['apply', '-f', join(ROOT, 'examples/realtime-platform/claim.yaml')]);
    const missing = await doctor();
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/✗ Secret health\/lenses-license for RealtimePlatformClaim health\/health-data\s+missing\n {4}fix: create Secret lenses-license in namespace health/);
    expect(missing.out).toMatch(/✗ Secret health\/mqtt-device1 for RealtimePlatformClaim health\/health-data/);
    expect(missing.out).toMatch(/4 of \d+ checks failed/);

    api.kubectl(['delete', 'composition', 'xvclusterenvironments.platform.example.org']);
    const noComposition = await doctor();
    expect(noComposition.out).toMatch(
      /✗ Composition xvclusterenvironments\.platform\.example\.org\s+missing\n {4}fix: kubectl apply -f compositions\/xvclusterenvironments\.platform\.example\.org\.yaml/,
    );
    api.kubectl(['apply', '-f', join(ROOT, 'compositions/xvclusterenvironments.platform.example.org.yaml')]);

    api.kubectl(['apply', '-f', join(ROOT, 'examples/realtime-platform/required.yaml')]);
    const ok = await doctor();
    expect(ok.out).not.toContain('✗');
    expect(ok.out).toMatch(/all \d+ checks passed/);
    expect(ok.code).toBe(0);
  });

  it('--context picks the kubeconfig context; an unreachable one fails with its fix', async () => {
    const r = await doctor('--context', 'gone');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ API server reachable .*\n {4}fix: check the kubeconfig and --context/);
  });
});
