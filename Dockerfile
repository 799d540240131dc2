# One image per composition function: docker build --build-arg FUNCTION=<name> .
# (`make image` builds them all). Production dependencies only, compiled
# JavaScript, a distroless Node runtime, a non-root user.
ARG NODE_VERSION=20.20.2

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY functions ./functions
ARG FUNCTION
RUN test -n "$FUNCTION" && test -f "functions/$FUNCTION/main.ts" \
 && npx tsc -p tsconfig.build.json \
 && printf 'import "./functions/%s/main.js";\n' "$FUNCTION" > dist/entry.mjs

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/functions ./functions
COPY --from=build /src/dist/entry.mjs ./entry.mjs
COPY package.json ./
# uid 65532: the distroless nonroot user. Crossplane mounts its TLS
# certificates at /tls/server, the SDK's default.
USER 65532:65532
EXPOSE 9443
ENTRYPOINT ["/nodejs/bin/node", "/app/entry.mjs"]
