import { beforeAll, describe, expect, it } from 'vitest';
import { callFailing, connectOverHttp } from '../mcp/support.js';
import { expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { exchangedJwt } from '../support/oauth.js';

/** An admin's disable is incident response: the token's owner cannot undo it alone. */
describe.each<FixtureDatabase>(['mysql', 'sqlite'])('a token an admin disabled, on %s', (database) => {
  const fixture = useServer({ database });
  const org = `incident-${database}`;
  let owner: BuiltUser;
  let admin: BuiltUser;
  let member: BuiltUser;
  let asOwner: TestClient;
  let asAdmin: TestClient;
  let asMember: TestClient;

  beforeAll(async () => {
    owner = await buildUser(fixture.dataSource, { organization: org, role: 'owner' });
    admin = await buildUser(fixture.dataSource, { organization: org, role: 'admin' });
    member = await buildUser(fixture.dataSource, { organization: org, role: 'member' });
    [asOwner, asAdmin, asMember] = await Promise.all([owner, admin, member].map((user) => loggedInClient(fixture, user)));
  });

  const path = (id: string, action: string) => tokensPath(org, `/${id}/${action}`);
  const stored = async (id: string) =>
    (await fixture.dataSource.query('SELECT status, disabled_by_user_id, disabled_at FROM platform_tokens WHERE id = ?', [id]))[0];

  it('keeps and shows who disabled it and when', async () => {
    const token = await buildToken(fixture.dataSource, member, { name: 'suspicious' });
    const response = await asAdmin.post(path(token.id, 'disable'));
    expect(response.status, response.text).toBe(200);
    expect(response.body.token.disabled).toEqual({ at: expect.any(String), by: { id: admin.id, email: admin.email } });
    expect((await asMember.get(tokensPath(org, `/${token.id}`))).body.token.disabled.by.id).toBe(admin.id);
    const row = await stored(token.id);
    expect({ status: row.status, by: row.disabled_by_user_id, at: row.disabled_at !== null }).toEqual({
      status: 'disabled',
      by: admin.id,
      at: true,
    });
  });

  it('refuses the owner’s re-enable with 403 disabled_by_admin, leaving it disabled', async () => {
    const token = await buildToken(fixture.dataSource, member, { name: 'quarantined' });
    expect((await asAdmin.post(path(token.id, 'disable'))).status).toBe(200);
    expectProblem(await asMember.post(path(token.id, 'enable')), 403, 'disabled_by_admin');
    expect((await stored(token.id)).status).toBe('disabled');
    // Nor does a status in a PATCH get around it.
    expectProblem(await asMember.patch(tokensPath(org, `/${token.id}`), { status: 'active' }), 400, 'immutable_field');
    expect((await stored(token.id)).status).toBe('disabled');
  });

  it('refuses the owner’s re-enable over MCP too', async () => {
    const token = await buildToken(fixture.dataSource, member, { name: 'quarantined for agents' });
    expect((await asAdmin.post(path(token.id, 'disable'))).status).toBe(200);
    const platform = await buildToken(fixture.dataSource, member, { service: 'platform', name: 'member agent' });
    const agent = await connectOverHttp(fixture.url, await exchangedJwt(fixture.client(), platform.secret));
    try {
      const { error } = await callFailing(agent, 'enable_token', { organization: org, token_id: token.id });
      expect(error.code).toBe('disabled_by_admin');
    } finally {
      await agent.close();
    }
    expect((await stored(token.id)).status).toBe('disabled');
  });

  it.each([
    ['the admin who disabled it', () => asAdmin],
    ['the organization’s owner', () => asOwner],
  ])('lets %s enable it again, clearing who and when', async (_who, client) => {
    const token = await buildToken(fixture.dataSource, member, { name: 'cleared' });
    expect((await asAdmin.post(path(token.id, 'disable'))).status).toBe(200);
    const response = await client().post(path(token.id, 'enable'));
    expect(response.status, response.text).toBe(200);
    expect(response.body.token).toMatchObject({ status: 'active', disabled: null });
    expect(await stored(token.id)).toMatchObject({ status: 'active', disabled_by_user_id: null, disabled_at: null });
    // Enabled again, it is the owner's to pause and resume.
    expect((await asMember.post(path(token.id, 'disable'))).status).toBe(200);
    expect((await asMember.post(path(token.id, 'enable'))).status).toBe(200);
  });

  it('lets the owner enable a token they disabled themselves', async () => {
    const token = await buildToken(fixture.dataSource, member, { name: 'paused by me' });
    const disabled = await asMember.post(path(token.id, 'disable'));
    expect(disabled.body.token.disabled.by).toEqual({ id: member.id, email: member.email });
    expect((await asMember.post(path(token.id, 'enable'))).status).toBe(200);
  });

  it('lets an admin enable their own token another admin disabled', async () => {
    const token = await buildToken(fixture.dataSource, admin, { name: 'admin’s own' });
    expect((await asOwner.post(path(token.id, 'disable'))).status).toBe(200);
    expect((await asAdmin.post(path(token.id, 'enable'))).status).toBe(200);
  });
});
