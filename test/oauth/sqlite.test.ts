import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { PlatformTokenEntity } from '../../src/db/index.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import { rotateTestKeys } from '../support/keys.js';
import { clientCredentials, exchangedJwt, exchangeToken } from '../support/oauth.js';

/** The embedded SQLite (`npm start`): the same endpoint, keys and last-used recording. */
describe('token endpoint on the embedded SQLite', () => {
  const server = useServer({ database: 'sqlite', env: { KEYS_REFRESH_SECONDS: '1' } });

  it('exchanges by both grants, rotates keys and records last use', async () => {
    const dataSource = server.dataSource;
    const owner = await buildUser(dataSource, { organization: 'lite' });
    const token = await buildToken(dataSource, owner);
    const client = server.client();
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`));
    const verify = (jwt: string) =>
      jwtVerify(jwt, jwks, { issuer: server.config.issuer, audience: 'https://strings.tollbooth.example/api', typ: 'at+jwt' });

    const exchanged = await exchangeToken(client, token.secret);
    expect(exchanged.status).toBe(200);
    await verify(exchanged.body.access_token);
    expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);

    const rotated = await rotateTestKeys(dataSource);
    const after = await eventually(async () => {
      const jwt = await exchangedJwt(client, token.secret);
      return decodeProtectedHeader(jwt).kid === rotated.active.id ? jwt : undefined;
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
