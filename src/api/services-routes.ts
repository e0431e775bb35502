import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ServiceCatalog } from '../config/index.js';
import { presentServices } from './services-presenter.js';
import type { ApiState } from './state.js';

/** `GET /api/services`: what a token can be bound to, with the scopes it would carry. */
export function registerServiceRoutes(
  router: Router<ApiState>,
  { services, authenticated }: { services: ServiceCatalog; authenticated: Middleware },
): void {
  router.get('/api/services', authenticated, (ctx) => {
    ctx.body = presentServices(services.all);
  });
}
