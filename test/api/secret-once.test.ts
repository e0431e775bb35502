import { describe, expect, it } from 'vitest';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

describe('the secret is shown once', () => {
  const fixture = useServer({ captureLogs: true });

  it('appears in the 201 create response and nowhere else: not in any column, the logs, or later responses', async () => {
    const user = await buildUser(fixture.dataSource, { organization: 'secret-org', role: 'admin' });
    const client = await loggedInClient(fixture, user);
    const created = await client.post(tokensPath('secret-org'), { name: 'the one', service: 'platform', description: 'never twice' });
    expect(created.status).toBe(201);
    const { secret, token } = created.body;
    expect(secret).toMatch(/^tbp_[0-9A-Za-z]{38}$/);
    // What must never be seen again: the full token, and its random part beyond the display prefix.
    const hidden = secret.slice(10);

    const path = tokensPath('secret-org', `/${token.id}`);
    const later = [
      await client.get(path),
      await client.get(tokensPath('secret-org')),
      await client.get(tokensPath('secret-org', '?owner=all&q=the')),
      await client.patch(path, { name: 'renamed' }),
      await client.post(`${path}/disable`),
      await client.post(`${path}/enable`),
      await client.get('/api/session'),
    ];
    for (const response of later) {
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(hidden);
      response.headers.forEach((value, name) => expect(value, name).not.toContain(hidden));
    }

    const rows: Array<Record<string, unknown>> = await fixture.dataSource.query('SELECT * FROM platform_tokens');
    expect(rows).toHaveLength(1);
    for (const [column, value] of Object.entries(rows[0]!)) {
      expect(String(value), `column ${column}`).not.toContain(hidden);
    }
    expect(rows[0]!.prefix).toBe(secret.slice(0, 10));
    const audit = await fixture.dataSource.query('SELECT * FROM audit_events');
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(hidden);

    // The request log ran at debug level for every call above.
    const logs = fixture.logs();
    expect(logs).toContain('"path":"/api/orgs/secret-org/tokens"');
    expect(logs).not.toContain(hidden);
  });
});
