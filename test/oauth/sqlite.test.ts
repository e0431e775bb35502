import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformTokenEntity } from '../../src/db/index.js';
import { rotateSigningKeys } from '../../src/keys/index.js';
import { buildToken, buildUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { clientCredentials, eventually, exchangeToken } from '../support/oauth.js';
import { startTestServer, TEST_KEY_ENCRYPTION_KEY, type TestServer } from '../support/server.js';

/** The embedded SQLite (`npm start`): the same endpoint, keys and last-used recording. */
describe('token endpoint on the embedded SQLite', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { KEYS_REFRESH_SECONDS: '1' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('exchanges by both grants, rotates keys and records last use', async () => {
    const dataSource = server.runtime.dataSource;
    const owner = await buildUser(dataSource, { organization: 'lite' });
    const token = await buildToken(dataSource, owner);
    const client = new TestClient(server.url);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`));
    const verify = (jwt: string) =>
      jwtVerify(jwt, jwks, { issuer: server.config.issuer, audience: 'https://strings.tollbooth.example/api', typ: 'at+jwt' });

    const exchanged = await exchangeToken(client, token.secret);
    expect(exchanged.status).toBe(200);
    await verify(exchanged.body.access_token);
    expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);

    const rotated = (await rotateSigningKeys(dataSource, {
      algorithm: 'ES256',
      keyEncryptionKey: Buffer.from(TEST_KEY_ENCRYPTION_KEY, 'base64'),
    }))!;
    const after = await eventually(async () => {
      const jwt = (await exchangeToken(client, token.secret)).body.access_token as string;
      return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid === rotated.active.id ? jwt : undefined;
    });
    await verify(after);
    await verify(exchanged.body.access_token);

    const row = await eventually(async () => {
      const found = await dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id: token.id });
      return found.lastUsedAt ? found : undefined;
    });
    expect(row.lastUsedIp).toBe('127.0.0.1');
  });
});
