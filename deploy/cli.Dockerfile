# syntax=docker/dockerfile:1
# The `paddock` CLI and TUI, for machines without Node:
#   docker build -f deploy/cli.Dockerfile -t paddock/cli .            (context: the repository root)
#   docker run --rm -it --env-file .env --network paddock_default paddock/cli tasks list
# (PADDOCK_CATALOG_URL, PADDOCK_RUNNER_URL, PADDOCK_RESULTS_URL, NATS_URL and the tokens say
# where the services are.) Only the CLI's workspaces and production dependencies, run by the
# unprivileged `node` user. A command line tool serves nothing, so it has no health check.
ARG NODE_IMAGE=node:24-slim

# 1. The subset of the monorepo the CLI needs: package.json files and lockfile, then sources.
FROM ${NODE_IMAGE} AS prune
ARG TURBO_VERSION=2.11.9
WORKDIR /src
COPY . .
RUN npx --yes turbo@${TURBO_VERSION} prune @paddock/tui --docker --production --out-dir /pruned

# 2. Build: every dependency (TypeScript, turbo), then the sources, compiled to dist/.
FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=prune /pruned/json/ ./
RUN npm ci --no-audit --no-fund
COPY --from=prune /pruned/full/ ./
COPY tsconfig.base.json ./
RUN npx turbo run build --filter=@paddock/tui

# 3. Production dependencies only, installed from the pruned lockfile.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=prune /pruned/json/ ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

# 4. The image: production dependencies, package.json files, compiled output and the launcher.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production TERM=xterm-256color
WORKDIR /app
COPY --from=deps /app/ ./
COPY --from=build /app/packages/shared/dist packages/shared/dist
COPY --from=build /app/packages/tasks/dist packages/tasks/dist
COPY --from=build /app/packages/bus/dist packages/bus/dist
COPY --from=build /app/apps/tui/dist apps/tui/dist
COPY --from=build /app/apps/tui/bin apps/tui/bin
USER node
HEALTHCHECK NONE
ENTRYPOINT ["node", "apps/tui/bin/paddock.mjs"]
CMD ["--help"]
