import { describe, expect, it } from 'vitest';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildExpiredToken, buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

describe('management API on the embedded SQLite (npm start)', () => {
  const server = useServer({ database: 'sqlite' });

  it('creates, filters, disables and deletes tokens', async () => {
    const user = await buildUser(server.dataSource, { organization: 'lite-org', role: 'admin' });
    const client = await loggedInClient(server, user);
    const created = await client.post(tokensPath('lite-org'), { name: 'Lite 100%', service: 'strings' });
    expect(created.status).toBe(201);
    await buildExpiredToken(server.dataSource, user, { name: 'old one' });
    const names = async (query: string) =>
      (await client.get(tokensPath('lite-org', query))).body.tokens.map((token: { name: string }) => token.name);
    expect(await names('?q=lite%20100%25')).toEqual(['Lite 100%']);
    expect(await names('?status=expired')).toEqual(['old one']);
    expect(await names('?status=active&owner=all')).toEqual(['Lite 100%']);
    const path = tokensPath('lite-org', `/${created.body.token.id}`);
    expect((await client.post(`${path}/disable`)).body.token.status).toBe('disabled');
    expect((await client.get(tokensPath('lite-org'))).body.count).toBe(1);
    expect((await client.post(tokensPath('lite-org', '/delete'), { ids: [created.body.token.id] })).body.deleted).toEqual([
      created.body.token.id,
    ]);
    expect(await names('')).toEqual(['old one']);
  });
});
