# One image per composition function: docker build --build-arg FUNCTION=<name> .
# (`make image` builds them all). The function is one bundled, tree-shaken ES
# module (harness/bundle.ts, esbuild): the runtime image holds that file and a
# distroless Node runtime, no node_modules, and runs as a non-root user.
#
# Node 26 is the Active LTS (nodejs/Release README: 26.x Active LTS from
# 2026-10-28 to 2027-10-20; 20.x reached end of life 2026-04-30). Build stage:
# the official image's `26-trixie-slim` variant (nodejs/docker-node versions.json).
# Runtime: distroless `nodejs26-debian13` (GoogleContainerTools/distroless
# nodejs/config.bzl: NODEJS_MAJOR_VERSIONS 22, 24, 26 on debian13; entrypoint
# /nodejs/bin/node). Development and CI pin the exact release in .node-version.
ARG NODE_MAJOR=26

FROM node:${NODE_MAJOR}-trixie-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY functions ./functions
COPY harness ./harness
ARG FUNCTION
RUN test -n "$FUNCTION" && test -f "functions/$FUNCTION/main.ts" \
 && node_modules/.bin/tsx harness/bundle.ts --function "$FUNCTION" --outdir dist

FROM gcr.io/distroless/nodejs${NODE_MAJOR}-debian13:nonroot
WORKDIR /app
ARG FUNCTION
COPY --from=build /src/dist/${FUNCTION}/main.mjs ./main.mjs
# uid 65532: the distroless nonroot user. Crossplane mounts its TLS
# certificates at /tls/server, the SDK's default. The pods run as this uid too
# (each function's DeploymentRuntimeConfig, install/runtime-configs.yaml, in
# place of Crossplane's default 2000): Node keeps the compile cache below in a
# directory per uid, so another uid would start without it.
USER 65532:65532
# Node's module compile cache, filled here by the runtime's own node (a cache
# from another Node build is ignored): `--help` loads the whole bundle and
# exits, and Node writes the cache as it exits. Every pod then starts from
# V8's cached compilation of the bundle (≈ 20% less CPU to start,
# docs/benchmarks.md). /tmp is the nonroot user's; a pod that mounts over it starts
# without the cache, as fast as without this step.
ENV NODE_COMPILE_CACHE=/tmp/node-compile-cache
RUN ["/nodejs/bin/node", "--max-semi-space-size=4", "/app/main.mjs", "--help"]
EXPOSE 9443
# --max-semi-space-size=4: a smaller young generation, ≈ 50 MiB less RSS under
# load for the same CPU (measured: harness/bundle.ts RUNTIME_FLAGS, make bench).
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=4", "/app/main.mjs"]
