import { beforeAll, describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/limits/index.js';
import { mintPlatformToken } from '../../src/tokens/format.js';
import { buildToken, buildUser, type BuiltToken } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import { TestClient } from '../support/http.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

describe('brute-force limits leave legitimate traffic alone', () => {
  const server = useServer();
  let tokens: BuiltToken[];

  beforeAll(async () => {
    const owner = await buildUser(server.dataSource, { organization: 'ci-fleet' });
    tokens = [];
    for (let index = 0; index < 5; index += 1) tokens.push(await buildToken(server.dataSource, owner));
  });

  it('serves 5,000 valid exchanges from one IP, with some failures mixed in, without a single 429', async () => {
    const client = server.client();
    const statuses = new Map<number, number>();
    let next = 0;
    // A CI fleet behind one NAT: 10 jobs at a time, both grants, a few bad tokens among them.
    const worker = async () => {
      while (next < 5_000) {
        const index = next++;
        const token = tokens[index % tokens.length]!;
        let status: number;
        if (index % 500 === 0) status = (await exchangeToken(client, mintPlatformToken())).status;
        else if (index % 2 === 0) status = (await exchangeToken(client, token.secret)).status;
        else status = (await clientCredentials(client, token.id, token.secret)).status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 200: 4_990, 400: 10 });
    // A volume test: 5,000 requests take a while on a busy machine.
  }, 300_000);
});

describe('database-backed limits hold across instances', () => {
  const env = { RATE_LIMIT_STORE: 'database' };
  const fixture = useServer({ env });
  let first: TestServer;
  let second: TestServer;
  let token: BuiltToken;

  beforeAll(async () => {
    first = fixture.server;
    second = await fixture.startInstance({ env });
    token = await buildToken(fixture.dataSource, await buildUser(fixture.dataSource, { organization: 'shared-limits' }));
  });

  it('counts failures made on one instance when the other decides', async () => {
    const one = new TestClient(first.url);
    const other = new TestClient(second.url);
    const allowed = POLICIES.exchangeByClient.failures;
    // Half the failures on each instance: only a shared count reaches the limit.
    for (let index = 0; index <= allowed; index += 1) {
      const client = index % 2 === 0 ? one : other;
      expectOAuthError(await clientCredentials(client, token.id, mintPlatformToken()), 401, 'invalid_client');
    }
    expectOAuthError(await clientCredentials(one, token.id, token.secret), 429, 'rate_limited');
    expectOAuthError(await clientCredentials(other, token.id, token.secret), 429, 'rate_limited');
  });
});
