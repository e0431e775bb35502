import type { DataSource } from 'typeorm';
import { canonicalEmail } from '../accounts/index.js';
import { recordAuditEvent, type AuditContext } from '../audit/index.js';
import { CsrfTokenInvalid, InvalidCredentials } from '../errors/index.js';
import type { Limiters } from '../limits/index.js';
import { verifyCredentials } from './credentials.js';
import { CSRF_HEADER, csrfTokenMatches } from './csrf.js';
import { sessionOwner, type SessionOwner } from './owner.js';
import { endSession, resolveSession, startSession, type StartedSession } from './store.js';

/** The brute-force limits a login answers to: per client address and per account. */
export type LoginLimiters = Pick<Limiters, 'loginByIp' | 'loginByAccount'>;

/** Where a request came from, as plain values. */
export interface RequestOrigin {
  /** The client address (behind TRUST_PROXY, the one the trusted proxy appended). */
  ip: string;
  userAgent: string | null;
}

export interface LoginAttempt extends RequestOrigin {
  email: string;
  password: string;
  /** The session cookie the browser already holds, if any. */
  existingCookie: string | undefined;
}

export interface LoggedIn {
  session: StartedSession;
  owner: SessionOwner;
}

function auditContext(origin: RequestOrigin, actorUserId: string | null): AuditContext {
  return { actorUserId, ip: origin.ip || null, userAgent: origin.userAgent };
}

/**
 * Logs in. A blocked address or account is refused first (429). A wrong password counts
 * against both limits, is audited and answers one 401 `invalid_credentials`, whether or not
 * the account exists. On success the account's failures are forgotten, the session the
 * browser held ends and a new one starts (a fresh id on every login: no session fixation),
 * and the login is audited. Limits count per account, whatever the spelling of the email.
 */
export async function logIn(dataSource: DataSource, limiters: LoginLimiters, attempt: LoginAttempt, now = new Date()): Promise<LoggedIn> {
  // Every spelling that finds an account has the account's own email as its canonical form,
  // so this key counts per account, however the email is written.
  const account = canonicalEmail(attempt.email);
  await limiters.loginByIp.check(attempt.ip);
  await limiters.loginByAccount.check(account);
  const user = await verifyCredentials(dataSource, account, attempt.password);
  if (!user) {
    await limiters.loginByIp.fail(attempt.ip);
    await limiters.loginByAccount.fail(account);
    await recordAuditEvent(dataSource, auditContext(attempt, null), { action: 'session.login_failed', details: { email: account } }, now);
    throw new InvalidCredentials();
  }
  await limiters.loginByAccount.reset(account);
  await endSession(dataSource, attempt.existingCookie);
  const session = await startSession(dataSource, user.id, now);
  await recordAuditEvent(dataSource, auditContext(attempt, user.id), { action: 'session.login' }, now);
  return { session, owner: await sessionOwner(dataSource, user.id) };
}

export interface LogoutRequest extends RequestOrigin {
  cookie: string | undefined;
  /** The `X-CSRF-Token` header as sent. */
  csrfToken: string | undefined;
}

/**
 * Logs out: ends the session the cookie names, audited. Logging out is a state change too, so
 * it needs the session's CSRF token — without it any site could end a session. Without a live
 * session there is nothing to end, and that is not an error.
 */
export async function logOut(dataSource: DataSource, request: LogoutRequest, now = new Date()): Promise<void> {
  const session = await resolveSession(dataSource, request.cookie, now);
  if (!session) return;
  if (!csrfTokenMatches(session.csrfToken, request.csrfToken)) {
    throw new CsrfTokenInvalid(`Logging out needs the session's ${CSRF_HEADER} header.`);
  }
  await endSession(dataSource, request.cookie);
  await recordAuditEvent(dataSource, auditContext(request, session.userId), { action: 'session.logout' }, now);
}
