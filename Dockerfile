# Tollbooth server image (used by docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json ./
# The verifier workspace package: npm ci links it and the build compiles it first (tsc -b).
COPY packages ./packages
COPY src ./src
COPY migrations ./migrations
COPY config ./config
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# Live heap is ~45 MiB; the cap keeps V8 from growing old space (and RSS) far past it under load.
ENV NODE_OPTIONS=--max-old-space-size=128
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
# The profile page's browser assets are served from source as they are (no build step).
COPY src/web/public ./src/web/public
USER node
EXPOSE 3000
CMD ["node", "dist/src/cli/index.js", "serve", "--migrate"]
