# syntax=docker/dockerfile:1

# Build stage: the full (dev) dependency tree is only needed to compile TypeScript.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Runtime stage: production dependencies and compiled output only, no compiler, no tests.
FROM node:20-bookworm-slim AS runtime
# A production image runs the configuration mounted here (a YAML file or a folder of them), never
# the sandbox: without it the process exits with an error naming the missing path.
ENV NODE_ENV=production \
    PORT=8080 \
    CHATBRIDGE_CONFIG=/etc/chatbridge
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config ./config
# The image's built-in unprivileged user: a compromised process cannot modify the app or the system.
USER node
EXPOSE 8080
# The slim image has no curl; Node 20 has fetch. PORT is set above and overrides the config file,
# so the check always targets the port the server listens on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli/main.js", "start"]
