# syntax=docker/dockerfile:1
# The surge-fallback worker: workflows pre-bundled at build time (no webpack at start-up), run with tsx
# (a runtime dependency) as the unprivileged `node` user, with production dependencies only.

ARG NODE_IMAGE=node:20.19-bookworm-slim

# Everything npm ci installs, dev tools included, for the build step.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY scripts/build-workflow-bundle.ts ./scripts/
# @temporalio/worker must be the same version here and at run time: both come from the one lockfile.
RUN npx tsx scripts/build-workflow-bundle.ts

# Production dependencies only (tsx, the Temporal SDK and its native core, the API clients).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY client ./client
COPY --from=build /app/dist ./dist
USER node
CMD ["node_modules/.bin/tsx", "workers/worker.ts"]
