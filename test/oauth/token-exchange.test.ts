import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { JWT_TOKEN_TYPE, PLATFORM_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/oauth/index.js';
import {
  buildExpiredToken,
  buildToken,
  buildUser,
  changeRole,
  deleteOwnToken,
  disableToken,
  removeMembership,
  withWrongChecksum,
  type BuiltToken,
  type BuiltUser,
} from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { basicAuthorization, exchangeToken, expectOAuthError } from '../support/oauth.js';

const STRINGS_AUDIENCE = 'https://strings.tollbooth.example/api';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

describe('RFC 8693 token exchange at POST /oauth/token', () => {
  const server = useServer();
  let dataSource: DataSource;
  let client: TestClient;
  let owner: BuiltUser;

  beforeAll(async () => {
    dataSource = server.dataSource;
    client = server.client();
    owner = await buildUser(dataSource, { organization: 'exchange-org', role: 'manager' });
  });

  describe('a usable platform token', () => {
    it('becomes a 4-hour at+jwt that jose verifies against the served JWKS', async () => {
      const token = await buildToken(dataSource, owner, { service: 'strings' });
      const response = await exchangeToken(client, token.secret);

      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        access_token: expect.any(String),
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: 14400,
        scope: 'strings.read strings.write',
      });

      const jwks = createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`));
      const { payload, protectedHeader } = await jwtVerify(response.body.access_token, jwks, {
        issuer: `${server.url}/oauth`,
        audience: STRINGS_AUDIENCE,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
      expect(Object.keys(payload).sort()).toEqual([
        'aud',
        'client_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'org_id',
        'role',
        'scope',
        'sub',
        'token_id',
      ]);
      expect(payload).toMatchObject({
        iss: `${server.url}/oauth`,
        sub: owner.id,
        aud: STRINGS_AUDIENCE,
        client_id: token.id,
        token_id: token.id,
        org_id: owner.organizationId,
        role: 'manager',
        scope: 'strings.read strings.write',
      });
      expect(payload.exp! - payload.iat!).toBe(14400);
      expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(60);
    });

    it('gives every JWT its own jti', async () => {
      const token = await buildToken(dataSource, owner);
      const [first, second] = await Promise.all([exchangeToken(client, token.secret), exchangeToken(client, token.secret)]);
      const [one, two] = [decodeJwt(first.body.access_token).jti, decodeJwt(second.body.access_token).jti];
      expect(one).toEqual(expect.any(String));
      expect(one).not.toBe(two);
    });

    it('accepts the platform token type spelled out and echoes a requested jwt token type', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await exchangeToken(client, token.secret, {
        subject_token_type: PLATFORM_TOKEN_TYPE,
        requested_token_type: JWT_TOKEN_TYPE,
      });
      expect(response.status).toBe(200);
      expect(response.body.issued_token_type).toBe(JWT_TOKEN_TYPE);
      expect(decodeProtectedHeader(response.body.access_token).typ).toBe('at+jwt');
    });

    it('answers JSON to a caller that prefers HTML', async () => {
      const token = await buildToken(dataSource, owner);
      expect((await exchangeToken(client, token.secret, {}, { accept: 'text/html' })).status).toBe(200);
      expectOAuthError(await exchangeToken(client, 'tbp_nope', {}, { accept: 'text/html' }), 400, 'invalid_grant');
    });

    it('ignores client_id of the built-in public client when a caller sends it', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await exchangeToken(client, token.secret, { client_id: 'tollbooth-token-exchange' });
      expect(response.status).toBe(200);
    });
  });

  describe('sent with client authentication (OAuth libraries that always authenticate)', () => {
    it('exchanges the token that authenticated as the client, by Basic or in the body', async () => {
      const token = await buildToken(dataSource, owner);
      const jwtClient = (response: { body: { access_token: string } }) => decodeJwt(response.body.access_token).client_id;

      const byBasic = await exchangeToken(client, token.secret, {}, basicAuthorization(token.id, token.secret));
      expect(byBasic.status).toBe(200);
      expect(byBasic.body.issued_token_type).toBe(ACCESS_TOKEN_TYPE);
      expect(jwtClient(byBasic)).toBe(token.id);

      const inBody = await exchangeToken(client, token.secret, { client_id: token.id, client_secret: token.secret });
      expect(inBody.status).toBe(200);
      expect(jwtClient(inBody)).toBe(token.id);
    });

    it('refuses another token as subject with invalid_grant, and a wrong or unusable client with invalid_client', async () => {
      const token = await buildToken(dataSource, owner);
      const other = await buildToken(dataSource, owner);
      const refused = expectOAuthError(
        await exchangeToken(client, other.secret, {}, basicAuthorization(token.id, token.secret)),
        400,
        'invalid_grant',
      );
      expect(refused.error_description).toBe('subject_token must be the platform token the client authenticated with');

      expectOAuthError(await exchangeToken(client, token.secret, {}, basicAuthorization(token.id, other.secret)), 401, 'invalid_client');
      await disableToken(dataSource, owner, token.id);
      expectOAuthError(await exchangeToken(client, token.secret, {}, basicAuthorization(token.id, token.secret)), 401, 'invalid_client');
    });
  });

  describe('naming a client_id without a secret (the `none` client authentication method)', () => {
    const jwtClaims = (response: { body: { access_token: string } }) => decodeJwt(response.body.access_token);

    it.each([
      ['in the body', (id: string) => ({ form: { client_id: id }, headers: {} })],
      [
        'as Basic with an empty password',
        (id: string) => ({ form: {}, headers: { authorization: `Basic ${Buffer.from(`${id}:`).toString('base64')}` } }),
      ],
    ])('is the public exchange: the subject token alone decides (client_id %s)', async (_how, naming) => {
      const token = await buildToken(dataSource, owner);
      const { form, headers } = naming('my-ci-pipeline');
      const response = await exchangeToken(client, token.secret, form, headers);
      expect(response.status, response.text).toBe(200);
      expect(jwtClaims(response)).toMatchObject({ client_id: token.id, token_id: token.id });
    });

    it("gives nothing of a named confidential client's: the JWT is the subject token's, never the named token's", async () => {
      const named = await buildToken(dataSource, owner, { role: 'manager' });
      const viewer = await buildUser(dataSource, { organization: 'exchange-org', role: 'viewer' });
      const subject = await buildToken(dataSource, viewer);
      const response = await exchangeToken(client, subject.secret, { client_id: named.id });
      expect(response.status, response.text).toBe(200);
      expect(jwtClaims(response)).toMatchObject({ client_id: subject.id, token_id: subject.id, sub: viewer.id, role: 'viewer' });
      // Without a usable subject token, naming a client gets nothing at all.
      expectOAuthError(await exchangeToken(client, 'tbp_nope', { client_id: named.id }), 400, 'invalid_grant');
      expectOAuthError(await exchangeToken(client, undefined, { client_id: named.id }), 400, 'invalid_request');
    });

    it('is still invalid_client for client_credentials, which has no public form', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await client.request('POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: token.id } });
      expectOAuthError(response, 401, 'invalid_client');
    });
  });

  describe('scope', () => {
    it('narrows the JWT to a requested subset', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await exchangeToken(client, token.secret, { scope: 'strings.read' });
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('strings.read');
      expect(decodeJwt(response.body.access_token).scope).toBe('strings.read');
    });

    it('refuses a scope the token does not carry with invalid_scope', async () => {
      const token = await buildToken(dataSource, owner);
      const body = expectOAuthError(await exchangeToken(client, token.secret, { scope: 'strings.read tms.write' }), 400, 'invalid_scope');
      expect(body.error_description).toContain('tms.write');
    });

    it('refuses a malformed scope with invalid_scope', async () => {
      const token = await buildToken(dataSource, owner);
      expectOAuthError(await exchangeToken(client, token.secret, { scope: 'strings.read\u0000' }), 400, 'invalid_scope');
    });
  });

  describe('audience and resource', () => {
    let token: BuiltToken;
    beforeAll(async () => {
      token = await buildToken(dataSource, owner);
    });

    it.each<Record<string, string | string[]>>([
      { audience: 'strings' },
      { audience: STRINGS_AUDIENCE },
      { resource: STRINGS_AUDIENCE },
      { audience: ['strings', STRINGS_AUDIENCE] },
    ])('accept the bound service named as %j', async (extra) => {
      const response = await exchangeToken(client, token.secret, extra);
      expect(response.status).toBe(200);
      expect(decodeJwt(response.body.access_token).aud).toBe(STRINGS_AUDIENCE);
    });

    it.each<Record<string, string | string[]>>([
      { audience: 'tms' },
      { resource: 'https://tms.tollbooth.example/api' },
      { resource: 'strings' },
      { audience: ['strings', 'tms'] },
    ])('refuse another target, %j, with invalid_target', async (extra) => {
      expectOAuthError(await exchangeToken(client, token.secret, extra), 400, 'invalid_target');
    });
  });

  describe('refusals', () => {
    async function expectSameRefusal(secret: string) {
      const body = expectOAuthError(await exchangeToken(client, secret), 400, 'invalid_grant');
      expect(body.error_description).toBe('the subject token is invalid, expired or revoked');
    }

    describe('one invalid_grant for every unusable token', () => {
      const secrets: Record<string, string> = {};
      beforeAll(async () => {
        const stored = (await buildToken(dataSource, owner)).secret;
        // Another valid-looking token: same shape and checksum scheme, never stored.
        secrets.forged = `${stored.slice(0, 4)}${'A'.repeat(32)}`;
        secrets.badChecksum = withWrongChecksum(stored);
        const disabled = await buildToken(dataSource, owner);
        await disableToken(dataSource, owner, disabled.id);
        secrets.disabled = disabled.secret;
        secrets.expired = (await buildExpiredToken(dataSource, owner)).secret;
        const deleted = await buildToken(dataSource, owner);
        await deleteOwnToken(dataSource, owner, deleted.id);
        secrets.deleted = deleted.secret;
      });

      it.each([
        ['an unknown token', () => secrets.forged!],
        ['a wrong checksum', () => secrets.badChecksum!],
        ['a too short token', () => 'tbp_short'],
        ['something else entirely', () => 'not a token at all'],
        ['a disabled token', () => secrets.disabled!],
        ['an expired token', () => secrets.expired!],
        ['a deleted token', () => secrets.deleted!],
      ])('refuses %s', async (_case, secret) => {
        await expectSameRefusal(secret());
      });
    });

    it('refuses once the owner has left the organization', async () => {
      const leaver = await buildUser(dataSource, { organization: 'exchange-org' });
      const token = await buildToken(dataSource, leaver);
      expect((await exchangeToken(client, token.secret)).status).toBe(200);
      await removeMembership(dataSource, leaver);
      await expectSameRefusal(token.secret);
    });

    it('refuses once the owner has been demoted below the token role', async () => {
      const admin = await buildUser(dataSource, { organization: 'exchange-org', role: 'admin' });
      const adminToken = await buildToken(dataSource, admin);
      const viewerToken = await buildToken(dataSource, admin, { role: 'viewer' });
      expect((await exchangeToken(client, adminToken.secret)).status).toBe(200);
      await changeRole(dataSource, admin, 'member');
      await expectSameRefusal(adminToken.secret);
      // A token whose role is still within the new role keeps working.
      expect((await exchangeToken(client, viewerToken.secret)).status).toBe(200);
    });
  });

  describe('malformed requests', () => {
    let token: BuiltToken;
    beforeAll(async () => {
      token = await buildToken(dataSource, owner);
    });

    it.each([
      ['no subject_token', () => exchangeToken(client, undefined)],
      ['an empty subject_token', () => exchangeToken(client, '')],
      ['another subject_token_type', () => exchangeToken(client, token.secret, { subject_token_type: ACCESS_TOKEN_TYPE })],
      [
        'another requested_token_type',
        () => exchangeToken(client, token.secret, { requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }),
      ],
      ['a repeated subject_token', () => exchangeToken(client, undefined, { subject_token: [token.secret, token.secret] })],
      ['a repeated scope', () => exchangeToken(client, token.secret, { scope: ['strings.read', 'strings.write'] })],
      ['an actor token', () => exchangeToken(client, token.secret, { actor_token: token.secret, actor_token_type: PLATFORM_TOKEN_TYPE })],
      [
        'a JSON body instead of a form',
        () => client.request('POST', '/oauth/token', { json: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token.secret } }),
      ],
      ['a body over the size limit', () => exchangeToken(client, token.secret, { padding: 'x'.repeat(20_000) })],
      ['no body', () => client.request('POST', '/oauth/token')],
      ['no grant_type', () => client.request('POST', '/oauth/token', { form: { subject_token: 'x' } })],
      [
        'two grant types',
        () => client.request('POST', '/oauth/token', { form: { grant_type: [TOKEN_EXCHANGE_GRANT, 'client_credentials'] } }),
      ],
    ])('refuses %s with invalid_request', async (_case, send) => {
      expectOAuthError(await send(), 400, 'invalid_request');
    });

    it.each(['password', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'implicit'])(
      'answers unsupported_grant_type to grant_type=%s',
      async (grant) => {
        expectOAuthError(
          await client.request('POST', '/oauth/token', { form: { grant_type: grant, code: 'x', refresh_token: 'x' } }),
          400,
          'unsupported_grant_type',
        );
      },
    );
  });

  describe('everything else under /oauth', () => {
    it.each([
      ['GET', '/oauth/auth'],
      ['GET', '/oauth/me'],
      ['GET', '/oauth/token/introspection'],
      ['GET', '/oauth/reg'],
      ['GET', '/oauth/session/end'],
      ['GET', '/oauth/interaction/x'],
      ['GET', '/oauth'],
      ['GET', '/oauth/'],
      ['POST', '/oauth/token/introspection'],
      ['POST', '/oauth/revoke'],
    ])('answers %s %s with a JSON 404, though oidc-provider has such routes', async (method, path) => {
      const response = await client.request(method, path, method === 'POST' ? { form: { token: 'x' } } : {});
      expectOAuthError(response, 404, 'not_found');
    });

    it('answers 405 with Allow for the wrong method on the token endpoint and JWKS', async () => {
      const get = await client.get('/oauth/token');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const post = await client.request('POST', '/oauth/jwks', { form: {} });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET');
    });
  });
});
