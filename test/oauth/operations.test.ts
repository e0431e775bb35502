import { beforeAll, describe, expect, it } from 'vitest';
import { buildToken, buildUser, type BuiltToken } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { sample, scrapeMetrics } from '../support/metrics.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';

const METRICS_TOKEN = 'metrics-secret-for-tests';

describe('token endpoint operations: logs and metrics', () => {
  const server = useServer({ env: { METRICS_TOKEN }, captureLogs: true });
  let client: TestClient;
  let token: BuiltToken;

  beforeAll(async () => {
    client = server.client();
    token = await buildToken(server.dataSource, await buildUser(server.dataSource, { organization: 'limits-org' }));
  });

  const metric = async (name: string, labels: string) => sample(await scrapeMetrics(server.url, METRICS_TOKEN), name, `{${labels}}`) ?? 0;

  it('logs every refusal with its outcome, and never a platform token or a JWT', async () => {
    const jwt = (await exchangeToken(client, token.secret)).body.access_token as string;
    expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);
    const wrong = `${token.secret.slice(0, -6)}AAAAAA`;
    expectOAuthError(await exchangeToken(client, wrong), 400, 'invalid_grant');
    expectOAuthError(await clientCredentials(client, token.id, wrong), 401, 'invalid_client');
    const logs = server.logs();
    expect(logs).toContain('"outcome":"invalid_grant"');
    expect(logs).toContain('"outcome":"invalid_client"');
    for (const secret of [token.secret, wrong, jwt, jwt.split('.')[2]!]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/tbp_[0-9A-Za-z]{38}/);
  });

  it('counts every answer by grant and outcome', async () => {
    const counters = async () => ({
      exchanged: await metric('tollbooth_token_exchanges_total', 'grant="token_exchange",outcome="success"'),
      credentials: await metric('tollbooth_token_exchanges_total', 'grant="client_credentials",outcome="success"'),
      badScope: await metric('tollbooth_token_exchanges_total', 'grant="token_exchange",outcome="invalid_scope"'),
      timed: await metric('tollbooth_token_endpoint_duration_seconds_count', 'grant="token_exchange"'),
    });
    const before = await counters();
    for (let index = 0; index < 3; index += 1) expect((await exchangeToken(client, token.secret)).status).toBe(200);
    expect((await clientCredentials(client, token.id, token.secret)).status).toBe(200);
    expectOAuthError(await exchangeToken(client, token.secret, { scope: 'nope' }), 400, 'invalid_scope');
    expect(await counters()).toEqual({
      exchanged: before.exchanged + 3,
      credentials: before.credentials + 1,
      badScope: before.badScope + 1,
      timed: before.timed + 4,
    });
  });
});
