import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToken, buildUser, type BuiltToken } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';
import type { TestServer } from '../support/server.js';
import { startServerBehindProxy, type ServerBehindProxy } from '../support/outage.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

/**
 * The token endpoint with its database cut off (through a TCP proxy the test controls):
 * malformed credentials are still refused — proof that they never reach the database — and
 * well-formed ones get a 503 `temporarily_unavailable`, never a 500.
 */
describe('token endpoint without its database', () => {
  let outage: ServerBehindProxy;
  let proxy: TcpProxy;
  let server: TestServer;
  let client: TestClient;
  let token: BuiltToken;

  beforeAll(async () => {
    outage = await startServerBehindProxy();
    ({ proxy, server } = outage);
    client = new TestClient(server.url);
    const owner = await buildUser(server.runtime.dataSource, { organization: 'outage-org' });
    token = await buildToken(server.runtime.dataSource, owner);
    expect((await exchangeToken(client, token.secret)).status).toBe(200);
    proxy.cut();
  });
  afterAll(() => outage?.close());

  it('still refuses a token with a bad checksum with invalid_grant: no database read', async () => {
    const badChecksum = `${token.secret.slice(0, -1)}${token.secret.endsWith('0') ? '1' : '0'}`;
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
