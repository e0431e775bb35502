import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { DataSource } from 'typeorm';
import { WebAssets } from './assets.js';
import { loginPathFor, safeNextPath } from './next-path.js';
import { ACCESS_TOKENS_PATH, renderAccessTokensPage } from './pages/access-tokens.js';
import { renderLoginPage } from './pages/login.js';
import { renderNotificationsPage } from './pages/notifications.js';
import { NOTIFICATIONS_PATH } from './pages/settings-shell.js';
import { hasLiveSession } from './session-gate.js';

const SETTINGS_PATH = /^\/settings(\/|$)/;
/** The paths this capability answers; everything else passes straight on untouched. */
const WEB_PATH = /^\/(login|settings(\/.*)?|assets\/.*)?$/;

function sendPage(ctx: Context, html: string): void {
  // Pages depend on who is logged in; never let a shared cache keep one.
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = html;
}

/**
 * The profile pages: `/login`, the Access tokens and Notifications tabs and the browser assets
 * they load, as one Koa middleware. Every `/settings` path needs a session (known page or
 * not, so the answer reveals nothing); without one the visit goes to
 * `/login?next=<where it was going>` and comes back after logging in.
 */
export function webPages(dataSource: DataSource, assets = new WebAssets()): Middleware {
  const router = new Router();

  router.get('/', (ctx) => ctx.redirect(ACCESS_TOKENS_PATH));
  router.get('/settings', (ctx) => ctx.redirect(ACCESS_TOKENS_PATH));
  router.get('/settings/profile', (ctx) => ctx.redirect(ACCESS_TOKENS_PATH));
  router.get(ACCESS_TOKENS_PATH, (ctx) => sendPage(ctx, renderAccessTokensPage(assets)));
  router.get(NOTIFICATIONS_PATH, (ctx) => sendPage(ctx, renderNotificationsPage(assets)));

  router.get('/login', async (ctx) => {
    const next = safeNextPath(ctx.query.next);
    if (await hasLiveSession(ctx, dataSource)) {
      ctx.redirect(next);
      return;
    }
    sendPage(ctx, renderLoginPage(assets, next));
  });

  router.get('/assets/:version/:name', (ctx) => assets.serve(ctx, ctx.params.version!, ctx.params.name!));

  // The router's middleware adds `params` to the context itself; to Koa they are plain middleware.
  const routes = router.routes() as unknown as Middleware;
  const allowedMethods = router.allowedMethods() as unknown as Middleware;
  return async function webPagesMiddleware(ctx: Context, next: Next): Promise<void> {
    if (!WEB_PATH.test(ctx.path)) return next();
    if (SETTINGS_PATH.test(ctx.path) && !(await hasLiveSession(ctx, dataSource))) {
      ctx.redirect(loginPathFor(ctx.originalUrl));
      return;
    }
    await routes(ctx, () => allowedMethods(ctx, next));
  };
}
