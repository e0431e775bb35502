import { beforeAll, describe, expect, it } from 'vitest';
import { buildToken, buildUser, withWrongChecksum, type BuiltToken } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';

/**
 * The token endpoint with its database cut off (through a TCP proxy the test controls):
 * malformed credentials are still refused — proof that they never reach the database — and
 * well-formed ones get a 503 `temporarily_unavailable`, never a 500.
 */
describe('token endpoint without its database', () => {
  const server = useServer({ database: 'proxied' });
  let client: TestClient;
  let token: BuiltToken;

  beforeAll(async () => {
    client = server.client();
    const owner = await buildUser(server.dataSource, { organization: 'outage-org' });
    token = await buildToken(server.dataSource, owner);
    expect((await exchangeToken(client, token.secret)).status).toBe(200);
    server.proxy.cut();
  });

  it('still refuses a token with a bad checksum with invalid_grant: no database read', async () => {
    const badChecksum = withWrongChecksum(token.secret);
    expectOAuthError(await exchangeToken(client, badChecksum), 400, 'invalid_grant');
    expectOAuthError(await clientCredentials(client, token.id, badChecksum), 401, 'invalid_client');
  });

  it('answers a well-formed token 503 temporarily_unavailable with Retry-After', async () => {
    const exchange = expectOAuthError(await exchangeToken(client, token.secret), 503, 'temporarily_unavailable');
    expect(exchange.error_description).not.toContain(token.secret);
    const credentials = await clientCredentials(client, token.id, token.secret);
    expectOAuthError(credentials, 503, 'temporarily_unavailable');
    expect(credentials.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('keeps serving the JWKS and metadata from memory', async () => {
    const jwks = await client.get('/oauth/jwks');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThanOrEqual(2);
    expect((await client.get('/.well-known/oauth-authorization-server')).status).toBe(200);
  });
});
