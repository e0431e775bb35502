import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningKeyEntity } from '../../src/db/index.js';
import { buildToken, buildUser, type BuiltToken } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import {
  clientCredentials,
  eventually,
  exchangeToken,
  expectOAuthError,
  serverOnFreshDatabase,
  type ServerOnFreshDatabase,
} from '../support/oauth.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Without a signing key the token endpoint cannot mint a JWT. That is the key store being
 * unavailable — 503 `temporarily_unavailable` with Retry-After, saying nothing about keys — not
 * a 500, and never a JWT signed with a key no JWKS publishes.
 */
describe('token endpoint without a signing key', () => {
  let fixture: ServerOnFreshDatabase;
  let token: BuiltToken;
  const others: TestServer[] = [];

  beforeAll(async () => {
    fixture = await serverOnFreshDatabase({ env: { KEYS_REFRESH_SECONDS: '1' } });
    const owner = await buildUser(fixture.dataSource, { organization: 'keyless-org' });
    token = await buildToken(fixture.dataSource, owner);
    expect((await exchangeToken(fixture.client, token.secret)).status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all(others.map((server) => server.close()));
    await fixture?.close();
  });

  function expectUnavailable(response: Awaited<ReturnType<typeof exchangeToken>>): void {
    const body = expectOAuthError(response, 503, 'temporarily_unavailable');
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(body.error_description).not.toMatch(/KEY_ENCRYPTION_KEY|kid|signing key [A-Za-z0-9_-]{20,}/);
  }

  it('answers 503 on an instance that starts while the only active key is one it cannot sign with', async () => {
    const keys = fixture.dataSource.getRepository(SigningKeyEntity);
    const active = (await keys.findOneByOrFail({ state: 'active' })).id;
    // An algorithm this build does not sign with, as a newer release sharing the database might write.
    await keys.update({ id: active }, { algorithm: 'ES384' });
    try {
      const instance = await startTestServer({ databaseUrl: fixture.databaseUrl });
      others.push(instance);
      const client = new TestClient(instance.url);
      expectUnavailable(await exchangeToken(client, token.secret));
      expectUnavailable(await clientCredentials(client, token.id, token.secret));
    } finally {
      await keys.update({ id: active }, { algorithm: 'ES256' });
    }
  });

  it('stops signing and answers 503 once its signing keys are gone from the database', async () => {
    await fixture.dataSource.getRepository(SigningKeyEntity).clear();
    const refused = await eventually(
      async () => {
        const response = await exchangeToken(fixture.client, token.secret);
        return response.status === 200 ? undefined : response;
      },
      { what: 'the keystore to notice the keys are gone' },
    );
    expectUnavailable(refused);
    expectUnavailable(await clientCredentials(fixture.client, token.id, token.secret));
  });
});
