import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/limits/index.js';
import { mintPlatformToken } from '../../src/tokens/format.js';
import { buildToken, buildUser, type BuiltToken } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { clientCredentials, exchangeToken, expectOAuthError, serverOnFreshDatabase, type ServerOnFreshDatabase } from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

const METRICS_TOKEN = 'metrics-secret-for-tests';

/** Its own server: the per-IP failure count starts at zero here. */
describe('token endpoint brute-force limit', () => {
  let server: TestServer;
  let client: TestClient;
  let token: BuiltToken;
  let fixture: ServerOnFreshDatabase;

  beforeAll(async () => {
    fixture = await serverOnFreshDatabase({ env: { METRICS_TOKEN } });
    ({ server, client } = fixture);
    token = await buildToken(server.runtime.dataSource, await buildUser(server.runtime.dataSource, { organization: 'limits-org' }));
  });
  afterAll(() => fixture?.close());

  it('blocks an IP after too many failed credentials, with 429 and Retry-After, but never for successes', async () => {
    // The policy allows `failures` failures per window; the one after that trips the block.
    const failures = POLICIES.exchangeByIp.failures + 1;
    for (let index = 0; index < failures; index += 1) {
      expectOAuthError(await exchangeToken(client, `tbp_${index}`), 400, 'invalid_grant');
      // Successful exchanges in between neither count nor reset anything.
      if (index % 25 === 0 && index < failures - 1) expect((await exchangeToken(client, token.secret)).status).toBe(200);
    }
    const blocked = await exchangeToken(client, token.secret);
    expectOAuthError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expectOAuthError(await clientCredentials(client, token.id, token.secret), 429, 'rate_limited');
    const metrics = (await client.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text;
    expect(metrics).toMatch(/^tollbooth_rate_limit_hits_total\{limiter="exchange_ip"\} [2-9]/m);
  });
});

describe('client_credentials brute-force limit per token id', () => {
  let fixture: ServerOnFreshDatabase;
  let target: BuiltToken;
  let other: BuiltToken;

  beforeAll(async () => {
    fixture = await serverOnFreshDatabase();
    const dataSource = fixture.server.runtime.dataSource;
    const owner = await buildUser(dataSource, { organization: 'client-limits' });
    target = await buildToken(dataSource, owner);
    other = await buildToken(dataSource, owner, { name: 'other' });
  });
  afterAll(() => fixture?.close());

  it('refuses a token id with 429 after repeated wrong secrets from one address, leaving other tokens alone', async () => {
    const { client } = fixture;
    for (let index = 0; index < POLICIES.exchangeByClient.failures + 1; index += 1) {
      expectOAuthError(await clientCredentials(client, target.id, mintPlatformToken()), 401, 'invalid_client');
    }
    const blocked = await clientCredentials(client, target.id, target.secret);
    expectOAuthError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The address is not blocked as a whole, and the token itself still exchanges by RFC 8693.
    expect((await clientCredentials(client, other.id, other.secret)).status).toBe(200);
    expect((await exchangeToken(client, target.secret)).status).toBe(200);
  });
});
