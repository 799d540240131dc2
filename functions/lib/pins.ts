/**
 * Every external version this platform depends on, in one place per kind of
 * pin: Helm chart repositories, Helm charts, container images, Crossplane
 * packages, and the controllers whose APIs the emitted objects use. Each pin
 * names the upstream source it was checked against (repository + path + tag,
 * or a release/documentation page), and the reference pages print them.
 *
 * Facts are read from upstream at the pinned tag, never from memory; the
 * tests in test/conformance/upstream-*.test.ts hold the catalog to the
 * committed upstream files (test/upstream/).
 */

export interface Pin {
  /** Where the pin was checked: `owner/repo path@tag`, or a page. */
  source: string;
}

export interface ChartRepositoryPin extends Pin {
  url: string;
  /** Flux HelmRepository `spec.type`: `oci` for an OCI registry. */
  type?: 'oci';
}

/** Flux HelmRepositories (namespace flux-system) that install/flux-sources.yaml creates. */
export const CHART_REPOSITORIES = {
  // The HTTP index charts.bitnami.com keeps only recent releases and points to
  // OCI (bitnami/charts #10833, #30609); every chart README gives
  // `oci://registry-1.docker.io/bitnamicharts/<chart>` (bitnami/charts
  // bitnami/kafka/README.md@kafka/32.4.3, "TL;DR").
  bitnami: { url: 'oci://registry-1.docker.io/bitnamicharts', type: 'oci', source: 'bitnami/charts bitnami/kafka/README.md@kafka/32.4.3 (TL;DR); bitnami/charts#30609' },
  // The release workflow pushes each tag's chart there (loft-sh/vcluster
  // .github/workflows/release.yaml@v0.21.0, publish-chart: CHART_MUSEUM_URL).
  loft: { url: 'https://charts.loft.sh', source: 'loft-sh/vcluster .github/workflows/release.yaml@v0.21.0 (publish-chart job, CHART_MUSEUM_URL https://charts.loft.sh/)' },
  istio: { url: 'https://istio-release.storage.googleapis.com/charts', source: 'istio/istio manifests/charts/base/README.md@1.23.2 (helm repo add istio …)' },
  knative: { url: 'https://knative.github.io/operator', source: 'knative.dev/docs/install/operator/knative-with-operators (Helm); knative/operator gh-pages index.yaml (PR #2335: versions vX.Y.Z)' },
  argo: { url: 'https://argoproj.github.io/argo-helm', source: 'argoproj/argo-helm README.md@argo-cd-7.6.8 (helm repo add argo …)' },
  'prometheus-community': { url: 'https://prometheus-community.github.io/helm-charts', source: 'prometheus-community/helm-charts README.md@kube-prometheus-stack-65.1.1 (helm repo add …)' },
} as const satisfies Record<string, ChartRepositoryPin>;
export type ChartRepository = keyof typeof CHART_REPOSITORIES;

export interface ChartPin extends Pin {
  repository: ChartRepository;
  chart: string;
  version: string;
}

/**
 * Charts Flux installs for the catalog and the vcluster function. Bitnami:
 * the last releases before the images moved to `bitnamilegacy` on 2025-08-28
 * (bitnami/containers#83267, bitnami/charts#35164); the values override each
 * image to `bitnamilegacy` (BITNAMI_LEGACY_IMAGES) at the chart's own tag.
 */
