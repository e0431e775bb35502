import { beforeAll, describe, expect, it } from 'vitest';
import { POLICIES } from '../../src/limits/index.js';
import { mintPlatformToken } from '../../src/tokens/index.js';
import { bearer, createTokenThroughApi, loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useGaleraDatabase } from '../support/fixture.js';
import { GALERA_NODE_URLS } from '../support/galera.js';
import { TestClient } from '../support/http.js';
import { clientCredentials, exchangedJwt, exchangeToken, expectOAuthError } from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

/** Instances on two nodes of one Galera cluster: what one does, the other honours at once. */
describe.skipIf(GALERA_NODE_URLS.length < 3)('revocation and sessions across Galera nodes', () => {
  const cluster = useGaleraDatabase();
  let onFirst: TestServer;
  let onSecond: TestServer;
  let owner: BuiltUser;
  let ownerOnFirst: TestClient;

  beforeAll(async () => {
    [onFirst, onSecond] = await Promise.all([cluster.startInstance(0), cluster.startInstance(1)]);
    owner = await buildUser(cluster.dataSource(0), { organization: 'fleet', role: 'admin' });
    ownerOnFirst = await loggedInClient(onFirst, owner);
  });

  it.each(Array.from({ length: 10 }, (_, index) => index + 1))(
    'refuses at the very next exchange through node B a token deleted through node A (round %i)',
    async () => {
      const token = await createTokenThroughApi(ownerOnFirst, 'fleet', { name: 'ci' });
      const onB = new TestClient(onSecond.url);
      expect((await exchangeToken(onB, token.secret)).status).toBe(200);
      expect((await ownerOnFirst.delete(tokensPath('fleet', `/${token.id}`))).status).toBe(204);
      expectOAuthError(await exchangeToken(onB, token.secret), 400, 'invalid_grant');
      expectOAuthError(await clientCredentials(onB, token.id, token.secret), 401, 'invalid_client');
    },
  );

  it('refuses on node B, at once, a bearer JWT whose token was disabled through node A', async () => {
    const token = await createTokenThroughApi(ownerOnFirst, 'fleet', { name: 'platform bot', service: 'platform' });
    const jwt = await exchangedJwt(new TestClient(onSecond.url), token.secret);
    const onB = new TestClient(onSecond.url);
    expect((await onB.get(tokensPath('fleet'), bearer(jwt))).status).toBe(200);
    expect((await ownerOnFirst.post(tokensPath('fleet', `/${token.id}/disable`))).status).toBe(200);
    expect((await onB.get(tokensPath('fleet'), bearer(jwt))).status).toBe(401);
  });

  it('sees on node B, at once, a token just created through node A', async () => {
    const created = await createTokenThroughApi(ownerOnFirst, 'fleet', { name: 'fresh' });
    expect((await exchangeToken(new TestClient(onSecond.url), created.secret)).status).toBe(200);
  });
});

describe.skipIf(GALERA_NODE_URLS.length < 3)('the database rate-limit store across Galera nodes', () => {
  const env = { RATE_LIMIT_STORE: 'database' };
  const cluster = useGaleraDatabase();

  it('counts failures made through either node toward one limit', async () => {
    const [onFirst, onSecond] = await Promise.all([cluster.startInstance(0, { env }), cluster.startInstance(1, { env })]);
    const token = await buildToken(cluster.dataSource(0), await buildUser(cluster.dataSource(0), { organization: 'shared-limits' }));
    const one = new TestClient(onFirst.url);
    const other = new TestClient(onSecond.url);
    const allowed = POLICIES.exchangeByClient.failures;
    // Half the failures through each node, several at once: only a shared count reaches the limit.
    const attempts = Array.from({ length: allowed + 1 }, (_, index) =>
      clientCredentials(index % 2 === 0 ? one : other, token.id, mintPlatformToken()),
    );
    for (const response of await Promise.all(attempts)) expectOAuthError(response, 401, 'invalid_client');
    expectOAuthError(await clientCredentials(one, token.id, token.secret), 429, 'rate_limited');
    expectOAuthError(await clientCredentials(other, token.id, token.secret), 429, 'rate_limited');
  });
});
