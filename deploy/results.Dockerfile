# syntax=docker/dockerfile:1
# Paddock results: the results service (MongoDB with MONGO_URL, else SQLite in the /data volume).
#   docker build -f deploy/results.Dockerfile -t paddock/results .      (context: the repository root)
# Only the results's workspaces and their production dependencies (turbo prune --production), built
# with the root's TypeScript, run by the unprivileged `node` user; healthy when GET /readyz
# answers 200. It binds 0.0.0.0, so it needs PADDOCK_API_TOKEN (docs/operations.md).
ARG NODE_IMAGE=node:24-slim

# 1. The subset of the monorepo the results needs: package.json files and lockfile, then sources.
FROM ${NODE_IMAGE} AS prune
ARG TURBO_VERSION=2.11.9
WORKDIR /src
COPY . .
RUN npx --yes turbo@${TURBO_VERSION} prune @paddock/results --docker --production --out-dir /pruned

# 2. Build: every dependency (TypeScript, turbo), then the sources, compiled to dist/.
FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=prune /pruned/json/ ./
RUN npm ci --no-audit --no-fund
COPY --from=prune /pruned/full/ ./
COPY tsconfig.base.json ./
RUN npx turbo run build --filter=@paddock/results

# 3. Production dependencies only, installed from the pruned lockfile.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=prune /pruned/json/ ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

# 4. The image: production dependencies, package.json files and compiled output; nothing else.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production PADDOCK_RESULTS_HOST=0.0.0.0 PADDOCK_RESULTS_PORT=7403 PADDOCK_DATA_DIR=/data
# paddock.env in services/results/package.json (docs/decisions.md, D22).
ENV MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=deps /app/ ./
COPY --from=build /app/packages/shared/dist packages/shared/dist
COPY --from=build /app/packages/tasks/dist packages/tasks/dist
COPY --from=build /app/packages/bus/dist packages/bus/dist
COPY --from=build /app/packages/http/dist packages/http/dist
COPY --from=build /app/services/results/dist services/results/dist
# The embedded SQLite store's folder, writable by the service's user.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 7403
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PADDOCK_RESULTS_PORT||7403)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node options from paddock.nodeArgs in services/results/package.json (docs/decisions.md, D17 and D22).
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=20", "services/results/dist/main.js"]
