import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTokenThroughApi, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import { callFailing, callOk, connectOverHttp } from '../mcp/support.js';
import { exchangedJwt } from '../support/oauth.js';

/**
 * A JWT lives hours; a platform-service token lives 730 days and mints JWTs for this API.
 * Through a JWT, nobody creates or rolls one; product-service tokens stay allowed.
 */
describe.each<FixtureDatabase>(['mysql', 'sqlite'])('what a bearer JWT may mint, on %s', (database) => {
  const fixture = useServer({ database });
  let owner: BuiltUser;
  let platformTokenId: string;
  let jwt: string;

  beforeAll(async () => {
    owner = await buildUser(fixture.dataSource, { organization: `mint-${database}`, role: 'owner' });
    const platform = await buildToken(fixture.dataSource, owner, { service: 'platform', name: 'automation' });
    platformTokenId = platform.id;
    jwt = await exchangedJwt(fixture.client(), platform.secret);
  });

  const platformTokenCount = async () =>
    Number(
      (
        await fixture.dataSource.query("SELECT COUNT(*) AS n FROM platform_tokens WHERE user_id = ? AND service_id = 'platform'", [
          owner.id,
        ])
      )[0].n,
    );

  it('refuses to create a platform-service token with 403 platform_token_requires_session, creating nothing', async () => {
    const before = await platformTokenCount();
    const response = await fixture
      .client()
      .post(tokensPath(owner.organizationSlug), { name: 'longer than me', service: 'platform' }, bearer(jwt));
    expectProblem(response, 403, 'platform_token_requires_session');
    expect(await platformTokenCount()).toBe(before);
  });

  it('creates a product-service token, audited as made through the JWT of its platform token', async () => {
    const response = await fixture
      .client()
      .post(tokensPath(owner.organizationSlug), { name: 'for strings', service: 'strings' }, bearer(jwt));
    expect(response.status, response.text).toBe(201);
    const [event] = await fixture.dataSource.query('SELECT actor_user_id, details FROM audit_events WHERE token_id = ? AND action = ?', [
      response.body.token.id,
      'token.created',
    ]);
    expect(event.actor_user_id).toBe(owner.id);
    expect(JSON.parse(event.details)).toMatchObject({ via: 'api', credential_token_id: platformTokenId, service: 'strings' });
  });

  it('refuses to roll a platform-service token with the same code, leaving its secret as it was', async () => {
    const target = await buildToken(fixture.dataSource, owner, { service: 'platform', name: 'to roll' });
    const response = await fixture.client().post(tokensPath(owner.organizationSlug, `/${target.id}/roll`), {}, bearer(jwt));
    expectProblem(response, 403, 'platform_token_requires_session');
    const [row] = await fixture.dataSource.query('SELECT prefix, rolled_at FROM platform_tokens WHERE id = ?', [target.id]);
    expect(row).toEqual({ prefix: target.secret.slice(0, 10), rolled_at: null });
  });

  it('rolls a product-service token', async () => {
    const target = await buildToken(fixture.dataSource, owner, { service: 'strings', name: 'strings to roll' });
    const response = await fixture.client().post(tokensPath(owner.organizationSlug, `/${target.id}/roll`), {}, bearer(jwt));
    expect(response.status, response.text).toBe(200);
    expect(response.body.secret).not.toBe(target.secret);
  });

  it('still lets a signed-in person create and roll a platform-service token', async () => {
    const client = await loggedInClient(fixture, owner);
    const created = await createTokenThroughApi(client, owner.organizationSlug, { name: 'by a person', service: 'platform' });
    expect((await client.post(tokensPath(owner.organizationSlug, `/${created.id}/roll`), {})).status).toBe(200);
  });

  it('applies the same rule to the MCP create_token tool', async () => {
    const agent = await connectOverHttp(fixture.url, jwt);
    try {
      const before = await platformTokenCount();
      const { error } = await callFailing(agent, 'create_token', {
        organization: owner.organizationSlug,
        name: 'agent',
        service: 'platform',
      });
      expect(error.code).toBe('platform_token_requires_session');
      expect(await platformTokenCount()).toBe(before);
      const created = await callOk(agent, 'create_token', { organization: owner.organizationSlug, name: 'agent', service: 'tms' });
      expect(created.token.service).toBe('tms');
    } finally {
      await agent.close();
    }
  });
});
