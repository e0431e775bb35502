import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildToken, buildUser, deleteOwnToken, disableToken, type BuiltToken, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';

/**
 * Exchanges that arrive together share database reads. Each must still get the answer for its
 * own token, and a token deleted or disabled while others keep the reads busy is refused by
 * the very next exchange.
 */
describe.each(['mysql', 'sqlite'] as const)('concurrent exchanges (%s)', (database) => {
  const server = useServer({ database });
  let client: TestClient;
  let owner: BuiltUser;
  let tokens: BuiltToken[];

  beforeAll(async () => {
    client = server.client();
    owner = await buildUser(server.dataSource, { organization: `burst-${database}` });
    tokens = [];
    for (let index = 0; index < 8; index += 1)
      tokens.push(await buildToken(server.dataSource, owner, { service: index % 2 ? 'tms' : 'strings' }));
  });

  it('answers each of a burst of exchanges and client_credentials requests for its own token', async () => {
    const burst = tokens.flatMap((token) => [
      exchangeToken(client, token.secret).then((response) => ({ token, response })),
      clientCredentials(client, token.id, token.secret).then((response) => ({ token, response })),
      exchangeToken(client, token.secret).then((response) => ({ token, response })),
    ]);
    for (const { token, response } of await Promise.all(burst)) {
      expect(response.status, response.text).toBe(200);
      expect(decodeJwt(response.body.access_token)).toMatchObject({ token_id: token.id, client_id: token.id });
    }
  });

  it('refuses, in the same burst, a wrong secret for a real token id and a well-formed unknown token', async () => {
    const [good, other] = tokens;
    const [ok, wrongSecret, okAgain] = await Promise.all([
      exchangeToken(client, good!.secret),
      clientCredentials(client, good!.id, other!.secret),
      clientCredentials(client, good!.id, good!.secret),
    ]);
    expect(ok.status).toBe(200);
    expectOAuthError(wrongSecret, 401, 'invalid_client');
    expect(okAgain.status).toBe(200);
  });

  it('refuses a token deleted or disabled while other exchanges keep the reads busy, on the very next exchange', async () => {
    const [busy, deleted, disabled] = await Promise.all([
      buildToken(server.dataSource, owner),
      buildToken(server.dataSource, owner),
      buildToken(server.dataSource, owner),
    ]);
    let running = true;
    const background = (async () => {
      let answered = 0;
      while (running) {
        const responses = await Promise.all([exchangeToken(client, busy.secret), exchangeToken(client, busy.secret)]);
        for (const response of responses) expect(response.status).toBe(200);
        answered += responses.length;
      }
      return answered;
    })();
    try {
      expect((await exchangeToken(client, deleted.secret)).status).toBe(200);
      expect((await exchangeToken(client, disabled.secret)).status).toBe(200);
      await deleteOwnToken(server.dataSource, owner, deleted.id);
      await disableToken(server.dataSource, owner, disabled.id);
      expectOAuthError(await exchangeToken(client, deleted.secret), 400, 'invalid_grant');
      expectOAuthError(await clientCredentials(client, deleted.id, deleted.secret), 401, 'invalid_client');
      expectOAuthError(await exchangeToken(client, disabled.secret), 400, 'invalid_grant');
      expectOAuthError(await clientCredentials(client, disabled.id, disabled.secret), 401, 'invalid_client');
    } finally {
      running = false;
    }
    expect(await background).toBeGreaterThan(0);
  });
});
