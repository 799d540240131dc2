/**
 * What a VClusterEnvironment is made of: a host namespace, the vCluster as a
 * Flux HelmRelease (loft-sh/vcluster), and one HelmRelease per add-on that
 * Flux installs *into* the vCluster through the kubeconfig Secret the
 * vCluster exports. Flux, not an ArgoCD Application, for the same reasons as
 * the Helm-based KubeVela components: a namespaced object with a `Ready`
 * condition, and `spec.kubeConfig` to target another cluster. It needs Flux's
 * source-controller and helm-controller and the HelmRepositories of
 * install/flux-sources.yaml.
 */
import type { ComposeInput, ComposeOutput, DesiredResource } from '../lib/function/compose.js';
import { condition, standardLabels, type KubeObject } from '../lib/k8s/objects.js';
import { readiness } from '../lib/k8s/readiness.js';
import { digest } from '../lib/secrets.js';
import { CHARTS as PINNED, KUBERNETES_IMAGE_TAGS, VCLUSTER_FACTS } from '../lib/pins.js';
import type { VClusterSpec } from './api.js';

/** Charts, pinned in functions/lib/pins.ts. The vCluster values follow the chart's values.schema.json at that version. */
export const CHARTS = {
  vcluster: PINNED.vcluster,
  'istio-base': PINNED['istio-base'],
  istiod: PINNED.istiod,
  'knative-operator': PINNED['knative-operator'],
  argocd: PINNED.argocd,
  observability: PINNED.observability,
} as const;
type Release = keyof typeof CHARTS;

/** Kubernetes patch release run for each minor version. */
export const K8S_IMAGE_TAGS: Record<VClusterSpec['kubernetes']['version'], string> = {
  '1.29': KUBERNETES_IMAGE_TAGS['1.29'].tag,
  '1.30': KUBERNETES_IMAGE_TAGS['1.30'].tag,
  '1.31': KUBERNETES_IMAGE_TAGS['1.31'].tag,
};

const SIZES = {
  small: { controlPlane: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } }, quota: { cpu: '2', memory: '4Gi' } },
  medium: { controlPlane: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } }, quota: { cpu: '8', memory: '16Gi' } },
  large: { controlPlane: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } }, quota: { cpu: '32', memory: '64Gi' } },
} as const;

/** Add-ons per feature, in install order, with the namespace they go to inside the vCluster. */
const ADDONS: Record<keyof VClusterSpec['features'], { release: Release; namespace: string; dependsOn?: Release }[]> = {
  istio: [
    { release: 'istio-base', namespace: 'istio-system' },
    { release: 'istiod', namespace: 'istio-system', dependsOn: 'istio-base' },
  ],
  knative: [{ release: 'knative-operator', namespace: 'knative-operator' }],
  argocd: [{ release: 'argocd', namespace: 'argocd' }],
  observability: [{ release: 'observability', namespace: 'monitoring' }],
};

/** Host namespace: readable when it fits in a DNS label, else a stable digest. */
export function hostNamespace(claimNs: string, claimName: string): string {
  const readable = `vcluster-${claimNs}-${claimName}`;
  return readable.length <= 63 ? readable : `vcluster-${digest(claimNs, claimName)}`;
}

const KUBECONFIG_SECRET = 'vcluster-kubeconfig';
/** The vCluster's Service is named after its Helm release (chart/templates/service.yaml), port 443. */
const RELEASE = 'vcluster';

/**
 * The virtual API server as Flux's helm-controller reaches it: the Service's
 * `<name>.<namespace>`, a name the vCluster's serving certificate covers
 * (VCLUSTER_FACTS.servingCertificate; `<name>.<namespace>.svc` is not one, and
 * the exported kubeconfig carries the CA, so the host name is verified). It
 * resolves through the pod's DNS search path (`svc.<cluster domain>`).
 */
export const apiServerUrl = (ns: string) => `https://${RELEASE}.${ns}:443`;

