# The API server. No embedded Postgres here: compose (or the platform) gives DATABASE_URL / DATABASE_APP_URL.
FROM node:20-slim

WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies included: the server runs TypeScript through tsx (no build step).
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json drizzle.config.ts ./
COPY drizzle ./drizzle
COPY scripts ./scripts
COPY src ./src

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    STORAGE_LOCAL_DIR=/var/lib/taskgraph/uploads
# Attachments of the local storage driver: owned by the server's user (a volume mounted here starts with this owner).
RUN mkdir -p /var/lib/taskgraph/uploads && chown node:node /var/lib/taskgraph/uploads
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself (not npm) is PID 1, so SIGTERM from `docker stop` reaches the graceful shutdown.
CMD ["node", "--import", "tsx", "src/main.ts"]
