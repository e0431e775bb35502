import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { buildToken, buildUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { exchangeToken } from '../support/oauth.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** SIGNING_ALG: ES256 is the default (see token-exchange.test.ts); EdDSA and RS256 on request. */
describe.each([
  ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
  ['RS256', { kty: 'RSA' }],
] as const)('SIGNING_ALG=%s', (algorithm, keyShape) => {
  let database: TestDatabase;
  let server: TestServer;

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('signs exchanged JWTs with that algorithm, verifiable against the JWKS, and accepts them on /api', async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { SIGNING_ALG: algorithm } });
    const client = new TestClient(server.url);
    const { keys } = (await client.get('/oauth/jwks')).body;
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatchObject({ ...keyShape, alg: algorithm, use: 'sig' });

    const owner = await buildUser(server.runtime.dataSource, { organization: 'alg-org', role: 'owner' });
    const token = await buildToken(server.runtime.dataSource, owner, { service: 'platform' });
    const response = await exchangeToken(client, token.secret);
    expect(response.status).toBe(200);
    const { protectedHeader } = await jwtVerify(response.body.access_token, createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`)), {
      issuer: server.config.issuer,
      audience: 'https://tollbooth.example/api',
      typ: 'at+jwt',
      algorithms: [algorithm],
    });
    expect(protectedHeader.alg).toBe(algorithm);

    const listed = await client.get('/api/orgs/alg-org/tokens', { headers: { authorization: `Bearer ${response.body.access_token}` } });
    expect(listed.status).toBe(200);
  });
});
