# Globe Vault, as docker-compose.yml builds it. Three stages: dependencies compiled once (better-sqlite3
# is a native module), the build (server with swc, UI with vite), and a slim runtime that holds only
# the production dependencies, the built server and the built UI, and runs as the unprivileged `node`
# user. Not built on the development machines (they have no Docker engine): see README "Containers".
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data HOST=0.0.0.0 PORT=3000 MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# On 0.0.0.0 the service requires a token: set ADMIN_TOKEN (or BACKUP_KEY etc.) in the environment.
CMD ["node", "--max-old-space-size=192", "dist/cli/main.js", "serve"]
