import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { setMembership } from '../../src/accounts/index.js';
import { Keystore, retiredKeyPublicationSeconds } from '../../src/keys/index.js';
import { issueAccessToken } from '../../src/oauth/index.js';
import { findUsableTokenBySecret } from '../../src/tokens/index.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { deleteOwnToken, disableToken, exchangeToken, serverOnFreshDatabase, type ServerOnFreshDatabase } from '../support/oauth.js';
import { TEST_KEY_ENCRYPTION_KEY, type TestServer } from '../support/server.js';

/** End to end: a JWT minted by the token endpoint for the `platform` service drives /api. */
describe('management API with Authorization: Bearer <JWT>', () => {
  let server: TestServer;
  let dataSource: DataSource;
  let client: TestClient;
  let admin: BuiltUser;
  let keystore: Keystore;
  let fixture: ServerOnFreshDatabase;

  beforeAll(async () => {
    fixture = await serverOnFreshDatabase();
    ({ server, dataSource, client } = fixture);
    admin = await buildUser(dataSource, { organization: 'jwt-org', role: 'admin' });
    // The same keys the server signs with, read the way every instance reads them.
    keystore = new Keystore({
      dataSource,
      keyEncryptionKey: Buffer.from(TEST_KEY_ENCRYPTION_KEY, 'base64'),
      retiredKeysPublishedForSeconds: retiredKeyPublicationSeconds(30),
    });
    await keystore.refresh();
  });
  afterAll(() => fixture?.close());

  async function jwtFor(secret: string, extra: Record<string, string> = {}): Promise<string> {
    const response = await exchangeToken(client, secret, extra);
    expect(response.status).toBe(200);
    return response.body.access_token;
  }
  const listTokens = (jwt: string) => client.get('/api/orgs/jwt-org/tokens', { headers: { authorization: `Bearer ${jwt}` } });
  const expectInvalidToken = async (jwt: string) => {
    const response = await listTokens(jwt);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 401, code: 'invalid_token' });
  };

  it('lists the organization’s tokens with a JWT exchanged from a platform token', async () => {
    const platform = await buildToken(dataSource, admin, { service: 'platform', name: 'api automation' });
    const response = await listTokens(await jwtFor(platform.secret));
    expect(response.status).toBe(200);
    expect(response.body.tokens.map((token: { id: string }) => token.id)).toContain(platform.id);
  });

  it('honours the scopes narrowed at exchange time', async () => {
    const platform = await buildToken(dataSource, admin, { service: 'platform' });
    const readOnly = await jwtFor(platform.secret, { scope: 'tokens.read' });
    expect((await listTokens(readOnly)).status).toBe(200);
    const create = await client.post(
      '/api/orgs/jwt-org/tokens',
      { name: 'from a script', service: 'strings' },
      { headers: { authorization: `Bearer ${readOnly}` } },
    );
    expect({ status: create.status, code: create.body.code }).toEqual({ status: 403, code: 'insufficient_scope' });
  });

  it('refuses a JWT minted for another service', async () => {
    const strings = await buildToken(dataSource, admin, { service: 'strings' });
    await expectInvalidToken(await jwtFor(strings.secret));
  });

  it('refuses the JWT at once when its platform token is deleted or disabled', async () => {
    const deleted = await buildToken(dataSource, admin, { service: 'platform' });
    const deletedJwt = await jwtFor(deleted.secret);
    const disabled = await buildToken(dataSource, admin, { service: 'platform' });
    const disabledJwt = await jwtFor(disabled.secret);
    expect((await listTokens(deletedJwt)).status).toBe(200);

    await deleteOwnToken(dataSource, admin, deleted.id);
    await disableToken(dataSource, admin, disabled.id);
    await expectInvalidToken(deletedJwt);
    await expectInvalidToken(disabledJwt);
  });

  it('refuses the JWT once the owner has been demoted below the token role', async () => {
    const demoted = await buildUser(dataSource, { organization: 'jwt-org', role: 'admin' });
    const platform = await buildToken(dataSource, demoted, { service: 'platform' });
    const jwt = await jwtFor(platform.secret);
    expect((await listTokens(jwt)).status).toBe(200);
    await setMembership(dataSource, demoted.id, 'jwt-org', 'member');
    await expectInvalidToken(jwt);
  });

  describe('JWTs that are not exactly ours', () => {
    let platformSecret: string;
    beforeAll(async () => {
      platformSecret = (await buildToken(dataSource, admin, { service: 'platform' })).secret;
    });

    async function signed(
      header: Record<string, unknown>,
      claims: Record<string, unknown>,
      key = keystore.signingKey().privateKey,
    ): Promise<string> {
      const signingKey = keystore.signingKey();
      return new SignJWT(claims).setProtectedHeader({ alg: signingKey.algorithm, typ: 'at+jwt', kid: signingKey.kid, ...header }).sign(key);
    }
    async function genuineClaims(): Promise<Record<string, unknown>> {
      const jwt = await jwtFor(platformSecret);
      return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    }

    it('accepts a JWT re-signed with the active key and identical claims (the control case)', async () => {
      expect((await listTokens(await signed({}, await genuineClaims()))).status).toBe(200);
    });

    it('refuses a tampered payload, an unknown key, another typ, issuer or audience, and alg none', async () => {
      const claims = await genuineClaims();
      const genuine = await jwtFor(platformSecret);
      const [header, payload, signature] = genuine.split('.');
      const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'owner' })).toString('base64url');
      await expectInvalidToken(`${header}.${tampered}.${signature}`);

      const stranger = await generateKeyPair('ES256');
      await expectInvalidToken(await signed({}, claims, stranger.privateKey));
      await expectInvalidToken(await signed({ typ: 'JWT' }, claims));
      await expectInvalidToken(await signed({}, { ...claims, iss: 'https://evil.example/oauth' }));
      await expectInvalidToken(await signed({}, { ...claims, aud: 'https://strings.tollbooth.example/api' }));
      await expectInvalidToken(await signed({ kid: 'not-a-known-kid' }, claims));
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
      await expectInvalidToken(none);
      await expectInvalidToken('not.a.jwt');
    });

    it('refuses an expired JWT', async () => {
      const token = (await findUsableTokenBySecret(dataSource, server.config.services, platformSecret))!;
      const fiveHoursAgo = new Date(Date.now() - 5 * 3_600_000);
      const { jwt } = await issueAccessToken({
        keystore,
        issuer: server.config.issuer,
        token,
        scopes: token.scopes,
        now: fiveHoursAgo,
      });
      await expectInvalidToken(jwt);
    });

    it('refuses a JWT missing a claim', async () => {
      const { org_id: _org, ...claims } = await genuineClaims();
      await expectInvalidToken(await signed({}, claims));
    });
  });
});
