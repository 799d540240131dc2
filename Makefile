# platform-definitions: see README.md. Every target installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
TOOLS_BIN := $(CURDIR)/.tools/bin
TSX := node_modules/.bin/tsx
VITEST := node_modules/.bin/vitest

.PHONY: help install tools synth serve render build image package typecheck lint unit drift conformance e2e test bench fuzz soak clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json ## Install the npm packages (npm ci)

# The CLIs the conformance tests run, built from pinned Go modules (go.mod + go.sum).
$(TOOLS_BIN)/crank: tools/crank/go.mod tools/crank/go.sum
	cd tools/crank && go build -o $@ github.com/crossplane/crossplane/v2/cmd/crank
$(TOOLS_BIN)/cue: tools/cue/go.mod tools/cue/go.sum
	cd tools/cue && go build -o $@ cuelang.org/go/cmd/cue

# `crossplane beta validate` loads Crossplane's own CRDs from the Crossplane
# image, which cannot be pulled here; it reads its cache first, so seed the
# cache with the same CRDs from the pinned module's source (cluster/crds).
CROSSPLANE_VERSION := $(shell sed -nE 's|.*github.com/crossplane/crossplane/v2 (v[0-9.]+).*|\1|p' tools/crank/go.mod)
VALIDATE_CACHE := $(CURDIR)/.tools/validate-cache
CROSSPLANE_SCHEMAS := $(VALIDATE_CACHE)/xpkg.crossplane.io/crossplane/crossplane@$(CROSSPLANE_VERSION)/package.yaml
$(CROSSPLANE_SCHEMAS): tools/crank/go.mod tools/crank/go.sum
	mkdir -p $(dir $@)
	cd tools/crank && go mod download github.com/crossplane/crossplane/v2 && \
	  for f in $$(go list -m -f '{{.Dir}}' github.com/crossplane/crossplane/v2)/cluster/crds/*.yaml; do cat "$$f"; echo '---'; done > $@

# A real broker for the Mosquitto configuration the functions write, and Lua 5.1
# (the language of ArgoCD's health checks), from Debian's packages.
/usr/sbin/mosquitto /usr/bin/mosquitto_pub /usr/bin/lua5.1:
	apt-get update -qq && apt-get install -y -qq mosquitto mosquitto-clients lua5.1

tools: $(TOOLS_BIN)/crank $(TOOLS_BIN)/cue $(CROSSPLANE_SCHEMAS) /usr/sbin/mosquitto /usr/bin/mosquitto_pub /usr/bin/lua5.1 ## Build the pinned crossplane CLI (crank) and cue; install mosquitto and lua5.1

synth: install ## Regenerate every generated YAML and reference page from code
	$(TSX) synth/main.ts

serve: install ## Run every function locally (insecure gRPC, ports in functions/catalog.ts)
	$(TSX) tooling/serve.ts

render: install tools ## crossplane render every example claim
	$(TSX) tooling/render-examples.ts

build: install ## Compile the functions to dist/ (what the image runs)
	node_modules/.bin/tsc -p tsconfig.build.json

image: install ## Build each function's runtime image (needs a Docker engine)
	$(TSX) tooling/package.ts image

package: install tools ## Build each function's Crossplane package with its image embedded (needs Docker and crank); PUSH=1 pushes
	$(TSX) tooling/package.ts package $(if $(PUSH),--push)

typecheck: install ## tsc --noEmit (strict)
	node_modules/.bin/tsc --noEmit -p .

lint: install ## eslint
	node_modules/.bin/eslint .

REPORTS := $(CURDIR)/.tools/reports
REPORT = --reporter=default --reporter=json --outputFile.json=$(REPORTS)/$@.json

unit: install ## Unit tests, including the synth drift check
	@mkdir -p $(REPORTS)
	$(VITEST) run --project unit $(REPORT)

drift: install ## Fail when committed YAML differs from what the code emits
	$(VITEST) run --project unit test/unit/drift.test.ts

conformance: install tools ## crossplane render / beta validate and cue against the generated files
	@mkdir -p $(REPORTS)
	$(VITEST) run --project conformance $(REPORT)

e2e: install ## kind end-to-end suite (needs a Docker engine; says why when there is none)
	$(VITEST) run --project e2e

test: typecheck lint unit conformance ## The whole suite (the README's test command)
	@$(TSX) tooling/summary.ts $(REPORTS)/unit.json $(REPORTS)/conformance.json

bench: install ## Throughput and latency of each function over gRPC against the no-op floor
	$(TSX) bench/run.ts

FUZZ_REQUESTS ?= 100000
FUZZ_SECONDS ?= 3600
SOAK_MINUTES ?= 10
fuzz: install ## Mutated requests against every function over loopback gRPC (FUZZ_REQUESTS, default 100000, at most FUZZ_SECONDS); fails on a crash, invalid spec rendered or secret seen
	$(TSX) fuzz/run.ts --requests $(FUZZ_REQUESTS) --max-seconds $(FUZZ_SECONDS)

soak: install ## Each function at a steady rate for SOAK_MINUTES (default 10), printing RSS over time
	$(TSX) fuzz/soak.ts --minutes $(SOAK_MINUTES)

clean: ## Remove build outputs and the built tools
	rm -rf dist .tools
