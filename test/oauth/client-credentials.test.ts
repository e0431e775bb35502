import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import {
  buildExpiredToken,
  buildToken,
  buildUser,
  deleteOwnToken,
  disableToken,
  removeMembership,
  withWrongChecksum,
  type BuiltToken,
  type BuiltUser,
} from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { basicAuthorization, clientCredentials, expectOAuthError } from '../support/oauth.js';

const TMS_AUDIENCE = 'https://tms.tollbooth.example/api';

describe('client_credentials at POST /oauth/token', () => {
  const server = useServer();
  let dataSource: DataSource;
  let client: TestClient;
  let owner: BuiltUser;

  beforeAll(async () => {
    dataSource = server.dataSource;
    client = server.client();
    owner = await buildUser(dataSource, { organization: 'cc-org', role: 'admin' });
  });

  const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    client.request('POST', '/oauth/token', { form, headers });

  it('mints the same JWT as the exchange, with the secret in HTTP Basic', async () => {
    const token = await buildToken(dataSource, owner, { service: 'tms', role: 'member' });
    const response = await clientCredentials(client, token.id, token.secret);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // RFC 6749 §5.1: the standard response; issued_token_type belongs to the exchange.
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 14400,
      scope: 'tms.read tms.write',
    });

    const jwks = createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(response.body.access_token, jwks, {
      issuer: `${server.url}/oauth`,
      audience: TMS_AUDIENCE,
      typ: 'at+jwt',
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({
      sub: owner.id,
      client_id: token.id,
      token_id: token.id,
      org_id: owner.organizationId,
      role: 'member',
      scope: 'tms.read tms.write',
    });
    expect(payload.exp! - payload.iat!).toBe(14400);
  });

  it('accepts the credentials in the body (client_secret_post)', async () => {
    const token = await buildToken(dataSource, owner);
    const response = await post({ grant_type: 'client_credentials', client_id: token.id, client_secret: token.secret });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe('strings.read strings.write');
  });

  it('narrows scope and checks the target like the exchange', async () => {
    const token = await buildToken(dataSource, owner);
    const narrowed = await clientCredentials(client, token.id, token.secret, { scope: 'strings.write' });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('strings.write');
    expect((await clientCredentials(client, token.id, token.secret, { resource: 'https://strings.tollbooth.example/api' })).status).toBe(
      200,
    );
    expectOAuthError(await clientCredentials(client, token.id, token.secret, { scope: 'tokens.write' }), 400, 'invalid_scope');
    expectOAuthError(await clientCredentials(client, token.id, token.secret, { resource: TMS_AUDIENCE }), 400, 'invalid_target');
  });

  describe('refusals', () => {
    async function expectInvalidClient(id: string, secret: string) {
      const basic = expectOAuthError(await clientCredentials(client, id, secret), 401, 'invalid_client');
      expect(basic.error_description).toBe('client authentication failed');
      const inBody = expectOAuthError(
        await post({ grant_type: 'client_credentials', client_id: id, client_secret: secret }),
        401,
        'invalid_client',
      );
      expect(inBody.error_description).toBe('client authentication failed');
    }

    describe('one invalid_client for every unusable credential', () => {
      let token: BuiltToken;
      let other: BuiltToken;
      let disabled: BuiltToken;
      let expired: BuiltToken;
      let deleted: BuiltToken;
      beforeAll(async () => {
        token = await buildToken(dataSource, owner);
        other = await buildToken(dataSource, owner);
        disabled = await buildToken(dataSource, owner);
        await disableToken(dataSource, owner, disabled.id);
        expired = await buildExpiredToken(dataSource, owner);
        deleted = await buildToken(dataSource, owner);
        await deleteOwnToken(dataSource, owner, deleted.id);
      });

      it.each([
        ['an unknown id', () => ['00000000-0000-4000-8000-000000000000', token.secret]],
        ['an id that is not a token id', () => ['not-a-token-id', token.secret]],
        ["another token's secret", () => [token.id, other.secret]],
        ['a secret with a wrong checksum', () => [token.id, withWrongChecksum(token.secret)]],
        ['a malformed secret', () => [token.id, 'hunter2']],
        ['a disabled token', () => [disabled.id, disabled.secret]],
        ['an expired token', () => [expired.id, expired.secret]],
        ['a deleted token', () => [deleted.id, deleted.secret]],
      ])('refuses %s', async (_case, credentials) => {
        const [id, secret] = credentials();
        await expectInvalidClient(id!, secret!);
      });

      it('leaves the token itself working: no refusal above locked it', async () => {
        expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);
      });
    });

    it('refuses once the owner has left the organization', async () => {
      const leaver = await buildUser(dataSource, { organization: 'cc-org' });
      const token = await buildToken(dataSource, leaver);
      expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);
      await removeMembership(dataSource, leaver);
      await expectInvalidClient(token.id, token.secret);
    });

    it('challenges a failed HTTP Basic attempt with WWW-Authenticate (RFC 6749 §5.2)', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await clientCredentials(client, token.id, 'tbp_wrong');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
    });

    it('answers invalid_client without any client authentication', async () => {
      expectOAuthError(await post({ grant_type: 'client_credentials' }), 401, 'invalid_client');
    });

    it('does not accept client_secret_jwt: a correctly signed client assertion is still refused', async () => {
      const token = await buildToken(dataSource, owner);
      // RFC 7523 §3 / OpenID Connect Core §9: HMAC over the claims with the client secret.
      const assertion = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(token.id)
        .setSubject(token.id)
        .setAudience(`${server.url}/oauth/token`)
        .setIssuedAt()
        .setExpirationTime('1 minute')
        .sign(new TextEncoder().encode(token.secret));
      const response = await post({
        grant_type: 'client_credentials',
        client_id: token.id,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      });
      expectOAuthError(response, 401, 'invalid_client');
      const metadata = await client.get('/.well-known/oauth-authorization-server');
      expect(metadata.body.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    });

    it('refuses two authentication methods at once', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await post(
        { grant_type: 'client_credentials', client_id: token.id, client_secret: token.secret },
        basicAuthorization(token.id, token.secret),
      );
      expectOAuthError(response, 400, 'invalid_request');
    });
  });
});
