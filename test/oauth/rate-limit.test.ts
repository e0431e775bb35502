import { beforeAll, describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/limits/index.js';
import { mintPlatformToken } from '../../src/tokens/format.js';
import { buildToken, buildUser, type BuiltToken } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import { sample, scrapeMetrics } from '../support/metrics.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';

const METRICS_TOKEN = 'metrics-secret-for-tests';

/** Its own server: the per-IP failure count starts at zero here. */
describe('token endpoint brute-force limit', () => {
  const server = useServer({ env: { METRICS_TOKEN } });
  let token: BuiltToken;

  beforeAll(async () => {
    token = await buildToken(server.dataSource, await buildUser(server.dataSource, { organization: 'limits-org' }));
  });

  it('blocks an IP after too many failed credentials, with 429 and Retry-After, but never for successes', async () => {
    const client = server.client();
    // The policy allows `failures` failures per window; the one after that trips the block.
    const failures = POLICIES.exchangeByIp.failures + 1;
    for (let index = 0; index < failures; index += 1) {
      expectOAuthError(await exchangeToken(client, `tbp_${index}`), 400, 'invalid_grant');
      // Successful exchanges in between neither count nor reset anything.
      if (index % 25 === 0 && index < failures - 1) expect((await exchangeToken(client, token.secret)).status).toBe(200);
    }
    const blocked = await exchangeToken(client, token.secret);
    expectOAuthError(blocked, 429, 'rate_limited');
    // The whole block is announced, not what is left of the one-minute window.
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(POLICIES.exchangeByIp.windowSeconds);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(POLICIES.exchangeByIp.blockSeconds);
    expectOAuthError(await clientCredentials(client, token.id, token.secret), 429, 'rate_limited');
    const metrics = await scrapeMetrics(server.url, METRICS_TOKEN);
    expect(sample(metrics, 'tollbooth_rate_limit_hits_total', '{limiter="exchange_ip"}')).toBeGreaterThanOrEqual(2);
  });
});

describe('client_credentials brute-force limit per token id', () => {
  const fixture = useServer();
  let target: BuiltToken;
  let other: BuiltToken;

  beforeAll(async () => {
    const dataSource = fixture.dataSource;
    const owner = await buildUser(dataSource, { organization: 'client-limits' });
    target = await buildToken(dataSource, owner);
    other = await buildToken(dataSource, owner, { name: 'other' });
  });

  it('refuses a token id with 429 after repeated wrong secrets from one address, leaving other tokens alone', async () => {
    const client = fixture.client();
    for (let index = 0; index < POLICIES.exchangeByClient.failures + 1; index += 1) {
      expectOAuthError(await clientCredentials(client, target.id, mintPlatformToken()), 401, 'invalid_client');
    }
    const blocked = await clientCredentials(client, target.id, target.secret);
    expectOAuthError(blocked, 429, 'rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(POLICIES.exchangeByClient.windowSeconds);
    // The address is not blocked as a whole, and the token itself still exchanges by RFC 8693.
    expect((await clientCredentials(client, other.id, other.secret)).status).toBe(200);
    expect((await exchangeToken(client, target.secret)).status).toBe(200);
  });
});
