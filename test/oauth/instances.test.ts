import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { SigningKeyEntity } from '../../src/db/index.js';
import { createTokenThroughApi, loggedInClient } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildUser, type BuiltUser } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';
import { TestClient } from '../support/http.js';
import { rotateTestKeys } from '../support/keys.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

const STRINGS_AUDIENCE = 'https://strings.tollbooth.example/api';
/** Behind a load balancer every instance has the same public URL, hence the same issuer. */
const PUBLIC_URL = 'http://tollbooth.test';
const SHARED = { PUBLIC_URL, KEYS_REFRESH_SECONDS: '1' };

/**
 * Two Tollbooth instances on one MySQL database, as behind a load balancer: what one does,
 * the other honours — at once for revocation, within KEYS_REFRESH_SECONDS for keys.
 */
describe('two instances on one database', () => {
  // Migrated, with no signing keys yet: both instances start at the same moment and race to create them.
  const database = useDatabase({ migrate: true });
  let first: TestServer;
  let second: TestServer;
  let owner: BuiltUser;
  let ownerOnFirst: TestClient;

  beforeAll(async () => {
    [first, second] = await Promise.all([database.startInstance({ env: SHARED }), database.startInstance({ env: SHARED })]);
    owner = await buildUser(first.runtime.dataSource, { organization: 'fleet', role: 'admin' });
    ownerOnFirst = await loggedInClient(first, owner);
  });

  const jwksOf = async (server: TestServer): Promise<JSONWebKeySet> => (await new TestClient(server.url).get('/oauth/jwks')).body;
  const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
  const verify = (jwt: string, jwks: JSONWebKeySet) =>
    jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: `${PUBLIC_URL}/oauth`, audience: STRINGS_AUDIENCE, typ: 'at+jwt' });

  let created = 0;
  const createTokenOnFirst = () => createTokenThroughApi(ownerOnFirst, 'fleet', { name: `ci ${(created += 1)}` });

  it('provisions exactly one active and one next key when both start together', async () => {
    const keys = await first.runtime.dataSource.getRepository(SigningKeyEntity).find();
    expect(keys.map((key) => key.state).sort()).toEqual(['active', 'next']);
    expect((await jwksOf(first)).keys.map((key) => key.kid)).toEqual((await jwksOf(second)).keys.map((key) => key.kid));
  });

  it('exchanges on one instance a token created on the other, by either grant', async () => {
    const token = await createTokenOnFirst();
    const exchanged = await exchangeToken(new TestClient(second.url), token.secret);
    expect(exchanged.status).toBe(200);
    await verify(exchanged.body.access_token, await jwksOf(first));
    expect((await clientCredentials(new TestClient(second.url), token.id, token.secret)).status).toBe(200);
  });

  it('refuses at once on one instance a token deleted on the other', async () => {
    const token = await createTokenOnFirst();
    const onSecond = new TestClient(second.url);
    expect((await exchangeToken(onSecond, token.secret)).status).toBe(200);
    expect((await clientCredentials(onSecond, token.id, token.secret)).status).toBe(200);

    expect((await ownerOnFirst.delete(`/api/orgs/fleet/tokens/${token.id}`)).status).toBe(204);

    expectOAuthError(await exchangeToken(onSecond, token.secret), 400, 'invalid_grant');
    expectOAuthError(await clientCredentials(onSecond, token.id, token.secret), 401, 'invalid_client');
  });

  it('rotates keys on both without a verifier holding an old JWKS ever failing', async () => {
    const token = await createTokenOnFirst();
    const cachedJwks = await jwksOf(second);
    const before = (await exchangeToken(new TestClient(first.url), token.secret)).body.access_token;
    await verify(before, cachedJwks);

    const rotated = await rotateTestKeys(first.runtime.dataSource);
    expect(rotated.retired.map((key) => key.id)).toEqual([kidOf(before)]);

    // Both instances pick the new active key up within KEYS_REFRESH_SECONDS.
    const signedAfter: string[] = [];
    for (const server of [first, second]) {
      signedAfter.push(
        await eventually(
          async () => {
            const jwt = (await exchangeToken(new TestClient(server.url), token.secret)).body.access_token as string;
            return kidOf(jwt) === rotated.active.id ? jwt : undefined;
          },
          { what: `${server.url} to sign with the promoted key` },
        ),
      );
    }

    // The verifier that fetched the JWKS before the rotation already knew the promoted key.
    for (const jwt of signedAfter) await verify(jwt, cachedJwks);
    // A verifier fetching now still finds the retired key for the JWT minted before.
    for (const server of [first, second]) {
      const jwks = await eventually(async () => {
        const current = await jwksOf(server);
        return current.keys.some((key) => key.kid === rotated.next.id) ? current : undefined;
      });
      expect(jwks.keys.map((key) => key.kid)).toEqual([rotated.active.id, rotated.next.id, kidOf(before)]);
      await verify(before, jwks);
    }
  });

  it('drops a retired key from the JWKS once every JWT it signed has expired', async () => {
    const rotated = await rotateTestKeys(first.runtime.dataSource);
    const [retired] = rotated.retired;
    await eventually(async () => ((await jwksOf(second)).keys.some((key) => key.kid === rotated.next.id) ? true : undefined));
    expect((await jwksOf(second)).keys.map((key) => key.kid)).toContain(retired!.id);

    // Five hours later (4 h lifetime + refresh + skew + JWKS max-age have all passed).
    await first.runtime.dataSource
      .getRepository(SigningKeyEntity)
      .update({ id: retired!.id }, { retiredAt: new Date(Date.now() - 5 * 3_600_000) });
    await eventually(async () => ((await jwksOf(second)).keys.some((key) => key.kid === retired!.id) ? undefined : true), {
      what: 'the expired retired key to leave the JWKS',
    });
    const remaining = (await jwksOf(second)).keys.map((key) => key.kid);
    expect(remaining.slice(0, 2)).toEqual([rotated.active.id, rotated.next.id]);
  });
});
