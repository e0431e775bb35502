import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { LessThan } from 'typeorm';
import { causalSelect, dateFromSql, inTransaction, queryTimeoutOf, SessionEntity, withDeadline, writeRetrying } from '../db/index.js';

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
  await inTransaction(dataSource, async (manager) => {
    const sessions = manager.getRepository(SessionEntity);
    // Housekeeping: the user's lapsed sessions go when they log in again.
    await sessions.delete({ userId, expiresAt: LessThan(now) });
    await sessions.insert({ id: sessionId(cookieValue), userId, csrfToken, createdAt: now, expiresAt });
  });
  return { cookieValue, userId, csrfToken, expiresAt };
}

interface SessionRow {
  user_id: string;
  csrf_token: string;
  expires_at: Date | string;
}

/**
 * The live session a cookie value names, or null when it is absent, malformed, unknown,
 * ended or expired. One primary-key read; never cached, so logout takes effect at once, and
 * causal on a Galera cluster, so a session started or ended through another node counts here
 * at once.
 */
export async function resolveSession(
  dataSource: DataSource,
  cookieValue: string | undefined,
  now = new Date(),
): Promise<ResolvedSession | null> {
  if (!cookieValue || !COOKIE_VALUE.test(cookieValue)) return null;
  // Every page and API call passes here: bound it, so a stalled database answers 503 instead of hanging.
  const rows: SessionRow[] = await withDeadline(
    dataSource.query(causalSelect(dataSource, 'SELECT user_id, csrf_token, expires_at FROM sessions WHERE id = ?'), [
      sessionId(cookieValue),
    ]),
    queryTimeoutOf(dataSource),
  );
  const [session] = rows;
  if (!session) return null;
  const expiresAt = dateFromSql(session.expires_at);
  if (expiresAt.getTime() <= now.getTime()) return null;
  return { userId: session.user_id, csrfToken: session.csrf_token, expiresAt };
}

/** Ends the session a cookie value names (logout). Unknown values are ignored. */
export async function endSession(dataSource: DataSource, cookieValue: string | undefined): Promise<void> {
  if (!cookieValue || !COOKIE_VALUE.test(cookieValue)) return;
  await writeRetrying(dataSource, () => dataSource.getRepository(SessionEntity).delete({ id: sessionId(cookieValue) }));
}
