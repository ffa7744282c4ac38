# syntax=docker/dockerfile:1

# Node 24 is the Active LTS line. Pinned by exact version so a rebuild gets the same runtime: bump it
# on purpose (a security release of Node or Debian), together with NODE_VERSION in .ci/run, which runs
# the test suite on this same version.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# Build stage: the full (dev) dependency tree is only needed to compile TypeScript.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Runtime stage: production dependencies and the compiled service only: no compiler, no tests, no benchmark.
FROM ${NODE_IMAGE} AS runtime
# A production image runs the configuration mounted here (a YAML file or a folder of them), never
# the sandbox: without it the process exits with an error naming the missing path.
ENV NODE_ENV=production \
    PORT=8080 \
    CHATBRIDGE_CONFIG=/etc/chatbridge
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/adapters ./dist/adapters
COPY config ./config
# The image's built-in unprivileged user (uid 1000): a compromised process cannot modify the app or the
# system. Numeric, so Kubernetes' runAsNonRoot can verify it without resolving a name.
USER 1000:1000
EXPOSE 8080
# Asks /healthz on the port the server listens on (PORT, else server.port) at an address it answers on
# whatever server.host is (a wildcard is asked on 127.0.0.1). The slim image has no curl; Node has fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "dist/src/cli/healthcheck.js"]
CMD ["node", "dist/src/cli/main.js", "start"]
