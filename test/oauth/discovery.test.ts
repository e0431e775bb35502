import { decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { exchangedJwt, expectOAuthError } from '../support/oauth.js';

describe('discovery and keys', () => {
  const server = useServer();
  let client: TestClient;

  beforeAll(() => {
    client = server.client();
  });

  describe('RFC 8414 metadata', () => {
    const paths = [
      '/.well-known/oauth-authorization-server',
      // §3: the well-known segment inserted before the issuer's path…
      '/.well-known/oauth-authorization-server/oauth',
      // …and appended to it, for clients that append as OpenID Connect Discovery does.
      '/oauth/.well-known/oauth-authorization-server',
    ];

    it.each(paths)('names the issuer, token endpoint, JWKS, revocation feed and both grants at %s', async (path) => {
      const response = await client.get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      expect(response.body).toMatchObject({
        issuer: `${server.url}/oauth`,
        token_endpoint: `${server.url}/oauth/token`,
        jwks_uri: `${server.url}/oauth/jwks`,
        revocation_feed_uri: `${server.url}/oauth/revocations`,
        grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange', 'client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      });
      expect(response.body.scopes_supported).toEqual(expect.arrayContaining(['strings.read', 'tms.write', 'tokens.read']));
    });

    it('describes no authorization endpoint and no response types: there are none', async () => {
      const { body } = await client.get('/.well-known/oauth-authorization-server');
      expect(body.authorization_endpoint).toBeUndefined();
      expect(body.response_types_supported).toEqual([]);
    });

    it.each(['/.well-known/openid-configuration', '/.well-known/openid-configuration/oauth', '/oauth/.well-known/openid-configuration'])(
      'serves no OpenID provider configuration at %s, and names the RFC 8414 document instead',
      async (path) => {
        const refused = expectOAuthError(await client.get(path), 404, 'not_found');
        expect(refused.error_description).toContain(`${server.url}/.well-known/oauth-authorization-server/oauth`);
      },
    );

    it('answers 405 to anything but GET', async () => {
      const response = await client.request('POST', '/.well-known/oauth-authorization-server', { form: {} });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET');
    });
  });

  describe('GET /oauth/jwks', () => {
    it('publishes the active and the next key — public parts only — with a max-age', async () => {
      const response = await client.get('/oauth/jwks');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=([1-9]\d*)$/);
      const { keys } = response.body;
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        expect(key).toEqual({
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          kid: expect.any(String),
          alg: 'ES256',
          use: 'sig',
        });
      }
      expect(new Set(keys.map((key: { kid: string }) => key.kid)).size).toBe(2);
    });

    it('lists the signing key first and the next key, which has not signed yet, second', async () => {
      const { keys } = (await client.get('/oauth/jwks')).body;
      const token = await buildToken(server.dataSource, await buildUser(server.dataSource, { organization: 'jwks-org' }));
      const header = decodeProtectedHeader(await exchangedJwt(client, token.secret));
      expect(header.kid).toBe(keys[0].kid);
      expect(header.kid).not.toBe(keys[1].kid);
    });
  });

  it('answers a JSON 404 for unknown well-known documents under /oauth', async () => {
    expectOAuthError(await client.get('/oauth/.well-known/webfinger'), 404, 'not_found');
  });
});
