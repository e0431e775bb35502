import Router from '@koa/router';
import type { Limiters } from '../limits/index.js';
import { createMailer } from '../notices/index.js';
import type { Runtime } from '../runtime.js';
import { registerAuditRoutes } from './audit-routes.js';
import { requireCaller } from './authenticate.js';
import { registerCredentialRoutes } from './credential-routes.js';
import { registerMemberRoutes } from './member-routes.js';
import { openApiDocument } from './openapi.js';
import { registerSelfRollRoute } from './self-roll-routes.js';
import { registerNotificationRoutes } from './notification-routes.js';
import { registerServiceRoutes } from './services-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import type { ApiState, AuthenticateBearer } from './state.js';
import { registerTokenRoutes } from './token-routes.js';

export interface ManagementRouterOptions {
  authenticateBearer?: AuthenticateBearer;
  limiters: Pick<Limiters, 'loginByIp' | 'loginByAccount' | 'exchangeByIp' | 'credentialReportsByIp'>;
}

/** Every `/api` route, in one router (the OpenAPI test walks it). */
export function createManagementRouter(runtime: Runtime, { authenticateBearer, limiters }: ManagementRouterOptions): Router<ApiState> {
  const { dataSource, config } = runtime;
  const router = new Router<ApiState>();
  const authenticated = requireCaller(dataSource, authenticateBearer);
  registerSessionRoutes(router, { dataSource, secureCookies: config.secureCookies, limiters });
  registerServiceRoutes(router, { services: config.services, authenticated });
  registerNotificationRoutes(router, { dataSource, authenticated });
  registerTokenRoutes(router, { dataSource, services: config.services, authenticated, metrics: runtime.metrics });
  registerSelfRollRoute(router, { dataSource, services: config.services, limiters, metrics: runtime.metrics });
  registerAuditRoutes(router, { dataSource, authenticated });
  registerMemberRoutes(router, { dataSource, authenticated });
  const mailer = createMailer({ dataSource, logger: runtime.logger, smtpUrl: config.smtpUrl, from: config.mailFrom });
  runtime.onClose(() => mailer.close());
  registerCredentialRoutes(router, {
    dataSource,
    limiters,
    metrics: runtime.metrics,
    mailer,
    logger: runtime.logger,
    publicUrl: config.publicUrl,
  });
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = openApiDocument;
  });
  return router;
}
