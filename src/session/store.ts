import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LessThan } from 'typeorm';
import { queryTimeoutOf, SessionEntity, withDeadline } from '../db/index.js';

/** The session cookie's name. Its value is a random 256-bit secret; only its SHA-256 is stored. */
export const SESSION_COOKIE = 'tollbooth_session';

/**
 * Fixed (absolute, not sliding) session lifetime: 12 hours, a working day. OWASP's session
 * guidance favours an absolute timeout; a stolen cookie stops working by the next morning.
 */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface ResolvedSession {
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface StartedSession extends ResolvedSession {
  /** The cookie value. Shown to the browser once; never stored or logged. */
  cookieValue: string;
}

/** 43 base64url characters. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

function sessionId(cookieValue: string): string {
  return createHash('sha256').update(cookieValue, 'utf8').digest('hex');
}

/** Opens a server-side session for a user who has just proved their password. */
export async function startSession(dataSource: DataSource, userId: string, now = new Date()): Promise<StartedSession> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  const sessions = dataSource.getRepository(SessionEntity);
  // Housekeeping: the user's lapsed sessions go when they log in again.
  await sessions.delete({ userId, expiresAt: LessThan(now) });
  await sessions.insert({ id: sessionId(cookieValue), userId, csrfToken, createdAt: now, expiresAt });
  return { cookieValue, userId, csrfToken, expiresAt };
}

/**
 * The live session a cookie value names, or null when it is absent, malformed, unknown,
 * ended or expired. One primary-key read; never cached, so logout takes effect at once.
 */
export async function resolveSession(
  dataSource: DataSource,
  cookieValue: string | undefined,
  now = new Date(),
): Promise<ResolvedSession | null> {
  if (!cookieValue || !COOKIE_VALUE.test(cookieValue)) return null;
  // Every page and API call passes here: bound it, so a stalled database answers 503 instead of hanging.
  const session = await withDeadline(
    dataSource.getRepository(SessionEntity).findOneBy({ id: sessionId(cookieValue) }),
    queryTimeoutOf(dataSource),
  );
  if (!session || session.expiresAt.getTime() <= now.getTime()) return null;
  return { userId: session.userId, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}

/** Ends the session a cookie value names (logout). Unknown values are ignored. */
export async function endSession(dataSource: DataSource, cookieValue: string | undefined): Promise<void> {
  if (!cookieValue || !COOKIE_VALUE.test(cookieValue)) return;
  await dataSource.getRepository(SessionEntity).delete({ id: sessionId(cookieValue) });
}
