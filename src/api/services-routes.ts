import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ServiceCatalog } from '../config/index.js';
import type { ApiState } from './state.js';

/** What a caller learns about the services: id, name, audience and the scopes a token for it carries. */
export function presentServices(services: ServiceCatalog) {
  return services.all.map(({ id, name, audience, scopes }) => ({ id, name, audience, scopes: [...scopes] }));
}

/** `GET /api/services`: what a token can be bound to, with the scopes it would carry. */
export function registerServiceRoutes(
  router: Router<ApiState>,
  { services, authenticated }: { services: ServiceCatalog; authenticated: Middleware },
): void {
  router.get('/api/services', authenticated, (ctx) => {
    ctx.body = { services: presentServices(services) };
  });
}
