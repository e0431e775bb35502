import { decodeJwt } from 'jose';
import * as openid from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/oauth/index.js';
import { buildToken, buildUser, type BuiltToken, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

/**
 * A real third-party client, openid-client, against the running server: it discovers the
 * RFC 8414 metadata and makes the two token requests with the client authentication methods
 * OAuth libraries use.
 */
describe('openid-client against Tollbooth', () => {
  const server = useServer();
  let owner: BuiltUser;
  let token: BuiltToken;

  beforeAll(async () => {
    owner = await buildUser(server.dataSource, { organization: 'openid-client-org', role: 'manager' });
    token = await buildToken(server.dataSource, owner);
  });

  const issuer = () => new URL(`${server.url}/oauth`);
  /** RFC 8414 discovery (`algorithm: 'oauth2'`); plain http is the test server's, nothing else's. */
  const discover = (clientId: string, authentication: openid.ClientAuth) =>
    openid.discovery(issuer(), clientId, undefined, authentication, { algorithm: 'oauth2', execute: [openid.allowInsecureRequests] });
  const exchange = (config: openid.Configuration, subjectToken: string) =>
    openid.genericGrantRequest(config, TOKEN_EXCHANGE_GRANT, { subject_token: subjectToken, subject_token_type: PLATFORM_TOKEN_TYPE });

  it('discovers the issuer, its token endpoint and both grants from the RFC 8414 document', async () => {
    const config = await discover('any-client', openid.None());
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      issuer: `${server.url}/oauth`,
      token_endpoint: `${server.url}/oauth/token`,
      jwks_uri: `${server.url}/oauth/jwks`,
      grant_types_supported: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
    });
  });

  it('finds no OpenID provider configuration with its default OpenID Connect discovery: Tollbooth is none', async () => {
    await expect(
      openid.discovery(issuer(), 'any-client', undefined, openid.None(), { execute: [openid.allowInsecureRequests] }),
    ).rejects.toThrow(/status code|404/i);
  });

  describe('the token exchange', () => {
    it('with the none method (a client_id, no secret): the public exchange, the JWT the subject token’s', async () => {
      const config = await discover('my-ci-pipeline', openid.None());
      const response = await exchange(config, token.secret);
      expect(response).toMatchObject({
        token_type: 'bearer',
        expires_in: 14400,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      });
      expect(decodeJwt(response.access_token)).toMatchObject({ client_id: token.id, token_id: token.id, sub: owner.id });
    });

    it("with the none method naming a confidential client's id: nothing of that client, only the subject token", async () => {
      const viewer = await buildUser(server.dataSource, { organization: 'openid-client-org', role: 'viewer' });
      const subject = await buildToken(server.dataSource, viewer);
      const config = await discover(token.id, openid.None());
      const response = await exchange(config, subject.secret);
      expect(decodeJwt(response.access_token)).toMatchObject({ client_id: subject.id, sub: viewer.id, role: 'viewer' });
      await expect(exchange(config, 'tbp_not-a-token')).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    });

    it('with client_secret_basic: the token authenticates as the client and exchanges itself', async () => {
      const config = await discover(token.id, openid.ClientSecretBasic(token.secret));
      const response = await exchange(config, token.secret);
      expect(decodeJwt(response.access_token)).toMatchObject({ client_id: token.id, sub: owner.id });
    });
  });

  describe('client_credentials', () => {
    it('with client_secret_basic: a JWT for the token', async () => {
      const config = await discover(token.id, openid.ClientSecretBasic(token.secret));
      const response = await openid.clientCredentialsGrant(config, { scope: 'strings.read' });
      expect(response).toMatchObject({ token_type: 'bearer', expires_in: 14400, scope: 'strings.read' });
      expect(decodeJwt(response.access_token)).toMatchObject({ client_id: token.id, token_id: token.id, scope: 'strings.read' });
    });

    it('with the none method: refused with invalid_client, since client_credentials has no public form', async () => {
      const config = await discover(token.id, openid.None());
      await expect(openid.clientCredentialsGrant(config)).rejects.toMatchObject({ error: 'invalid_client', status: 401 });
    });

    it('with client_secret_basic and a wrong secret: refused with invalid_client', async () => {
      const other = await buildToken(server.dataSource, owner);
      const config = await discover(token.id, openid.ClientSecretBasic(other.secret));
      // A 401 with a Basic challenge: openid-client reports the challenge, whose error is the code.
      await expect(openid.clientCredentialsGrant(config)).rejects.toMatchObject({
        status: 401,
        cause: [{ scheme: 'basic', parameters: expect.objectContaining({ error: 'invalid_client' }) }],
      });
    });
  });
});
