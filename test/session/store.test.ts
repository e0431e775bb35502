import type { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { endSession, resolveSession, SESSION_LIFETIME_MS, startSession } from '../../src/session/index.js';
import { buildUser } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';

describe('session store', () => {
  const database = useDatabase({ migrate: true });
  let dataSource: DataSource;

  beforeAll(() => {
    dataSource = database.dataSource;
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

  it.each([
    ['an absent cookie', () => undefined],
    ['an empty cookie', () => ''],
    ['a short cookie', () => 'short'],
    ['a real cookie with a character more', (cookie: string) => `${cookie}x`],
    ['SQL', () => "' OR 1=1 --"],
    ['an unknown cookie of the right shape', () => 'A'.repeat(43)],
  ])('resolves nothing for %s', async (_case, cookieFor) => {
    const user = await buildUser(dataSource);
    const session = await startSession(dataSource, user.id);
    expect(await resolveSession(dataSource, session.cookieValue)).not.toBeNull();
    expect(await resolveSession(dataSource, cookieFor(session.cookieValue))).toBeNull();
  });

  it('resolves nothing after logout', async () => {
    const user = await buildUser(dataSource);
    const session = await startSession(dataSource, user.id);
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