export const CHARTS = {
  kafka: {
    repository: 'bitnami',
    chart: 'kafka',
    version: '32.4.3',
    source: 'bitnami/charts bitnami/kafka@kafka/32.4.3 with bitnami/common@common/2.31.4 (test/upstream/bitnami, rendered by Helm in the tests)',
  },
  redis: {
    repository: 'bitnami',
    chart: 'redis',
    version: '22.0.7',
    source: 'bitnami/charts bitnami/redis@redis/22.0.7 with bitnami/common@common/2.31.4 (test/upstream/bitnami, rendered by Helm in the tests)',
  },
  mongodb: {
    repository: 'bitnami',
    chart: 'mongodb',
    version: '16.5.45',
    source: 'bitnami/charts bitnami/mongodb@mongodb/16.5.45 with bitnami/common@common/2.31.4 (test/upstream/bitnami, rendered by Helm in the tests)',
  },
  // 0.21.0, not 0.20.x: 0.20 supports Kubernetes 1.27–1.30 only, 0.21.0 1.27–1.31
  // (VCLUSTER_FACTS). The chart is published with version and appVersion = the
  // tag without `v` (release.yaml publish-chart: helm cm-push --version --app-version).
  vcluster: {
    repository: 'loft',
    chart: 'vcluster',
    version: '0.21.0',
    source: 'loft-sh/vcluster chart/{Chart.yaml,values.yaml,values.schema.json,templates}@v0.21.0 (test/upstream/vcluster-v0.21.0, rendered by Helm in the tests)',
  },
  'istio-base': { repository: 'istio', chart: 'base', version: '1.23.2', source: 'istio/istio manifests/charts/base@1.23.2 (tag exists)' },
  istiod: { repository: 'istio', chart: 'istiod', version: '1.23.2', source: 'istio/istio manifests/charts/istio-control/istio-discovery@1.23.2 (tag exists)' },
  'knative-operator': { repository: 'knative', chart: 'knative-operator', version: 'v1.15.4', source: 'knative/operator config/charts/knative-operator@knative-v1.15.4 (tag exists)' },
  argocd: { repository: 'argo', chart: 'argo-cd', version: '7.6.8', source: 'argoproj/argo-helm charts/argo-cd/Chart.yaml@argo-cd-7.6.8 (Argo CD v2.12.4)' },
  observability: { repository: 'prometheus-community', chart: 'kube-prometheus-stack', version: '65.1.1', source: 'prometheus-community/helm-charts tag kube-prometheus-stack-65.1.1 (tag exists)' },
} as const satisfies Record<string, ChartPin>;

/**
 * Images the Bitnami charts pull, at each chart version's own tags
 * (values.yaml at the chart tag), from `bitnamilegacy`, where every
 * existing tag was copied on 2025-08-28 (bitnami/charts#35164).
 */
