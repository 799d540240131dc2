/**
 * Facts that live in upstream code, not in a schema, read from the upstream
 * source files committed at the pinned tag (test/upstream/, README there), so a
 * version bump that changes them fails here: the names the vCluster's serving
 * certificate covers, the Kubernetes versions a vCluster release supports, the
 * key of the kubeconfig Secret it writes. VCLUSTER_FACTS (functions/lib/pins.ts)
 * states them; the function's values are checked against them.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS, VCLUSTER_FACTS } from '../../functions/lib/pins.js';
import { K8S_VERSIONS, VClusterSpec } from '../../functions/vcluster/api.js';
import { K8S_IMAGE_TAGS } from '../../functions/vcluster/compose.js';
import { compose } from '../../functions/vcluster/function.js';
import { settle } from '../../harness/request.js';
import { ROOT } from '../../harness/tools.js';
import { claim, desired } from '../support/request.js';

const SRC = join(ROOT, 'test/upstream', `vcluster-v${CHARTS.vcluster.version}`);
const source = (path: string) => {
  const file = join(SRC, path);
  if (!existsSync(file)) throw new Error(`${file}: the source of the pinned vCluster is not committed; run test/upstream/extract.sh`);
  return readFileSync(file, 'utf8');
};

/** The body of a Go function, from its signature to the next top-level `func`. */
function goFunc(text: string, signature: RegExp): string {
  const start = text.search(signature);
  if (start < 0) throw new Error(`no ${signature} in the source`);
  const end = text.indexOf('\nfunc ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/**
 * The host names a `[]string{…}` literal or `append(retSANs, …)` adds, with
 * the identifiers bound to their values; an expression with anything else in it
 * (an IP, a wildcard of node names, an API call) is not a name we can match.
 */
function names(exprs: string[], bound: Record<string, string>): string[] {
  return exprs.flatMap((e) => {
    const terms = e.split('+').map((t) => t.trim());
    const parts = terms.map((t) => (/^"[^"]*"$/.test(t) ? t.slice(1, -1) : bound[t]));
    return parts.every((p) => p !== undefined) ? [parts.join('')] : [];
  });
}
const listItems = (body: string) =>
  body
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The DNS names the pinned vCluster puts in its serving certificate, for a release in a namespace, with the values' extra SANs. */
function servingCertificateNames(release: string, namespace: string, extraSANs: string[]): string[] {
  const syncer = goFunc(source('pkg/server/cert/syncer.go'), /func \(s \*syncer\) getSANs\(/);
  const bound = { 's.serviceName': release, 's.currentNamespace': namespace };
  const initial = /retSANs := \[\]string\{([\s\S]*?)\}/.exec(syncer)?.[1] ?? '';
  const appended = [...syncer.matchAll(/retSANs = append\(\s*retSANs,([\s\S]*?)\)\n/g)].flatMap((m) => listItems(m[1]));
  const fromSyncer = names([...listItems(initial), ...appended], bound);
  // `retSANs = append(retSANs, s.addSANs...)`: controlPlane.proxy.extraSANs.
  expect(syncer, 'getSANs adds controlPlane.proxy.extraSANs').toMatch(/append\(retSANs, s\.addSANs\.\.\.\)/);
  const gen = goFunc(source('pkg/server/cert/cert.go'), /func GenServingCerts\(/);
  const fixed = names(listItems(/dnsNames := \[\]string\{([\s\S]*?)\}/.exec(gen)?.[1] ?? ''), { clusterDomain: 'cluster.local' });
  return [...new Set([...fromSyncer, ...fixed, ...extraSANs])];
}

async function vclusterValues(spec: object) {
  const c = claim('VClusterEnvironmentClaim', 'viz', 'team-viz', spec);
  const out = desired((await settle(compose, c, [])).rsp) as Record<string, { metadata: { namespace: string }; spec: { releaseName: string; values: Record<string, any> } }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return out;
}

describe(`vCluster ${CHARTS.vcluster.version}: facts from its source`, () => {
  it("the serving certificate covers the host name of the exported kubeconfig's server", async () => {
    const hr = (await vclusterValues({})).vcluster;
    const ns = hr.metadata.namespace;
    const host = new URL(hr.spec.values.exportKubeConfig.server as string).hostname;
    const sans = servingCertificateNames(hr.spec.releaseName, ns, hr.spec.values.controlPlane?.proxy?.extraSANs ?? []);
    // Sanity of the reading: the names VCLUSTER_FACTS states, and not the .svc form.
    for (const n of VCLUSTER_FACTS.servingCertificate.names) expect(sans).toContain(n.replace('<release>', hr.spec.releaseName).replace('<namespace>', ns));
    expect(sans).toContain('kubernetes.default.svc');
    expect(sans).not.toContain(`${hr.spec.releaseName}.${ns}.svc`);
    expect(sans, `${host} in the certificate's names ${sans.join(', ')}`).toContain(host);
  });

  it('the Service name getSANs starts from is the release name (VCLUSTER_NAME → ControlPlaneService → WorkloadService)', () => {
    expect(source('cmd/vcluster/cmd/start.go')).toMatch(/config\.ParseConfig\(options\.Config, os\.Getenv\("VCLUSTER_NAME"\)/);
    expect(source('pkg/config/parse.go')).toMatch(/ControlPlaneService: name,/);
    // GetRemoteClient returns (…, ControlPlaneService) as the workload service.
    expect(goFunc(source('pkg/pro/remote.go'), /var GetRemoteClient = func/)).toMatch(
      /return inClusterConfig, currentNamespace, vConfig\.ControlPlaneService, inClusterConfig, currentNamespace, vConfig\.ControlPlaneService, nil/,
    );
    expect(source('pkg/server/cert/syncer.go')).toMatch(/serviceName:\s+ctx\.Config\.WorkloadService,/);
    expect(source('chart/templates/statefulset.yaml')).toMatch(/- name: VCLUSTER_NAME\s+value: "\{\{ \.Release\.Name \}\}"/);
    expect(source('chart/templates/service.yaml')).toMatch(/name: \{\{ \.Release\.Name \}\}/);
  });

  it('supports every Kubernetes version the API offers, the default among them', () => {
    const text = source('config/default_extra_values.go');
    const mapKeys = (name: string) => {
      const body = new RegExp(`var ${name} = map\\[string\\]string\\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
      if (!body) throw new Error(`no ${name} in config/default_extra_values.go`);
      return [...body.matchAll(/"(\d+\.\d+)":/g)].map((m) => m[1]).sort();
    };
    const supported = mapKeys('K8SAPIVersionMap');
    expect(mapKeys('K8SControllerVersionMap')).toEqual(supported);
    expect(mapKeys('K8SSchedulerVersionMap')).toEqual(supported);
    expect(supported).toEqual([...VCLUSTER_FACTS.kubernetesVersions.versions].sort());
    const offered = [...K8S_VERSIONS];
    expect(
      offered.filter((v) => !supported.includes(v)),
      `offered ${offered.join(', ')}; ${CHARTS.vcluster.version} supports ${supported.join(', ')}`,
    ).toEqual([]);
    const dflt = VClusterSpec.properties.kubernetes.properties.version.default as string;
    expect(supported).toContain(dflt);
    // The image run for each version is of that minor.
    for (const v of offered) expect(K8S_IMAGE_TAGS[v]).toMatch(new RegExp(`^v${v.replace('.', '\\.')}\\.\\d+$`));
  });

  it('writes the kubeconfig under the key the add-ons read', async () => {
    const key = /KubeconfigSecretKey\s*=\s*"([^"]+)"/.exec(source('pkg/util/kubeconfig/kubeconfig.go'))?.[1];
    expect(key).toBe(VCLUSTER_FACTS.kubeconfigSecretKey.key);
    const out = await vclusterValues({ features: { istio: true } });
    expect((out.istiod.spec as unknown as { kubeConfig: { secretRef: { key: string } } }).kubeConfig.secretRef.key).toBe(key);
  });

  it('the chart keeps its own default tag unless controlPlane.distro.k8s.version is set, so the function sets that key', async () => {
    const tpl = source('chart/templates/_init-containers.tpl');
    const dflt = /\{\{- \$defaultTag := "(v[0-9.]+)" -\}\}/.exec(tpl)?.[1];
    expect(dflt, "the chart's default tag").toBeDefined();
    // A tag equal to the default is replaced by the host's version (Capabilities.KubeVersion) unless `version` is set.
    expect(tpl).toMatch(/include "vcluster\.k8s\.capabilities\.version"/);
    const values = (await vclusterValues({ kubernetes: { version: '1.31' } })).vcluster.spec.values;
    expect(values.controlPlane.distro.k8s.version).toBe(K8S_IMAGE_TAGS['1.31']);
    expect(VCLUSTER_FACTS.versionKey.key).toBe('controlPlane.distro.k8s.version');
  });
});
