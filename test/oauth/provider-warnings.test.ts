import { afterAll, describe, expect, it } from 'vitest';
import { TOKEN_EXCHANGE_GRANT } from '../../src/oauth/index.js';
import { startServeProcess, type ServeProcess } from '../support/cli.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';
import { basicAuthorization, clientCredentials, exchangeToken } from '../support/oauth.js';

/**
 * oidc-provider 9 supports Node 22 ("Jod") LTS and later, and says so once at import on an
 * older runtime. That line is about the machine, not about how Tollbooth uses the provider, so
 * it is the one warning tolerated — and only on such a runtime: on Node 22 nothing is.
 */
const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.';
const runtimeSupported = (process.release.lts ?? '').charCodeAt(0) >= 'Jod'.charCodeAt(0);

function providerWarnings(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('oidc-provider WARNING'))
    .filter((line) => runtimeSupported || line !== RUNTIME_WARNING);
}

describe('oidc-provider, seen from the running server', () => {
  const database = useDatabase({ migrate: true });
  let serve: ServeProcess | undefined;
  afterAll(() => serve?.stop());

  it('prints no oidc-provider WARNING from start through every kind of token request', { timeout: 120_000 }, async () => {
    const user = await buildUser(database.dataSource, { organization: 'warnings', role: 'manager' });
    const token = await buildToken(database.dataSource, user);
    serve = await startServeProcess(database.url);
    const { client } = serve;

    const answers = [
      await exchangeToken(client, token.secret),
      await exchangeToken(client, token.secret, { client_id: 'some-library-client' }),
      await exchangeToken(client, token.secret, {}, basicAuthorization(token.id, token.secret)),
      await exchangeToken(client, token.secret, { client_id: token.id, client_secret: token.secret }),
      await clientCredentials(client, token.id, token.secret),
      await client.request('POST', '/oauth/token', {
        form: { grant_type: 'client_credentials', client_id: token.id, client_secret: token.secret },
      }),
      await clientCredentials(client, token.id, 'tbp_wrong'),
      await exchangeToken(client, token.secret, {}, { authorization: `Basic ${Buffer.from('%ZZ:x').toString('base64')}` }),
      await exchangeToken(client, 'tbp_unknown'),
      await client.request('POST', '/oauth/token', { form: { grant_type: 'password' } }),
      await client.request('POST', '/oauth/token', { json: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token.secret } }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 401, 401, 400, 400, 400]);

    expect(await serve.stop()).toBe(0);
    expect(providerWarnings(serve.output())).toEqual([]);
  });
});
