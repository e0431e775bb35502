import type Router from '@koa/router';
import type { Context } from 'koa';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { recordAuditEvent } from '../audit/index.js';
import { UserEntity } from '../db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../errors/index.js';
import type { Limiters } from '../limits/index.js';
import {
  CSRF_HEADER,
  csrfTokenMatches,
  endSession,
  expiredSessionCookie,
  organizationsOf,
  resolveSession,
  SESSION_COOKIE,
  SESSION_LIFETIME_MS,
  sessionCookie,
  startSession,
  verifyCredentials,
} from '../session/index.js';
import { auditContextOf } from './audit-context.js';
import { jsonBody } from './body.js';
import type { ApiState } from './state.js';
import { parseInput } from './validate.js';

const loginSchema = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});

export interface SessionRouteDependencies {
  dataSource: DataSource;
  secureCookies: boolean;
  limiters: Pick<Limiters, 'loginByIp' | 'loginByAccount'>;
}

/** `{user, organizations: [{id, slug, role}], csrf_token}`: the same for login and GET. */
async function presentSession(dataSource: DataSource, userId: string, csrfToken: string) {
  const user = await dataSource.getRepository(UserEntity).findOneByOrFail({ id: userId });
  return { user: { id: user.id, email: user.email }, organizations: await organizationsOf(dataSource, userId), csrf_token: csrfToken };
}

/**
 * `POST /api/session` (log in), `GET /api/session` (who am I, for the profile page after a
 * reload), `DELETE /api/session` (log out).
 */
export function registerSessionRoutes(router: Router<ApiState>, { dataSource, secureCookies, limiters }: SessionRouteDependencies): void {
  router.post('/api/session', jsonBody, async (ctx: Context) => {
    const { email, password } = parseInput(loginSchema, ctx.request.body);
    const account = email.toLowerCase();
    await limiters.loginByIp.check(ctx.ip);
    await limiters.loginByAccount.check(account);
    const user = await verifyOrFail(ctx, dataSource, limiters, account, password);
    await limiters.loginByAccount.reset(account);
    // A fresh session id on every login (no session fixation); the old one, if any, ends.
    await endSession(dataSource, ctx.cookies.get(SESSION_COOKIE));
    const session = await startSession(dataSource, user.id);
    ctx.append('Set-Cookie', sessionCookie(session.cookieValue, { secure: secureCookies, maxAgeSeconds: SESSION_LIFETIME_MS / 1000 }));
    await recordAuditEvent(dataSource, auditContextOf(ctx, user.id), { action: 'session.login' });
    ctx.body = await presentSession(dataSource, user.id, session.csrfToken);
  });

  router.get('/api/session', async (ctx: Context) => {
    const session = await resolveSession(dataSource, ctx.cookies.get(SESSION_COOKIE));
    if (!session) throw new UnauthenticatedError('unauthenticated', 'Not logged in.');
    ctx.body = await presentSession(dataSource, session.userId, session.csrfToken);
  });

  router.delete('/api/session', async (ctx: Context) => {
    const cookieValue = ctx.cookies.get(SESSION_COOKIE);
    const session = await resolveSession(dataSource, cookieValue);
    if (session) {
      // Logging out is a state change too: without the CSRF check any site could end a session.
      if (!csrfTokenMatches(session.csrfToken, ctx.get(CSRF_HEADER) || undefined)) {
        throw new ForbiddenError('csrf_token_invalid', `Logging out needs the session's ${CSRF_HEADER} header.`);
      }
      await endSession(dataSource, cookieValue);
      await recordAuditEvent(dataSource, auditContextOf(ctx, session.userId), { action: 'session.logout' });
    }
    ctx.append('Set-Cookie', expiredSessionCookie({ secure: secureCookies }));
    ctx.status = 204;
  });
}

/** Checks the password; a failure counts against both limits, is audited, and answers one 401. */
async function verifyOrFail(
  ctx: Context,
  dataSource: DataSource,
  limiters: SessionRouteDependencies['limiters'],
  account: string,
  password: string,
) {
  const user = await verifyCredentials(dataSource, account, password);
  if (user) return user;
  await limiters.loginByIp.fail(ctx.ip);
  await limiters.loginByAccount.fail(account);
  await recordAuditEvent(dataSource, auditContextOf(ctx, null), { action: 'session.login_failed', details: { email: account } });
  throw new UnauthenticatedError('invalid_credentials', 'The email or password is not right.');
}
