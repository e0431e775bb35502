import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { MembershipEntity } from '../../src/db/index.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import {
  clientCredentials,
  deleteOwnToken,
  disableToken,
  expectOAuthError,
  longAgo,
  serverOnFreshDatabase,
  type ServerOnFreshDatabase,
} from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

const TMS_AUDIENCE = 'https://tms.tollbooth.example/api';

describe('client_credentials at POST /oauth/token', () => {
  let server: TestServer;
  let dataSource: DataSource;
  let client: TestClient;
  let owner: BuiltUser;
  let fixture: ServerOnFreshDatabase;

  beforeAll(async () => {
    fixture = await serverOnFreshDatabase();
    ({ server, dataSource, client } = fixture);
    owner = await buildUser(dataSource, { organization: 'cc-org', role: 'admin' });
  });
  afterAll(() => fixture?.close());

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

    it('answers one invalid_client for unknown ids, wrong and malformed secrets, disabled, expired and deleted tokens', async () => {
      const token = await buildToken(dataSource, owner);
      const other = await buildToken(dataSource, owner);
      const disabled = await buildToken(dataSource, owner);
      await disableToken(dataSource, owner, disabled.id);
      const expired = await buildToken(dataSource, owner, { now: longAgo() });
      const deleted = await buildToken(dataSource, owner);
      await deleteOwnToken(dataSource, owner, deleted.id);
      const badChecksum = `${token.secret.slice(0, -1)}${token.secret.endsWith('0') ? '1' : '0'}`;

      await expectInvalidClient('00000000-0000-4000-8000-000000000000', token.secret);
      await expectInvalidClient('not-a-token-id', token.secret);
      await expectInvalidClient(token.id, other.secret);
      await expectInvalidClient(token.id, badChecksum);
      await expectInvalidClient(token.id, 'hunter2');
      await expectInvalidClient(disabled.id, disabled.secret);
      await expectInvalidClient(expired.id, expired.secret);
      await expectInvalidClient(deleted.id, deleted.secret);
      // The token itself still works: nothing above locked it.
      expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);
    });

    it('refuses once the owner has left the organization', async () => {
      const leaver = await buildUser(dataSource, { organization: 'cc-org' });
      const token = await buildToken(dataSource, leaver);
      expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);
      await dataSource.getRepository(MembershipEntity).delete({ userId: leaver.id, organizationId: leaver.organizationId });
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

    it('does not offer client_secret_jwt or JWT client assertions', async () => {
      const token = await buildToken(dataSource, owner);
      const response = await post({
        grant_type: 'client_credentials',
        client_id: token.id,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
      });
      expect([400, 401]).toContain(response.status);
      expect(['invalid_client', 'invalid_request']).toContain(response.body.error);
      const metadata = await client.get('/.well-known/oauth-authorization-server');
      expect(metadata.body.token_endpoint_auth_methods_supported).not.toContain('client_secret_jwt');
    });

    it('refuses two authentication methods at once', async () => {
      const token = await buildToken(dataSource, owner);
      const basic = Buffer.from(`${token.id}:${token.secret}`).toString('base64');
      const response = await post(
        { grant_type: 'client_credentials', client_id: token.id, client_secret: token.secret },
        { authorization: `Basic ${basic}` },
      );
      expectOAuthError(response, 400, 'invalid_request');
    });
  });
});
