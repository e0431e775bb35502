import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from '../../src/db/index.js';
import { endSession, resolveSession, SESSION_LIFETIME_MS, startSession } from '../../src/session/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { buildUser } from '../support/factories.js';

describe('session store', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ kind: 'mysql', url: database.url, poolSize: 3, queryTimeoutMs: 5_000 }, { migrate: true });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores only a digest of the cookie value and resolves it until a fixed 12 hours have passed', async () => {
    const user = await buildUser(dataSource);
    const start = new Date('2026-03-01T08:00:00.000Z');
    const session = await startSession(dataSource, user.id, start);
    expect(session.cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(SESSION_LIFETIME_MS).toBe(12 * 60 * 60 * 1000);
    const [row] = await dataSource.query('SELECT * FROM sessions WHERE user_id = ?', [user.id]);
    expect(JSON.stringify(row)).not.toContain(session.cookieValue);

    const almost = new Date(start.getTime() + SESSION_LIFETIME_MS - 1);
    expect(await resolveSession(dataSource, session.cookieValue, almost)).toEqual({
      userId: user.id,
      csrfToken: session.csrfToken,
      expiresAt: new Date(start.getTime() + SESSION_LIFETIME_MS),
    });
    expect(await resolveSession(dataSource, session.cookieValue, new Date(start.getTime() + SESSION_LIFETIME_MS))).toBeNull();
  });

  it('resolves nothing for an absent, malformed or unknown cookie, or after logout', async () => {
    const user = await buildUser(dataSource);
    const session = await startSession(dataSource, user.id);
    for (const value of [undefined, '', 'short', `${session.cookieValue}x`, "' OR 1=1 --", 'A'.repeat(43)]) {
      expect(await resolveSession(dataSource, value)).toBeNull();
    }
    await endSession(dataSource, session.cookieValue);
    expect(await resolveSession(dataSource, session.cookieValue)).toBeNull();
  });

  it('gives every session its own cookie and CSRF token, and clears a user’s lapsed sessions at the next login', async () => {
    const user = await buildUser(dataSource);
    const old = await startSession(dataSource, user.id, new Date(Date.now() - 2 * SESSION_LIFETIME_MS));
    const first = await startSession(dataSource, user.id);
    const second = await startSession(dataSource, user.id);
    expect(new Set([old.cookieValue, first.cookieValue, second.cookieValue]).size).toBe(3);
    expect(first.csrfToken).not.toBe(second.csrfToken);
    const [{ sessions }] = await dataSource.query('SELECT COUNT(*) AS sessions FROM sessions WHERE user_id = ?', [user.id]);
    expect(Number(sessions)).toBe(2);
  });
});
