import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { Keystore } from '../../src/keys/index.js';
import { issueAccessToken } from '../../src/oauth/index.js';
import { findUsableTokenBySecret } from '../../src/tokens/index.js';
import { bearer, expectProblem } from '../support/api.js';
import { buildToken, buildUser, changeRole, deleteOwnToken, disableToken, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { openTestKeystore } from '../support/keys.js';
import { exchangedJwt } from '../support/oauth.js';

/** End to end: a JWT minted by the token endpoint for the `platform` service drives /api. */
describe('management API with Authorization: Bearer <JWT>', () => {
  const fixture = useServer();
  let dataSource: DataSource;
  let client: TestClient;
  let admin: BuiltUser;
  let keystore: Keystore;

  beforeAll(async () => {
    dataSource = fixture.dataSource;
    client = fixture.client();
    admin = await buildUser(dataSource, { organization: 'jwt-org', role: 'admin' });
    // The same keys the server signs with, read the way every instance reads them.
    keystore = await openTestKeystore(dataSource);
  });

  const jwtFor = (secret: string, extra: Record<string, string> = {}) => exchangedJwt(client, secret, extra);
  const listTokens = (jwt: string) => client.get('/api/orgs/jwt-org/tokens', bearer(jwt));
  const expectInvalidToken = async (jwt: string) => expectProblem(await listTokens(jwt), 401, 'invalid_token');

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
    const create = await client.post('/api/orgs/jwt-org/tokens', { name: 'from a script', service: 'strings' }, bearer(readOnly));
    expectProblem(create, 403, 'insufficient_scope');
  });

  it('refuses a JWT minted for another service', async () => {
    const strings = await buildToken(dataSource, admin, { service: 'strings' });
    await expectInvalidToken(await jwtFor(strings.secret));
  });

  it.each([
    ['deleted', deleteOwnToken],
    ['disabled', disableToken],
  ])('refuses the JWT at once when its platform token is %s', async (_change, change) => {
    const platform = await buildToken(dataSource, admin, { service: 'platform' });
    const jwt = await jwtFor(platform.secret);
    expect((await listTokens(jwt)).status).toBe(200);
    await change(dataSource, admin, platform.id);
    await expectInvalidToken(jwt);
  });

  it('refuses the JWT once the owner has been demoted below the token role', async () => {
    const demoted = await buildUser(dataSource, { organization: 'jwt-org', role: 'admin' });
    const platform = await buildToken(dataSource, demoted, { service: 'platform' });
    const jwt = await jwtFor(platform.secret);
    expect((await listTokens(jwt)).status).toBe(200);
    await changeRole(dataSource, demoted, 'member');
    await expectInvalidToken(jwt);
  });

  describe('JWTs that are not exactly ours', () => {
    let genuine: string;
    let platformSecret: string;
    beforeAll(async () => {
      platformSecret = (await buildToken(dataSource, admin, { service: 'platform' })).secret;
      genuine = await jwtFor(platformSecret);
    });

    async function signed(
      header: Record<string, unknown>,
      claims: Record<string, unknown>,
      key = keystore.signingKey().privateKey,
    ): Promise<string> {
      const signingKey = keystore.signingKey();
      return new SignJWT(claims).setProtectedHeader({ alg: signingKey.algorithm, typ: 'at+jwt', kid: signingKey.kid, ...header }).sign(key);
    }
    const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('accepts a JWT re-signed with the active key and identical claims (the control case)', async () => {
      expect((await listTokens(await signed({}, decodeJwt(genuine)))).status).toBe(200);
    });

    it.each([
      [
        'a tampered payload',
        async () => {
          const [header, , signature] = genuine.split('.');
          return `${header}.${base64url({ ...decodeJwt(genuine), role: 'owner' })}.${signature}`;
        },
      ],
      ['a key of its own', async () => signed({}, decodeJwt(genuine), (await generateKeyPair('ES256')).privateKey)],
      ['another typ', () => signed({ typ: 'JWT' }, decodeJwt(genuine))],
      ['another issuer', () => signed({}, { ...decodeJwt(genuine), iss: 'https://evil.example/oauth' })],
      ['another audience', () => signed({}, { ...decodeJwt(genuine), aud: 'https://strings.tollbooth.example/api' })],
      [
        'an audience array naming another service beside the platform',
        () => signed({}, { ...decodeJwt(genuine), aud: [decodeJwt(genuine).aud, 'https://strings.tollbooth.example/api'] }),
      ],
      ['an iat an hour in the future', () => signed({}, { ...decodeJwt(genuine), iat: Math.floor(Date.now() / 1000) + 3_600 })],
      ['an iat a minute in the future', () => signed({}, { ...decodeJwt(genuine), iat: Math.floor(Date.now() / 1000) + 60 })],
      ['an unknown kid', () => signed({ kid: 'not-a-known-kid' }, decodeJwt(genuine))],
      ['alg none', async () => `${base64url({ alg: 'none', typ: 'at+jwt' })}.${genuine.split('.')[1]}.`],
      ['no JWT at all', async () => 'not.a.jwt'],
      [
        'a missing org_id claim',
        () => {
          const { org_id: _org, ...claims } = decodeJwt(genuine);
          return signed({}, claims);
        },
      ],
    ])('refuses %s with 401 invalid_token', async (_case, forge) => {
      await expectInvalidToken(await forge());
    });

    it.each([
      ['an audience array of exactly the platform', (claims: Record<string, unknown>) => ({ ...claims, aud: [claims.aud] })],
      [
        'an iat two seconds ahead (clock skew)',
        (claims: Record<string, unknown>) => ({ ...claims, iat: Math.floor(Date.now() / 1000) + 2 }),
      ],
    ])('accepts %s', async (_case, change) => {
      expect((await listTokens(await signed({}, change(decodeJwt(genuine))))).status).toBe(200);
    });

    it('refuses an expired JWT', async () => {
      const token = (await findUsableTokenBySecret(dataSource, fixture.config.services, platformSecret))!;
      const { jwt } = await issueAccessToken({
        keystore,
        issuer: fixture.config.issuer,
        token,
        scopes: token.scopes,
        now: new Date(Date.now() - 5 * 3_600_000),
      });
      // Signed by our key for our audience: only its age is wrong.
      expect(decodeJwt(jwt)).toMatchObject({ iss: fixture.config.issuer, aud: decodeJwt(genuine).aud });
      await expectInvalidToken(jwt);
    });
  });
});
