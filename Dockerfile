# The worker and CLI image. TypeScript runs through tsx: no build step to drift from source.
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY tsconfig.json ./
USER node
ENTRYPOINT []
CMD ["node", "bin/boardroom.js", "worker"]
