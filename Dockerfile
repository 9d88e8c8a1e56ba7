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
# jemalloc for the worker's native memory, and the worker's memory settings: one place,
# src/worker/runtime.ts (the benchmark runs its workers the same way; docs/benchmarks.md).
RUN apt-get update && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(ls /usr/lib/*-linux-gnu/libjemalloc.so.2 | head -n 1)" /usr/local/lib/libjemalloc.so.2
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2 \
    MALLOC_CONF=background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0 \
    BOARDROOM_WORKER_CACHED_WORKFLOWS=500
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
CMD ["node", "--max-old-space-size=160", "--max-semi-space-size=8", "dist/client/main.js", "worker"]
