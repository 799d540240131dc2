#!/usr/bin/env bash
# How every file under test/upstream/ was taken from upstream, at the pinned
# tags of functions/lib/pins.ts. Not run by `make test` (it needs clones of
# the upstream repositories and network); re-run it when a pin changes and
# commit the result. Usage: MIRRORS=/dir/with/clones test/upstream/extract.sh
# where each clone is $MIRRORS/<owner>+<repo>/repo (bare or not).
set -euo pipefail
OUT="$(cd "$(dirname "$0")" && pwd)"
M="${MIRRORS:?set MIRRORS}"
show() { git --git-dir="$M/$1/repo" show "$2:$3"; }
# Helm templates of CRDs: drop the template lines (only metadata labels/annotations are templated).
untemplate() { grep -v '{{'; }
# Keep only the YAML documents that define the given CRD names.
only() { node -e '
  const names = process.argv.slice(1); let buf = require("fs").readFileSync(0, "utf8");
  const docs = buf.split(/^---\s*$/m).filter((d) => names.some((n) => new RegExp("^  name: " + n.replace(/\./g, "\\.") + "\\s*$", "m").test(d)));
  process.stdout.write(docs.map((d) => d.replace(/^\n+/, "")).join("---\n"));' "$@"; }

# The first line of each CRD file names its source; a test checks it against the pins.
header() { echo "# source: $1"; cat; }

mkdir -p "$OUT/bitnami" "$OUT/crds"
# A folder of the repository at a tag, as it is there, less the files the
# folder's .helmignore keeps out of the published chart (CHANGELOG.md, img/).
tree() { rm -rf "$4" && mkdir -p "$4" && git --git-dir="$M/$1/repo" archive "$2" "$3" | tar -x -C "$4" --strip-components=$(( $(tr -cd / <<<"$3" | wc -c) + 1 )) --exclude=CHANGELOG.md --exclude=img; }
# The Bitnami charts the catalog installs, whole, and the bitnami/common
# release their Chart.lock names (2.31.4 for all three); a chart's charts/
# folder is filled with it when the tests render the chart.
for c in kafka/32.4.3 redis/22.0.7 mongodb/16.5.45 common/2.31.4; do
  chart=${c%%/*}; version=${c##*/}
  tree bitnami+charts "$c" "bitnami/$chart" "$OUT/bitnami/$chart-$version"
done

# vCluster (the chart and the Go files the tests read facts from), from the
# Go module cache: github.com/loft-sh/vcluster at the pinned tag carries the
# repository as it is at that tag, chart/ included.
VCLUSTER=v0.21.0
VC="$(cd "$(mktemp -d)" && go mod download -json "github.com/loft-sh/vcluster@$VCLUSTER" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8")).Dir)')"
rm -rf "$OUT/vcluster-$VCLUSTER"
for f in chart pkg/server/cert/syncer.go pkg/server/cert/cert.go pkg/util/kubeconfig/kubeconfig.go config/default_extra_values.go \
    cmd/vcluster/cmd/start.go pkg/config/parse.go pkg/pro/remote.go .github/workflows/release.yaml; do
  mkdir -p "$(dirname "$OUT/vcluster-$VCLUSTER/$f")" && cp -r "$VC/$f" "$OUT/vcluster-$VCLUSTER/$f"
done
chmod -R u+w "$OUT/vcluster-$VCLUSTER"

show fluxcd-community+helm-charts flux2-2.14.1 charts/flux2/templates/helm-controller.crds.yaml | untemplate | header "fluxcd-community/helm-charts charts/flux2/templates/helm-controller.crds.yaml@flux2-2.14.1" > "$OUT/crds/flux-helmreleases.yaml"
show fluxcd-community+helm-charts flux2-2.14.1 charts/flux2/templates/source-controller.crds.yaml | untemplate | only helmrepositories.source.toolkit.fluxcd.io | header "fluxcd-community/helm-charts charts/flux2/templates/source-controller.crds.yaml@flux2-2.14.1" > "$OUT/crds/flux-helmrepositories.yaml"
show kedacore+charts v2.15.1 keda/templates/crds/crd-scaledobjects.yaml | untemplate | header "kedacore/charts keda/templates/crds/crd-scaledobjects.yaml@v2.15.1" > "$OUT/crds/keda-scaledobjects.yaml"
show external-secrets+external-secrets v1.3.2 config/crds/bases/external-secrets.io_externalsecrets.yaml | header "external-secrets/external-secrets config/crds/bases/external-secrets.io_externalsecrets.yaml@v1.3.2" > "$OUT/crds/external-secrets-externalsecrets.yaml"
show knative+serving knative-v1.15.3 config/core/300-resources/service.yaml | header "knative/serving config/core/300-resources/service.yaml@knative-v1.15.3" > "$OUT/crds/knative-services.yaml"
show knative+serving knative-v1.15.3 config/core/300-resources/domain-mapping.yaml | header "knative/serving config/core/300-resources/domain-mapping.yaml@knative-v1.15.3" > "$OUT/crds/knative-domainmappings.yaml"
show istio+istio 1.23.2 manifests/charts/base/crds/crd-all.gen.yaml | only gateways.networking.istio.io virtualservices.networking.istio.io | header "istio/istio manifests/charts/base/crds/crd-all.gen.yaml@1.23.2" > "$OUT/crds/istio-gateways-virtualservices.yaml"
show crossplane-contrib+provider-upjet-github v0.19.1 package/crds/repo.github.upbound.io_repositories.yaml | header "crossplane-contrib/provider-upjet-github package/crds/repo.github.upbound.io_repositories.yaml@v0.19.1" > "$OUT/crds/upjet-github-repositories.yaml"
show crossplane-contrib+provider-upjet-github v0.19.1 package/crds/repo.github.upbound.io_repositoryfiles.yaml | header "crossplane-contrib/provider-upjet-github package/crds/repo.github.upbound.io_repositoryfiles.yaml@v0.19.1" > "$OUT/crds/upjet-github-repositoryfiles.yaml"
show kubevela+kubevela v1.10.9 charts/vela-core/crds/core.oam.dev_applications.yaml | header "kubevela/kubevela charts/vela-core/crds/core.oam.dev_applications.yaml@v1.10.9" > "$OUT/crds/kubevela-applications.yaml"

# Kubernetes built-in kinds: the OpenAPI v3 documents of k8s.io/kubernetes
# v1.35.4 (api/openapi-spec/v3, from the Go module cache), reduced to the
# schemas the emitted kinds reach.
K8S="$(go env GOMODCACHE)/k8s.io/kubernetes@v1.35.4/api/openapi-spec/v3"
[ -d "$K8S" ] || (cd "$(mktemp -d)" && go mod download k8s.io/kubernetes@v1.35.4)
node "$OUT/../../harness/k8s-openapi-subset.mjs" "$K8S" > "$OUT/kubernetes-1.35.4-openapi-subset.json"
