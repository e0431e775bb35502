import type { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExchangedAccessToken } from '../../src/mcp/index.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

const MINUTE = 60_000;
const JWT_LIFETIME = 4 * 60 * MINUTE;

/** The JWT a stdio MCP client holds: exchanged from the platform token, renewed before it expires. */
describe('the stdio client’s access token', () => {
  const fixture = useServer();
  let dataSource: DataSource;
  let secret: string;
  const start = Date.now();
  let now = start;

  const accessToken = () =>
    new ExchangedAccessToken({ tollboothUrl: fixture.server.url, platformToken: secret, userAgent: 'tests', clock: () => new Date(now) });
  const listTokens = (jwt: string) => fixture.client().get('/api/orgs/refresh-org/tokens', { headers: { authorization: `Bearer ${jwt}` } });

  beforeAll(async () => {
    dataSource = fixture.dataSource;
    const user = await buildUser(dataSource, { organization: 'refresh-org' });
    ({ secret } = await buildToken(dataSource, user, { service: 'platform' }));
  });

  it('exchanges once and reuses the JWT while it has more than five minutes left', async () => {
    now = start;
    const source = accessToken();
    const first = await source.get();
    expect((await listTokens(first)).status).toBe(200);
    now = start + JWT_LIFETIME - 6 * MINUTE;
    expect(await source.get()).toBe(first);
  });

  it('exchanges a new JWT in the last five minutes before expiry', async () => {
    now = start;
    const source = accessToken();
    const first = await source.get();
    now = start + JWT_LIFETIME - 4 * MINUTE;
    const renewed = await source.get();
    expect(renewed).not.toBe(first);
    expect((await listTokens(renewed)).status).toBe(200);
  });

  it('shares one exchange among concurrent callers', async () => {
    now = start;
    const source = accessToken();
    const jwts = await Promise.all([source.get(), source.get(), source.get()]);
    expect(new Set(jwts).size).toBe(1);
  });

  it('exchanges again after the API refused the JWT it held', async () => {
    now = start;
    const source = accessToken();
    const first = await source.get();
    source.invalidate(first);
    expect(await source.get()).not.toBe(first);
  });
});
