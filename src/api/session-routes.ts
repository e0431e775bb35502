import type Router from '@koa/router';
import type { Context } from 'koa';
import type { DataSource } from 'typeorm';
import { Unauthenticated } from '../errors/index.js';
import {
  CSRF_HEADER,
  expiredSessionCookie,
  logIn,
  logOut,
  resolveSession,
  SESSION_COOKIE,
  SESSION_LIFETIME_MS,
  sessionCookie,
  sessionOwner,
  type LoginLimiters,
} from '../session/index.js';
import { requestOrigin } from './audit-context.js';
import { jsonBody } from './body.js';
import { presentSession } from './session-presenter.js';
import { loginSchema } from './session-schemas.js';
import type { ApiState } from './state.js';
import { parseInput } from './validate.js';

export interface SessionRouteDependencies {
  dataSource: DataSource;
  secureCookies: boolean;
  limiters: LoginLimiters;
}

/**
 * `POST /api/session` (log in), `GET /api/session` (who am I, for the profile page after a
 * reload), `DELETE /api/session` (log out).
 */
export function registerSessionRoutes(router: Router<ApiState>, { dataSource, secureCookies, limiters }: SessionRouteDependencies): void {
  router.post('/api/session', jsonBody, async (ctx: Context) => {
    const { email, password } = parseInput(loginSchema, ctx.request.body);
    const { session, owner } = await logIn(dataSource, limiters, {
      email,
      password,
      ...requestOrigin(ctx),
      existingCookie: ctx.cookies.get(SESSION_COOKIE),
    });
    ctx.append('Set-Cookie', sessionCookie(session.cookieValue, { secure: secureCookies, maxAgeSeconds: SESSION_LIFETIME_MS / 1000 }));
    ctx.body = presentSession(owner, session.csrfToken);
  });

  router.get('/api/session', async (ctx: Context) => {
    const session = await resolveSession(dataSource, ctx.cookies.get(SESSION_COOKIE));
    if (!session) throw new Unauthenticated('Not logged in.');
    ctx.body = presentSession(await sessionOwner(dataSource, session.userId), session.csrfToken);
  });

  router.delete('/api/session', async (ctx: Context) => {
    await logOut(dataSource, {
      cookie: ctx.cookies.get(SESSION_COOKIE),
      csrfToken: ctx.get(CSRF_HEADER) || undefined,
      ...requestOrigin(ctx),
    });
    ctx.append('Set-Cookie', expiredSessionCookie({ secure: secureCookies }));
    ctx.status = 204;
  });
}
