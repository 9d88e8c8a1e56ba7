# The worker and CLI image. TypeScript runs through tsx: no build step to drift from source.
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
# The living demo's template (the default company when no workspace is mounted).
COPY examples ./examples
COPY tsconfig.json ./
USER node
ENTRYPOINT []
CMD ["node", "bin/boardroom.js", "worker"]
