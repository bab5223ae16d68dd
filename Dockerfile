# The reachgraph CLI, API server (`serve`) and scheduler (`schedule`).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY ui ./ui
COPY scripts/build-ui.mjs ./scripts/
RUN npm ci --ignore-scripts && npx tsc -p tsconfig.build.json && node scripts/build-ui.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY cypher ./cypher
COPY examples ./examples
COPY schema ./schema
COPY rules ./rules
# Where the scheduler writes reports and keeps its state (volumes in docker-compose.yml).
RUN mkdir -p /reports /state && chown node:node /reports /state
USER node
ENTRYPOINT ["node", "/app/bin/reachgraph.js"]
CMD ["--help"]
