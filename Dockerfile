# syntax=docker/dockerfile:1
# The surge-fallback image: one image, three entry points, as the unprivileged `node` user, with production
# dependencies only. The default command is the worker; docker-compose.yml runs the same image as the ops
# dashboard (`client/dashboard/main.ts`) and the deflection endpoint (`client/deflections/main.ts`).
# Built at build time: the workflow bundle (no webpack at start-up) and the dashboard's page script (no esbuild,
# a dev dependency, at run time): both land in dist/. The TypeScript sources run with tsx, a runtime dependency:
# one source tree, no compiled copy to drift from it, and the same entry points as `npm run worker|dashboard|deflections`.

ARG NODE_IMAGE=node:20.19-bookworm-slim

# Everything npm ci installs, dev tools included, for the build step.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY client ./client
COPY scripts/build-workflow-bundle.ts scripts/build-dashboard-assets.ts ./scripts/
# @temporalio/worker must be the same version here and at run time: both come from the one lockfile.
RUN npx tsx scripts/build-workflow-bundle.ts
RUN npx tsx scripts/build-dashboard-assets.ts

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
# Other entry points: ["node_modules/.bin/tsx", "client/dashboard/main.ts"] and [..., "client/deflections/main.ts"].
CMD ["node_modules/.bin/tsx", "workers/worker.ts"]
