import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { setMembership } from '../../src/accounts/index.js';
import { MembershipEntity } from '../../src/db/index.js';
import { JWT_TOKEN_TYPE, PLATFORM_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/oauth/index.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import {
  basicAuthorization,
  deleteOwnToken,
  disableToken,
  exchangeToken,
  expectOAuthError,
  longAgo,
  serverOnFreshDatabase,
  type ServerOnFreshDatabase,
} from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

const STRINGS_AUDIENCE = 'https://strings.tollbooth.example/api';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

describe('RFC 8693 token exchange at POST /oauth/token', () => {
  let server: TestServer;
  let dataSource: DataSource;
  let client: TestClient;
  let owner: BuiltUser;
  let fixture: ServerOnFreshDatabase;

  beforeAll(async () => {
    fixture = await serverOnFreshDatabase();
    ({ server, dataSource, client } = fixture);
    owner = await buildUser(dataSource, { organization: 'exchange-org', role: 'manager' });
  });
  afterAll(() => fixture?.close());

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
      const jti = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).jti;
      expect(jti(first.body.access_token)).not.toBe(jti(second.body.access_token));
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
      const jwtClient = (response: { body: { access_token: string } }) =>
        JSON.parse(Buffer.from(response.body.access_token.split('.')[1]!, 'base64url').toString()).client_id;

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
      // Naming the client without its secret is no way around client authentication.
      expectOAuthError(await exchangeToken(client, token.secret, { client_id: token.id }), 401, 'invalid_client');
      await disableToken(dataSource, owner, token.id);
      expectOAuthError(await exchangeToken(client, token.secret, {}, basicAuthorization(token.id, token.secret)), 401, 'invalid_client');
    });
  });

  describe('scope', () => {
    it('narrows the JWT to a requested subset', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await exchangeToken(client, token.secret, { scope: 'strings.read' });
      expect(response.status).toBe(200);
      expect(response.body.scope).toBe('strings.read');
      const payload = JSON.parse(Buffer.from(response.body.access_token.split('.')[1], 'base64url').toString());
      expect(payload.scope).toBe('strings.read');
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
    it('accept the bound service by id or audience URI', async () => {
      const token = await buildToken(dataSource, owner);
      for (const extra of [
        { audience: 'strings' },
        { audience: STRINGS_AUDIENCE },
        { resource: STRINGS_AUDIENCE },
        { audience: ['strings', STRINGS_AUDIENCE] },
      ] as Array<Record<string, string | string[]>>) {
        const response = await exchangeToken(client, token.secret, extra);
        expect(response.status, JSON.stringify(extra)).toBe(200);
      }
    });

    it('refuse any other target with invalid_target', async () => {
      const token = await buildToken(dataSource, owner);
      for (const extra of [
        { audience: 'tms' },
        { resource: 'https://tms.tollbooth.example/api' },
        { resource: 'strings' },
        { audience: ['strings', 'tms'] },
      ] as Array<Record<string, string | string[]>>) {
        expectOAuthError(await exchangeToken(client, token.secret, extra), 400, 'invalid_target');
      }
    });
  });

  describe('refusals', () => {
    async function expectSameRefusal(secret: string) {
      const body = expectOAuthError(await exchangeToken(client, secret), 400, 'invalid_grant');
      expect(body.error_description).toBe('the subject token is invalid, expired or revoked');
    }

    it('answers one invalid_grant for unknown, malformed, disabled, expired and deleted tokens', async () => {
      const unknown = (await buildToken(dataSource, owner)).secret;
      // Another valid-looking token: same shape and checksum scheme, never stored.
      const forged = `${unknown.slice(0, 4)}${'A'.repeat(32)}`;
      const disabled = await buildToken(dataSource, owner);
      await disableToken(dataSource, owner, disabled.id);
      const expired = await buildToken(dataSource, owner, { now: longAgo() });
      const deleted = await buildToken(dataSource, owner);
      await deleteOwnToken(dataSource, owner, deleted.id);
      const badChecksum = `${unknown.slice(0, -1)}${unknown.endsWith('0') ? '1' : '0'}`;

      for (const secret of [forged, badChecksum, 'tbp_short', 'not a token at all', disabled.secret, expired.secret, deleted.secret]) {
        await expectSameRefusal(secret);
      }
    });

    it('refuses once the owner has left the organization', async () => {
      const leaver = await buildUser(dataSource, { organization: 'exchange-org' });
      const token = await buildToken(dataSource, leaver);
      expect((await exchangeToken(client, token.secret)).status).toBe(200);
      await dataSource.getRepository(MembershipEntity).delete({ userId: leaver.id, organizationId: leaver.organizationId });
      await expectSameRefusal(token.secret);
    });

    it('refuses once the owner has been demoted below the token role', async () => {
      const admin = await buildUser(dataSource, { organization: 'exchange-org', role: 'admin' });
      const adminToken = await buildToken(dataSource, admin);
      const viewerToken = await buildToken(dataSource, admin, { role: 'viewer' });
      await setMembership(dataSource, admin.id, 'exchange-org', 'member');
      await expectSameRefusal(adminToken.secret);
      // A token whose role is still within the new role keeps working.
      expect((await exchangeToken(client, viewerToken.secret)).status).toBe(200);
    });
  });

  describe('malformed requests', () => {
    it('requires subject_token', async () => {
      expectOAuthError(await exchangeToken(client, undefined), 400, 'invalid_request');
      expectOAuthError(await exchangeToken(client, ''), 400, 'invalid_request');
    });

    it('refuses another subject_token_type or requested_token_type with invalid_request', async () => {
      const token = await buildToken(dataSource, owner);
      expectOAuthError(await exchangeToken(client, token.secret, { subject_token_type: ACCESS_TOKEN_TYPE }), 400, 'invalid_request');
      expectOAuthError(
        await exchangeToken(client, token.secret, { requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }),
        400,
        'invalid_request',
      );
    });

    it('refuses repeated single-valued parameters and actor tokens', async () => {
      const token = await buildToken(dataSource, owner);
      expectOAuthError(await exchangeToken(client, undefined, { subject_token: [token.secret, token.secret] }), 400, 'invalid_request');
      expectOAuthError(await exchangeToken(client, token.secret, { scope: ['strings.read', 'strings.write'] }), 400, 'invalid_request');
      expectOAuthError(
        await exchangeToken(client, token.secret, { actor_token: token.secret, actor_token_type: PLATFORM_TOKEN_TYPE }),
        400,
        'invalid_request',
      );
    });

    it('refuses bodies that are not a form, or too large, with invalid_request', async () => {
      const token = await buildToken(dataSource, owner);
      const json = await client.request('POST', '/oauth/token', {
        json: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token.secret },
      });
      expectOAuthError(json, 400, 'invalid_request');
      const huge = await exchangeToken(client, token.secret, { padding: 'x'.repeat(20_000) });
      expectOAuthError(huge, 400, 'invalid_request');
      const none = await client.request('POST', '/oauth/token');
      expectOAuthError(none, 400, 'invalid_request');
    });

    it('answers unsupported_grant_type for any other grant, and invalid_request without one', async () => {
      for (const grant of ['password', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'implicit']) {
        expectOAuthError(
          await client.request('POST', '/oauth/token', { form: { grant_type: grant, code: 'x', refresh_token: 'x' } }),
          400,
          'unsupported_grant_type',
        );
      }
      expectOAuthError(await client.request('POST', '/oauth/token', { form: { subject_token: 'x' } }), 400, 'invalid_request');
      expectOAuthError(
        await client.request('POST', '/oauth/token', { form: { grant_type: [TOKEN_EXCHANGE_GRANT, 'client_credentials'] } }),
        400,
        'invalid_request',
      );
    });
  });

  describe('everything else under /oauth', () => {
    it('is a JSON 404, including oidc-provider routes that exist upstream', async () => {
      for (const path of [
        '/oauth/auth',
        '/oauth/me',
        '/oauth/token/introspection',
        '/oauth/reg',
        '/oauth/session/end',
        '/oauth/interaction/x',
        '/oauth',
        '/oauth/',
      ]) {
        const response = await client.get(path);
        expect(response.status, path).toBe(404);
        expect(response.body, path).toEqual({ error: 'not_found', error_description: expect.any(String) });
      }
      expect((await client.request('POST', '/oauth/token/introspection', { form: { token: 'x' } })).status).toBe(404);
      expect((await client.request('POST', '/oauth/revoke', { form: { token: 'x' } })).status).toBe(404);
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
