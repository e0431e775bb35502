import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearer } from '../support/api.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import { exchangedJwt } from '../support/oauth.js';

/** SIGNING_ALG: ES256 is the default (see token-exchange.test.ts); EdDSA and RS256 on request. */
describe.each([
  ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
  ['RS256', { kty: 'RSA' }],
] as const)('SIGNING_ALG=%s', (algorithm, keyShape) => {
  const server = useServer({ env: { SIGNING_ALG: algorithm } });

  it('signs exchanged JWTs with that algorithm, verifiable against the JWKS, and accepts them on /api', async () => {
    const client = server.client();
    const { keys } = (await client.get('/oauth/jwks')).body;
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatchObject({ ...keyShape, alg: algorithm, use: 'sig' });

    const owner = await buildUser(server.dataSource, { organization: 'alg-org', role: 'owner' });
    const token = await buildToken(server.dataSource, owner, { service: 'platform' });
    const jwt = await exchangedJwt(client, token.secret);
    const { protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`)), {
      issuer: server.config.issuer,
      audience: 'https://tollbooth.example/api',
      typ: 'at+jwt',
      algorithms: [algorithm],
    });
    expect(protectedHeader.alg).toBe(algorithm);

    const listed = await client.get('/api/orgs/alg-org/tokens', bearer(jwt));
    expect(listed.status).toBe(200);
  });
});
