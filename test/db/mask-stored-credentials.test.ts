import { describe, expect, it } from 'vitest';
import { MaskStoredCredentials1765750000000 } from '../../migrations/1765750000000-mask-stored-credentials.js';
import { mintPlatformToken } from '../../src/tokens/format.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz';
const masked = (credential: string) => `${credential.slice(0, 10)}…[redacted]`;
const WHEN = '2025-06-01 12:00:00.000';

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('masking credentials stored before the rule, on %s', (database) => {
  const fixture = useServer({ database });

  const runMigration = async () => {
    const runner = fixture.dataSource.createQueryRunner();
    try {
      await new MaskStoredCredentials1765750000000().up(runner);
    } finally {
      await runner.release();
    }
  };

  const insertAudit = async (userAgent: string | null, details: string): Promise<number> => {
    await fixture.dataSource.query('INSERT INTO audit_events (created_at, action, user_agent, details) VALUES (?, ?, ?, ?)', [
      WHEN,
      'test.old',
      userAgent,
      details,
    ]);
    const [row] = await fixture.dataSource.query('SELECT MAX(id) AS id FROM audit_events');
    return Number(row.id);
  };

  it('masks tokens and JWTs in audit events, token names, descriptions and mails, and leaves the rest as it was', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: `old-rows-${database}`, role: 'owner' });
    const leaked = mintPlatformToken();
    const other = mintPlatformToken();

    // Many rows the coarse filter picks (a display prefix alone) before the one that holds a
    // token, so the token row is found on a later page.
    const prefixOnly = `{"name":"${leaked.slice(0, 10)}"}`;
    const values = Array.from({ length: 520 }, () => '(?, ?, ?, ?)').join(', ');
    await fixture.dataSource.query(
      `INSERT INTO audit_events (created_at, action, user_agent, details) VALUES ${values}`,
      Array.from({ length: 520 }, () => [WHEN, 'test.old', 'curl/8', prefixOnly]).flat(),
    );
    const longAgent = `agent ${leaked} ${'x'.repeat(380)} ${JWT}`;
    // A short JWT-like run grows when masked: the column's length still holds.
    const fullAgent = `${'y'.repeat(496)}eyJabcd.eyJabcd.`;
    const full = await insertAudit(fullAgent, '{}');
    const audit = await insertAudit(longAgent, JSON.stringify({ name: `ci ${other}`, source: `https://x.example/?t=${JWT}` }));
    const clean = await insertAudit('Mozilla/5.0 (X11; Linux x86_64)', '{"name":"deploy"}');

    const token = await buildToken(fixture.dataSource, owner, { name: 'placeholder' });
    await fixture.dataSource.query('UPDATE platform_tokens SET name = ?, description = ? WHERE id = ?', [
      `ci ${leaked}`,
      `copied from the console: Bearer ${JWT}`,
      token.id,
    ]);
    const untouched = await buildToken(fixture.dataSource, owner, { name: 'plain name' });
    await fixture.dataSource.query('INSERT INTO outbox (created_at, recipient, subject, body) VALUES (?, ?, ?, ?)', [
      WHEN,
      owner.email,
      `Your token ci ${leaked} expires soon`,
      `Hello,\n\nyour token "ci ${leaked}" expires in 7 days.`,
    ]);

    const [before] = await fixture.dataSource.query('SELECT user_agent FROM audit_events WHERE id = ?', [audit]);
    expect(before.user_agent).toBe(longAgent);

    await runMigration();

    const [event] = await fixture.dataSource.query('SELECT user_agent, details FROM audit_events WHERE id = ?', [audit]);
    expect(event.user_agent).toBe(`agent ${masked(leaked)} ${'x'.repeat(380)} ${masked(JWT)}`);
    const [cut] = await fixture.dataSource.query('SELECT user_agent FROM audit_events WHERE id = ?', [full]);
    expect(cut.user_agent).toBe(`${'y'.repeat(496)}eyJabcd.ey…[redacted]`.slice(0, 512));
    expect(JSON.parse(event.details)).toEqual({ name: `ci ${masked(other)}`, source: `https://x.example/?t=${masked(JWT)}` });
    const [plain] = await fixture.dataSource.query('SELECT user_agent, details FROM audit_events WHERE id = ?', [clean]);
    expect(plain).toEqual({ user_agent: 'Mozilla/5.0 (X11; Linux x86_64)', details: '{"name":"deploy"}' });
    const [{ unchanged }] = await fixture.dataSource.query('SELECT COUNT(*) AS unchanged FROM audit_events WHERE details = ?', [
      prefixOnly,
    ]);
    expect(Number(unchanged)).toBe(520);

    const tokens = await fixture.dataSource.query('SELECT id, name, description FROM platform_tokens WHERE id IN (?, ?)', [
      token.id,
      untouched.id,
    ]);
    expect(tokens.find((row: { id: string }) => row.id === token.id)).toMatchObject({
      name: `ci ${masked(leaked)}`,
      description: `copied from the console: Bearer ${masked(JWT)}`,
    });
    expect(tokens.find((row: { id: string }) => row.id === untouched.id)).toMatchObject({ name: 'plain name', description: '' });

    const [mail] = await fixture.dataSource.query('SELECT subject, body FROM outbox WHERE recipient = ?', [owner.email]);
    expect(mail).toEqual({
      subject: `Your token ci ${masked(leaked)} expires soon`,
      body: `Hello,\n\nyour token "ci ${masked(leaked)}" expires in 7 days.`,
    });

    // Run again: nothing left to change, nothing breaks.
    await runMigration();
    const [again] = await fixture.dataSource.query('SELECT user_agent FROM audit_events WHERE id = ?', [audit]);
    expect(again.user_agent).toBe(event.user_agent);
  });
});
