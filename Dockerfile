# syntax=docker/dockerfile:1
# The scimkit SCIM service. Built by `pulumi up` (infra/components/scim-service.ts) or by hand:
#   docker build -t scimkit . && docker run -p 8080:8080 scimkit
# Three stages: compile TypeScript, install production dependencies (better-sqlite3 is native), and a
# runtime with neither compilers nor dev dependencies, running as the unprivileged `node` user.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: compile src/ (and infra/, policy/, which tsconfig.build.json includes) to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Toolchain for native modules when no prebuilt binary matches (better-sqlite3).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY infra ./infra
COPY policy ./policy
RUN npm run build

# ---- production dependencies only, native modules built for this platform ----
FROM build AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY --chown=root:root package.json ./
COPY --from=production-dependencies --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist/src ./dist/src
# The embedded (SQLite) store writes under ./data when DATABASE_URL is unset; only that is writable.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
# Liveness only: /healthz never touches the database (Container Apps uses its own probes; this serves
# `docker run` and other hosts).
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 8080}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli/main.js", "serve"]