function helmRelease(name: Release, namespace: string, labels: Record<string, string>, extra: Record<string, unknown>, values: Record<string, unknown>): KubeObject {
  const c = CHARTS[name];
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace, labels },
    spec: {
      releaseName: name,
      interval: '10m',
      chart: { spec: { chart: c.chart, version: c.version, sourceRef: { kind: 'HelmRepository', name: c.repository, namespace: 'flux-system' } } },
      install: { remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3 } },
      ...extra,
      values,
    },
  };
}

function vclusterValues(spec: VClusterSpec, ns: string): Record<string, unknown> {
  const size = SIZES[spec.size];
  const isolated = spec.networking.isolation;
  return {
    controlPlane: {
      // `version`, not the components' image tags: the chart replaces a tag equal
      // to its own default (v1.31.1) by the host cluster's version (VCLUSTER_FACTS.versionKey).
      distro: { k8s: { enabled: true, version: K8S_IMAGE_TAGS[spec.kubernetes.version] } },
      statefulSet: { resources: { requests: { ...size.controlPlane.requests }, limits: { ...size.controlPlane.limits } } },
      ...(spec.networking.exposeApi ? { service: { spec: { type: 'LoadBalancer' } } } : {}),
    },
    // Flux's helm-controller reaches the virtual API server through its Service.
    exportKubeConfig: { server: apiServerUrl(ns), secret: { name: KUBECONFIG_SECRET } },
    policies: {
      networkPolicy: { enabled: isolated },
      limitRange: { enabled: isolated },
      resourceQuota: {
        enabled: isolated,
        quota: { 'requests.cpu': size.quota.cpu, 'requests.memory': size.quota.memory, 'limits.cpu': size.quota.cpu, 'limits.memory': size.quota.memory },
      },
    },
  };
}

export function composeVCluster({ spec, claim, observed }: ComposeInput<VClusterSpec>): ComposeOutput {
  const ns = hostNamespace(claim.namespace, claim.name);
  const labels = standardLabels(claim.name, 'vcluster');
  const helmReady = (name: string) => readiness.managed(observed[name]);

  const resources: Record<string, DesiredResource> = {
    // The vCluster syncs its workloads' pods into this namespace, and those
    // include Istio's init containers (NET_ADMIN, NET_RAW) when istio is on:
    // neither restricted nor baseline admits them. Isolation comes from the
    // vCluster's NetworkPolicies, quota and limits instead.
    namespace: {
      resource: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' } } },
      ready: observed.namespace !== undefined,
    },
    vcluster: { resource: helmRelease(RELEASE, ns, labels, {}, vclusterValues(spec, ns)), ready: helmReady('vcluster') },
  };
  for (const [feature, addons] of Object.entries(ADDONS) as [keyof VClusterSpec['features'], (typeof ADDONS)['istio']][]) {
    if (!spec.features[feature]) continue;
    for (const a of addons) {
      resources[a.release] = {
        resource: helmRelease(
          a.release,
          ns,
          { ...labels, 'platform.example.org/feature': feature },
          {
            // Installed into the vCluster, not the host.
            kubeConfig: { secretRef: { name: KUBECONFIG_SECRET, key: VCLUSTER_FACTS.kubeconfigSecretKey.key } },
            targetNamespace: a.namespace,
            storageNamespace: a.namespace,
            install: { createNamespace: true, remediation: { retries: 3 } },
            dependsOn: [{ name: a.dependsOn ?? 'vcluster' }],
          },
          {},
        ),
        ready: helmReady(a.release),
      };
    }
  }

  const releases = Object.fromEntries(
    Object.keys(resources)
      .filter((n) => n !== 'namespace')
      .map((n) => [n, helmReady(n)]),
  );
  const waiting = Object.entries(releases)
    .filter(([, ok]) => !ok)
    .map(([n]) => n);
  const failing = waiting.map((n) => condition(observed[n], 'Ready')).find((c) => c?.status === 'False' && c.message);
  return {
    resources,
    status: {
      namespace: ns,
      kubeconfigSecret: KUBECONFIG_SECRET,
      releases,
      ...(waiting.length > 0 ? { message: failing ? `${waiting.join(', ')} not ready: ${failing.message}` : `waiting for ${waiting.join(', ')}` } : {}),
    },
  };
}
