# The worker and CLI image. The build stage turns src/ into plain JavaScript (dist/, the
# same tree: scripts/build.ts); the image runs it with node alone. tsx would register its
# loader on a thread of its own and keep every module's source map: ~40 MB of each
# worker's RSS (docs/benchmarks.md). bin/boardroom.js (npx boardroom) still runs src/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
RUN npx tsx scripts/build.ts

FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY --from=build /app/dist ./dist
# The living demo's template (the default company when no workspace is mounted), and the
# metric definitions the web app links to.
COPY examples ./examples
COPY docs/metrics.md ./docs/metrics.md
COPY tsconfig.json ./
USER node
ENTRYPOINT []
CMD ["node", "dist/client/main.js", "worker"]
