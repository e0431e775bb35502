import { beforeAll, describe, expect, it } from 'vitest';
import { loggedInClient } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser, type BuiltToken, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { exchangeToken } from '../support/oauth.js';

/** Waits until `probe` holds, for at most `timeoutMs`. */
const until = (probe: () => Promise<boolean>, timeoutMs: number) =>
  eventually(async () => ((await probe()) ? true : undefined), { timeoutMs, intervalMs: 200, what: probe.name });

describe('database outage', () => {
  const server = useServer({ database: 'proxied' });
  let client: TestClient;
  let token: BuiltToken;
  let owner: BuiltUser;

  beforeAll(async () => {
    client = server.client();
    owner = await buildUser(server.dataSource, { organization: 'outage' });
    token = await buildToken(server.dataSource, owner);
  });

  const ready = async () => (await client.get('/readyz')).status === 200;
  const exchanges = async () => (await exchangeToken(client, token.secret)).status === 200;

  /** The token endpoint answers 503 temporarily_unavailable in JSON, promptly, instead of hanging or 500. */
  async function expectTemporarilyUnavailable(): Promise<void> {
    const started = Date.now();
    const response = await exchangeToken(client, token.secret);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body.error).toBe('temporarily_unavailable');
    expect(Date.now() - started).toBeLessThan(15_000);
  }
  const notReady = async () => (await client.get('/readyz')).status === 503;

  it('answers /readyz and the token endpoint 503 within 20 s while MySQL stalls, and recovers by itself', async () => {
    expect(await ready()).toBe(true);
    const browser = await loggedInClient(server, owner);
    server.proxy.stall();
    await until(notReady, 20_000);
    expect((await client.get('/healthz')).status).toBe(200);
    await expectTemporarilyUnavailable();
    // A logged-in page needs its session row: it answers 503 after the query deadline, not never.
    const page = await browser.get('/settings/profile/access-tokens');
    expect([page.status, page.headers.get('retry-after')]).toEqual([503, '5']);
    expect((await browser.get('/api/session')).body).toMatchObject({ status: 503, code: 'temporarily_unavailable' });
    server.proxy.restore();
    await until(ready, 20_000);
    await until(exchanges, 20_000);
    expect((await browser.get('/settings/profile/access-tokens')).status).toBe(200);
  });

  it('answers /readyz and the token endpoint 503 while MySQL is unreachable, and recovers by itself', async () => {
    server.proxy.cut();
    await until(notReady, 20_000);
    await expectTemporarilyUnavailable();
    server.proxy.restore();
    await until(ready, 20_000);
    await until(exchanges, 20_000);
  });
});
