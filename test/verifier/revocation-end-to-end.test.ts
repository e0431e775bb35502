import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductApi, type RunningProductApi } from '../../examples/product-api/api.js';
import { loggedInClient, tokensPath } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser, defaultServices, deleteOwnToken, disableToken, type BuiltUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import { TestClient, type TestResponse } from '../support/http.js';
import { exchangedJwt } from '../support/oauth.js';
import { startQuicklyPollingProductApi, expectRevokedAnswer, issuedAt, notBeforeOf, refusedEventually } from '../support/revocation.js';
import { bearer } from './issuer-server.js';

const STRINGS_AUDIENCE = defaultServices().get('strings')!.audience;
const expectRevoked = (response: TestResponse) => expectRevokedAnswer(response, STRINGS_AUDIENCE);

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('the example product API and a real Tollbooth (%s): revocation', (database) => {
  const tollbooth = useServer({ database });
  let api: RunningProductApi;
  let apiClient: TestClient;
  let owner: BuiltUser;

  beforeAll(async () => {
    api = await startQuicklyPollingProductApi(tollbooth.url, STRINGS_AUDIENCE);
    apiClient = new TestClient(api.url);
    owner = await buildUser(tollbooth.dataSource, { organization: `revoke-e2e-${database}`, role: 'admin' });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function liveJwt(): Promise<{ id: string; secret: string; jwt: string }> {
    const token = await buildToken(tollbooth.dataSource, owner, { service: 'strings' });
    const jwt = await exchangedJwt(tollbooth.client(), token.secret);
    expect((await apiClient.get('/v1/whoami', bearer(jwt))).status).toBe(200);
    return { id: token.id, secret: token.secret, jwt };
  }

  it('refuses the earlier JWT of a deleted token within the poll interval', async () => {
    const { id, jwt } = await liveJwt();
    await deleteOwnToken(tollbooth.dataSource, owner, id);
    expectRevoked(await refusedEventually(apiClient, jwt));
  });

  it('refuses the earlier JWT of a token a secret scanner reported leaked', async () => {
    const { secret, jwt } = await liveJwt();
    const reported = await tollbooth.client().post('/api/credentials/revoke', { credentials: [secret] });
    expect(reported.status).toBe(202);
    expectRevoked(await refusedEventually(apiClient, jwt));
  });

  it('refuses the earlier JWT of a disabled token, and accepts a JWT minted after re-enabling it', async () => {
    const { id, secret, jwt } = await liveJwt();
    await disableToken(tollbooth.dataSource, owner, id);
    expectRevoked(await refusedEventually(apiClient, jwt));

    const admin = await loggedInClient(tollbooth, owner);
    expect((await admin.post(tokensPath(owner.organizationSlug, `/${id}/enable`))).status).toBe(200);
    const notBefore = (await notBeforeOf(tollbooth.client(), `${tollbooth.url}/oauth`, id))!;
    // iat has whole seconds: a JWT minted in the not-before second itself would fall before it.
    await eventually(async () => (Date.now() >= notBefore * 1000 ? true : undefined), { what: 'the not-before second' });
    const fresh = await exchangedJwt(tollbooth.client(), secret);
    expect(issuedAt(fresh)).toBeGreaterThanOrEqual(notBefore);

    expect((await apiClient.get('/v1/whoami', bearer(fresh))).status).toBe(200);
    expectRevoked(await apiClient.get('/v1/whoami', bearer(jwt)));
  });
});

describe('the example product API with its default settings', () => {
  const tollbooth = useServer();
  let api: RunningProductApi;

  beforeAll(async () => {
    api = await startProductApi({ issuerUrl: `${tollbooth.url}/oauth`, audience: STRINGS_AUDIENCE, port: 0 });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses a deleted token’s earlier JWT within 30 s', async () => {
    const owner = await buildUser(tollbooth.dataSource, { organization: 'revoke-defaults' });
    const token = await buildToken(tollbooth.dataSource, owner, { service: 'strings' });
    const jwt = await exchangedJwt(tollbooth.client(), token.secret);
    const apiClient = new TestClient(api.url);
    expect((await apiClient.get('/v1/whoami', bearer(jwt))).status).toBe(200);

    const deletedAt = Date.now();
    await deleteOwnToken(tollbooth.dataSource, owner, token.id);
    expectRevoked(await refusedEventually(apiClient, jwt, 30_000));
    expect(Date.now() - deletedAt).toBeLessThan(30_000);
  });
});
