import Koa from 'koa';
import { createManagementApi } from './api/index.js';
import { healthRoutes, proxyOptions, requestContext, securityHeaders, unavailablePages } from './http/index.js';
import { createLimiters } from './limits/index.js';
import { mcpRoutes } from './mcp/index.js';
import { metricsRoutes } from './metrics/index.js';
import { createOAuth } from './oauth/index.js';
import type { Runtime } from './runtime.js';
import { webPages } from './web/index.js';

/**
 * Composes the Koa application. Order matters: request id and logging first, then
 * security headers, then each capability's routes — OAuth first, because the token endpoint
 * carries nearly all of the traffic and no other capability's middleware has anything to do
 * for it.
 */
export async function createApp(runtime: Runtime): Promise<Koa> {
  const { config, logger, dataSource } = runtime;
  const app = new Koa(proxyOptions(config.trustedProxyHops));
  app.silent = true;
  app.on('error', (error: Error) => logger.debug({ err: error }, 'koa error'));

  app.use(requestContext(logger));
  app.use(securityHeaders({ https: config.secureCookies }));
  // One set of brute-force limiters, shared by the token endpoint and the login.
  const limiters = createLimiters(runtime);
  const oauth = await createOAuth(runtime, { limiters });
  // Answers its own paths in its own error format (database outages included), and passes
  // every other path on untouched.
  app.use(oauth.routes);

  app.use(unavailablePages);
  app.use(healthRoutes(dataSource));
  app.use(metricsRoutes(runtime.metrics, config.metricsToken).routes());
  app.use(createManagementApi(runtime, { authenticateBearer: oauth.authenticateBearer, limiters }));
  app.use(mcpRoutes(runtime, { authenticateBearer: oauth.authenticateBearer }));
  app.use(webPages(dataSource));

  return app;
}