export const BITNAMI_LEGACY_IMAGES = {
  kafka: {
    image: { repository: 'bitnamilegacy/kafka', tag: '4.0.0-debian-12-r10' },
    'defaultInitContainers.volumePermissions.image': { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
    'defaultInitContainers.autoDiscovery.image': { repository: 'bitnamilegacy/kubectl', tag: '1.33.4-debian-12-r0' },
    'metrics.jmx.image': { repository: 'bitnamilegacy/jmx-exporter', tag: '1.4.0-debian-12-r0' },
  },
  redis: {
    image: { repository: 'bitnamilegacy/redis', tag: '8.2.1-debian-12-r0' },
    'sentinel.image': { repository: 'bitnamilegacy/redis-sentinel', tag: '8.2.1-debian-12-r0' },
    'metrics.image': { repository: 'bitnamilegacy/redis-exporter', tag: '1.76.0-debian-12-r0' },
    'volumePermissions.image': { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
    'kubectl.image': { repository: 'bitnamilegacy/kubectl', tag: '1.33.4-debian-12-r0' },
    'sysctl.image': { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
  },
  mongodb: {
    image: { repository: 'bitnamilegacy/mongodb', tag: '8.0.13-debian-12-r0' },
    'tls.image': { repository: 'bitnamilegacy/nginx', tag: '1.29.1-debian-12-r0' },
    'externalAccess.autoDiscovery.image': { repository: 'bitnamilegacy/kubectl', tag: '1.33.4-debian-12-r0' },
    'externalAccess.dnsCheck.image': { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
    'volumePermissions.image': { repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
    'metrics.image': { repository: 'bitnamilegacy/mongodb-exporter', tag: '0.47.0-debian-12-r1' },
  },
} as const;

export interface ImagePin extends Pin {
  ref: string;
}

const NOT_RECHECKED = 'Docker Hub tag; not re-checked in issue 11 (no registry access here)';
/** Docker official images: the tag is listed in docker-library/official-images library/<image> at that commit. */
const officialImage = (image: string, commit: string) => `docker-library/official-images library/${image}@${commit} (Tags)`;

/** Container images the functions and definitions run. */
export const IMAGE_PINS = {
  postgres: { ref: 'postgres:16.4', source: officialImage('postgres', '3c75042fbb') },
  redis: { ref: 'redis:7.4.1', source: officialImage('redis', '88c780051d') },
  fastDataDev: { ref: 'lensesio/fast-data-dev:3.9.0', source: NOT_RECHECKED },
  kafkaTools: { ref: 'apache/kafka:3.9.0', source: NOT_RECHECKED },
  // Released Lenses 6.1 images (the 6-preview tags are superseded):
  // https://docs.lenses.io/latest/devx/6.1/deployment/installation/helm/hq (image lensesio/lenses-hq)
  // https://docs.lenses.io/latest/deployment/installation/docker/agent (lensesio/lenses-agent:6.1)
  lensesHq: { ref: 'lensesio/lenses-hq:6.1', source: 'docs.lenses.io/latest/devx/6.1/deployment/installation/helm/hq (Docker Hub lensesio/lenses-hq), release 6.1' },
  lensesAgent: { ref: 'lensesio/lenses-agent:6.1', source: 'docs.lenses.io/latest/devx/6.1/deployment/installation/docker (lensesio/lenses-agent:6.1)' },
  mosquitto: { ref: 'eclipse-mosquitto:2.0.20', source: officialImage('eclipse-mosquitto', 'd65fca2f13') },
  metabase: { ref: 'metabase/metabase:v0.50.25', source: NOT_RECHECKED },
  grafana: { ref: 'grafana/grafana:11.2.0', source: NOT_RECHECKED },
  mysql: { ref: 'mysql:8.4.2', source: officialImage('mysql', '1bb0f358ee') },
  mongodb: { ref: 'mongo:7.0.14', source: officialImage('mongo', '71487a96a2') + ' (SharedTags)' },
  curl: { ref: 'curlimages/curl:8.10.1', source: NOT_RECHECKED },
} as const satisfies Record<string, ImagePin>;

type ImageRefs = { readonly [K in keyof typeof IMAGE_PINS]: (typeof IMAGE_PINS)[K]['ref'] };
/** The image references alone, for the manifests. */
export const IMAGE_REFS = Object.fromEntries(Object.entries(IMAGE_PINS).map(([k, p]) => [k, p.ref])) as ImageRefs;

/**
 * Kubernetes patch release the vCluster control plane runs for each minor
 * version (the vcluster chart's `controlPlane.distro.k8s.version`; every minor
 * here is one the pinned vCluster supports, VCLUSTER_FACTS.kubernetesVersions):
 * release tags of kubernetes/kubernetes, checked with the Go module proxy
 * (`go list -m k8s.io/kubernetes@<tag>`, published 2024-09-11/12).
 */
export const KUBERNETES_IMAGE_TAGS = {
  '1.29': { tag: 'v1.29.9', source: 'kubernetes/kubernetes tag v1.29.9 (k8s.io/kubernetes@v1.29.9)' },
  '1.30': { tag: 'v1.30.5', source: 'kubernetes/kubernetes tag v1.30.5 (k8s.io/kubernetes@v1.30.5)' },
  '1.31': { tag: 'v1.31.1', source: 'kubernetes/kubernetes tag v1.31.1 (k8s.io/kubernetes@v1.31.1)' },
} as const satisfies Record<string, { tag: string } & Pin>;

/**
 * What the pinned vCluster release does that the vcluster function relies on,
 * read from its source at the tag (committed in test/upstream/vcluster-v<version>/,
 * where test/conformance/upstream-facts.test.ts holds these to the files).
 */
export const VCLUSTER_FACTS = {
  // The proxy's serving certificate (the Service's port 443 → 8443): SANs from
  // getSANs (the Service name — the release name —, `<name>.<namespace>`, its
  // ClusterIP and load balancer addresses, the pod IP, controlPlane.proxy.extraSANs)
  // plus GenServingCerts' kubernetes.default.svc names and localhost. Not `<name>.<namespace>.svc`.
  servingCertificate: {
    names: ['<release>', '<release>.<namespace>'],
    source: 'loft-sh/vcluster pkg/server/cert/syncer.go (getSANs), pkg/server/cert/cert.go (GenServingCerts)@v0.21.0',
  },
  // config/default_extra_values.go: the Kubernetes minor versions the release
  // maps API server, controller manager and scheduler images for (0.20.0: 1.27–1.30).
  kubernetesVersions: {
    versions: ['1.27', '1.28', '1.29', '1.30', '1.31'],
    source: 'loft-sh/vcluster config/default_extra_values.go (K8SAPIVersionMap, K8SControllerVersionMap, K8SSchedulerVersionMap)@v0.21.0',
  },
  // The exported kubeconfig Secret's key for the kubeconfig (KubeconfigSecretKey).
  kubeconfigSecretKey: { key: 'config', source: 'loft-sh/vcluster pkg/util/kubeconfig/kubeconfig.go (KubeconfigSecretKey, WriteKubeConfig)@v0.21.0' },
  // An apiServer/controllerManager image tag equal to the chart's own default
  // (v1.31.1) is replaced by the host cluster's version unless
  // controlPlane.distro.k8s.version is set, so the function sets that key.
  versionKey: { key: 'controlPlane.distro.k8s.version', source: 'loft-sh/vcluster chart/templates/_init-containers.tpl (vcluster.k8s.apiServer.image.tag)@v0.21.0' },
} as const;

/**
 * The Helm that installs each HelmRelease: Flux's helm-controller embeds Helm
 * as a library, so the Helm version is the one its go.mod requires at the
 * helm-controller release the pinned Flux ships. The tests render every chart
 * with it (tools/helm/flux) and with the Helm ArgoCD bundles (tools/helm).
 */
export const HELM_PINS = {
  flux: {
    module: 'helm.sh/helm/v3',
    version: 'v3.16.1',
    source:
      'fluxcd-community/helm-charts charts/flux2/values.yaml@flux2-2.14.1 (helmController.tag v1.1.0; so fluxcd/flux2 manifests/bases/helm-controller/kustomization.yaml@v2.4.0); fluxcd/helm-controller go.mod@v1.1.0 (helm.sh/helm/v3 v3.16.1)',
  },
  argocd: { module: 'helm.sh/helm/v4', version: 'v4.3.2', source: 'argoproj/argo-cd hack/tool-versions.sh@v3.6.2 (HELM_VERSION=4.3.2)' },
} as const satisfies Record<string, { module: string; version: string } & Pin>;

export interface FactPin extends Pin {
  subject: string;
  fact: string;
  /** The test that holds the platform to it. */
  test: string;
}

const list = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(', ');
const HELM_TEST = 'test/conformance/helm-charts.test.ts (Helm renders the chart)';
const FACTS_TEST = 'test/conformance/upstream-facts.test.ts (reads the source)';
const BITNAMI = (chart: keyof typeof BITNAMI_LEGACY_IMAGES, paths: string) =>
  `bitnami/charts bitnami/${chart}/${paths}@${chart}/${CHARTS[chart].version}; bitnami/common templates/_names.tpl@common/2.31.4`;

/**
 * Behaviour of upstream code the platform relies on (names a chart's templates
 * produce, what a binary generates, what a release supports), each with the
 * source it was read from at the pinned tag and the test that checks it.
 * `<component>` is the KubeVela component, which is the Helm release name.
 */
export const UPSTREAM_FACTS: FactPin[] = [
  {
    subject: 'Bitnami charts',
    fact: "Services and the Secret are named after the chart's full name: `<release>-<chart>`, or the release name alone when it contains the chart name (`common.names.fullname`)",
    source: 'bitnami/charts bitnami/common/templates/_names.tpl@common/2.31.4',
    test: HELM_TEST,
  },
  { subject: 'kafka', fact: 'client Service `<component>-kafka`, port 9092 (`service.ports.client`)', source: BITNAMI('kafka', '{templates/svc.yaml,values.yaml}'), test: HELM_TEST },
  {
    subject: 'redis',
    fact: 'Services `<component>-redis-master:6379` and, with replicas, `<component>-redis-replicas:6379`; generated password in Secret `<component>-redis`, key `redis-password` (`redis.secretName`)',
    source: BITNAMI('redis', '{templates/master/service.yaml,templates/replicas/service.yaml,templates/secret.yaml,templates/_helpers.tpl}'),
    test: HELM_TEST,
  },
  {
    subject: 'mongodb',
    fact: '`auth.existingSecret` must hold `mongodb-root-password`, `mongodb-passwords`, and in replica-set mode `mongodb-replica-set-key` (`mongodb-metrics-password` only with `metrics.username`); replica-set mode adds an arbiter unless `arbiter.enabled: false`; Service `<component>-mongodb:27017` (standalone) or headless `<component>-mongodb-headless:27017` (replica set)',
    source: BITNAMI('mongodb', '{values.yaml,templates/secrets.yaml,templates/replicaset/statefulset.yaml,templates/arbiter/statefulset.yaml,templates/_helpers.tpl}'),
    test: HELM_TEST,
  },
  {
    subject: 'vCluster',
    fact: `serving certificate names: ${list(VCLUSTER_FACTS.servingCertificate.names)}, kubernetes.default.svc…, localhost, the ClusterIP, load balancer and pod IPs and \`controlPlane.proxy.extraSANs\`; not \`<release>.<namespace>.svc\``,
    source: VCLUSTER_FACTS.servingCertificate.source,
    test: FACTS_TEST,
  },
  {
    subject: 'vCluster',
    fact: `supported Kubernetes versions: ${list(VCLUSTER_FACTS.kubernetesVersions.versions)} (0.20.0: 1.27–1.30)`,
    source: VCLUSTER_FACTS.kubernetesVersions.source,
    test: FACTS_TEST,
  },
  {
    subject: 'vCluster',
    fact: `the exported kubeconfig Secret keeps the kubeconfig under \`${VCLUSTER_FACTS.kubeconfigSecretKey.key}\``,
    source: VCLUSTER_FACTS.kubeconfigSecretKey.source,
    test: FACTS_TEST,
  },
  {
    subject: 'vCluster',
    fact: `an API server or controller manager image tag equal to the chart's default is replaced by the host's version unless \`${VCLUSTER_FACTS.versionKey.key}\` is set`,
    source: VCLUSTER_FACTS.versionKey.source,
    test: `${FACTS_TEST}; ${HELM_TEST}`,
  },
  {
    subject: 'vCluster',
    fact: "the Service is named after the release (the syncer's VCLUSTER_NAME), port 443 → 8443",
    source: 'loft-sh/vcluster chart/templates/{service,statefulset}.yaml, cmd/vcluster/cmd/start.go, pkg/config/parse.go, pkg/pro/remote.go@v0.21.0',
    test: `${FACTS_TEST}; ${HELM_TEST}`,
  },
  {
    subject: 'Knative Serving',
    fact: 'the HPA autoscaling class runs in `autoscaler-hpa`, the optional `serving-hpa.yaml`, not in `serving-core.yaml`; the Knative Operator installs it',
    source:
      'knative/serving config/hpa-autoscaling/, hack/generate-yamls.sh@knative-v1.15.3 (module v0.42.3); knative/operator cmd/operator/kodata/knative-serving/1.15.*/3-serving-hpa.yaml (module v0.42.3)',
    test: 'documented on the autoscaler trait',
  },
  { subject: 'Flux', fact: `helm-controller installs HelmReleases with ${HELM_PINS.flux.module} ${HELM_PINS.flux.version}`, source: HELM_PINS.flux.source, test: `${HELM_TEST} (tools/helm/flux)` },
];

export interface PackagePin extends Pin {
  package: string;
  version: string;
}

/** Crossplane packages install/ installs. */
export const PACKAGES = {
  // v0.18.x was pushed only to xpkg.upbound.io/crossplane-contrib (Makefile
  // XPKG_REG_ORGS@v0.18.7); from v0.19.0 packages go to ghcr.io/crossplane-contrib,
  // which xpkg.crossplane.io serves (Makefile, publish-provider-package.yml@v0.19.1).
  'provider-upjet-github': {
    package: 'xpkg.crossplane.io/crossplane-contrib/provider-upjet-github',
    version: 'v0.19.1',
    source: 'crossplane-contrib/provider-upjet-github Makefile, .github/workflows/publish-provider-package.yml, package/crds@v0.19.1',
  },
  // The apigatewayv2 family subpackage (cmd/provider/apigatewayv2), published to
  // xpkg.crossplane.io/crossplane-contrib by .github/workflows/publish-provider-packages.yaml →
  // crossplane-contrib/provider-workflows publish-provider-family.yml (CROSSPLANE_PROXY_REGORG).
  'provider-aws-apigatewayv2': {
    package: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-apigatewayv2',
    version: 'v2.6.0',
    source: 'crossplane-contrib/provider-upjet-aws .github/workflows/publish-provider-packages.yaml, package/crds/apigatewayv2.aws.m.upbound.io_*.yaml@v2.6.0',
  },
  // Published by crossplane-contrib/provider-workflows publish-provider-non-family.yml
  // (called @main; unchanged from bffea96, 2025-10-09, to the v1.1.1 tag of 2026-02-24 as far
  // as the stored history shows): `make publish` with XPKG_REG_ORGS=ghcr.io/<registry_org>,
  // registry_org defaulting to crossplane-contrib, served as xpkg.crossplane.io/crossplane-contrib.
  'provider-terraform': {
    package: 'xpkg.crossplane.io/crossplane-contrib/provider-terraform',
    version: 'v1.1.1',
    source:
      'crossplane-contrib/provider-terraform .github/workflows/publish-provider-package.yaml, package/crds/tf.m.upbound.io_workspaces.yaml@v1.1.1; crossplane-contrib/provider-workflows .github/workflows/publish-provider-non-family.yml@bffea96 (CROSSPLANE_REGORG ghcr.io/crossplane-contrib)',
  },
} as const satisfies Record<string, PackagePin>;

export interface ControllerPin extends Pin {
  version: string;
  /** The Helm chart the GitOps bootstrap installs it from (synth/gitops.ts); none: the cluster brings it. */
  chart?: { repoURL: string; chart: string; version: string; namespace: string };
}

/**
 * Controllers whose APIs the emitted objects use, at the version whose
 * schemas the tests validate against. Those with a chart the GitOps
 * bootstrap installs (synth/gitops.ts); the others the cluster must bring
 * (docs/gitops.md, "Install through ArgoCD").
 */
export const CONTROLLER_PINS = {
  crossplane: {
    version: '2.2.1',
    chart: { repoURL: 'https://charts.crossplane.io/stable', chart: 'crossplane', version: '2.2.1', namespace: 'crossplane-system' },
    source: 'crossplane/crossplane cluster/charts/crossplane, cluster/crds@v2.2.1 (the CLI the tests run, tools/crank/go.mod)',
  },
  // 1.10.9: the release the Go module proxy serves (it refuses v1.10.3), so the chart ArgoCD
  // installs is the one the local plane runs and tests (tools/vela, `make gitops-tools`);
  // kubevela publishes the chart on every v* tag (.github/workflows/chart.yml@v1.10.9).
  kubevela: {
    version: '1.10.9',
    chart: { repoURL: 'https://kubevela.github.io/charts', chart: 'vela-core', version: '1.10.9', namespace: 'vela-system' },
    source: 'kubevela/kubevela charts/vela-core@v1.10.9',
  },
  flux: {
    version: '2.4.0',
    chart: { repoURL: 'https://fluxcd-community.github.io/helm-charts', chart: 'flux2', version: '2.14.1', namespace: 'flux-system' },
    source: 'fluxcd-community/helm-charts charts/flux2/{Chart.yaml,templates/*.crds.yaml}@flux2-2.14.1 (appVersion 2.4.0)',
  },
  keda: {
    version: '2.15.1',
    chart: { repoURL: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.15.1', namespace: 'keda' },
    source: 'kedacore/charts keda/{Chart.yaml,templates/crds}@v2.15.1',
  },
  'external-secrets': { version: 'v1.3.2', source: 'external-secrets/external-secrets config/crds/bases@v1.3.2' },
  'knative-serving': { version: 'v1.15.3', source: 'knative/serving config/core/300-resources@knative-v1.15.3' },
  istio: { version: '1.23.2', source: 'istio/istio manifests/charts/base/crds/crd-all.gen.yaml@1.23.2' },
  kubernetes: { version: '1.35.4', source: 'kubernetes/kubernetes api/openapi-spec/v3@v1.35.4' },
  // The catalog's cluster prerequisites (docs/gitops.md, "Install through ArgoCD"): the cluster brings them; their CRDs are in test/upstream/crds/<name>-v<version>/
  // (provider-terraform's too, a package of PACKAGES).
  karpenter: { version: 'v1.14.1', source: 'aws/karpenter-provider-aws pkg/apis/crds@v1.14.1' },
  'training-operator': { version: 'v1.9.0', source: 'kubeflow/training-operator manifests/base/crds/kubeflow.org_tfjobs.yaml@v1.9.0' },
} as const satisfies Record<string, ControllerPin>;
