import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProductApi } from '../../examples/product-api/api.js';
import { bearer, loggedInClient } from '../support/api.js';
import { buildToken, buildUser, defaultServices, type BuiltUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import { TestClient, type TestResponse } from '../support/http.js';
import { exchangedJwt } from '../support/oauth.js';
import { startQuicklyPollingProductApi, expectRevokedAnswer, refusedEventually } from '../support/revocation.js';

const STRINGS_AUDIENCE = defaultServices().get('strings')!.audience;
const expectRevoked = (response: TestResponse) => expectRevokedAnswer(response, STRINGS_AUDIENCE);

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('the example product API and a real Tollbooth (%s): membership changes', (database) => {
  const tollbooth = useServer({ database });
  const organization = `member-e2e-${database}`;
  let api: RunningProductApi;
  let apiClient: TestClient;
  let asAdmin: TestClient;

  beforeAll(async () => {
    api = await startQuicklyPollingProductApi(tollbooth.url, STRINGS_AUDIENCE);
    apiClient = new TestClient(api.url);
    asAdmin = await loggedInClient(tollbooth, await buildUser(tollbooth.dataSource, { organization, role: 'admin' }));
  });
  afterAll(async () => {
    await api?.close();
  });

  const memberPath = (member: BuiltUser) => `/api/orgs/${organization}/members/${member.id}`;

  /** A JWT for a new token of `member` with `role`, accepted by the product API. */
  async function acceptedJwt(member: BuiltUser, role: BuiltUser['role']): Promise<string> {
    const token = await buildToken(tollbooth.dataSource, member, { service: 'strings', role });
    const jwt = await exchangedJwt(tollbooth.client(), token.secret);
    expect((await apiClient.get('/v1/whoami', bearer(jwt))).status).toBe(200);
    return jwt;
  }

  it('refuses the earlier JWT of a removed member within the poll interval', async () => {
    const member = await buildUser(tollbooth.dataSource, { organization, role: 'member' });
    const jwt = await acceptedJwt(member, 'member');

    expect((await asAdmin.delete(memberPath(member))).status).toBe(200);

    expectRevoked(await refusedEventually(apiClient, jwt));
  });

  it('refuses the earlier JWT of a token above a lowered role, and keeps accepting one within it', async () => {
    const member = await buildUser(tollbooth.dataSource, { organization, role: 'manager' });
    const above = await acceptedJwt(member, 'manager');
    const within = await acceptedJwt(member, 'viewer');

    expect((await asAdmin.patch(memberPath(member), { role: 'member' })).status).toBe(200);

    expectRevoked(await refusedEventually(apiClient, above));
    // The refusal above shows the product API holds a copy of the feed made after the change.
    expect((await apiClient.get('/v1/whoami', bearer(within))).status).toBe(200);
  });
});
