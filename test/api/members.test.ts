import { describe, expect, it } from 'vitest';
import { AuditEventEntity, MembershipEntity, PlatformTokenEntity } from '../../src/db/index.js';
import { bearer, expectProblem, loggedInClient } from '../support/api.js';
import { addMembership, buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import type { TestClient, TestResponse } from '../support/http.js';
import { exchangedJwt, exchangeToken, expectOAuthError } from '../support/oauth.js';
import { notBeforeOf } from '../support/revocation.js';

const UNKNOWN_USER = '00000000-0000-4000-8000-000000000000';

function memberPath(slug: string, userId: string): string {
  return `/api/orgs/${encodeURIComponent(slug)}/members/${encodeURIComponent(userId)}`;
}

let organizations = 0;

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('organization members (%s)', (database) => {
  const server = useServer({ database });

  /** A fresh organization with one owner, one admin and one member, the owner and admin logged in. */
  async function organization(): Promise<{
    slug: string;
    owner: BuiltUser;
    admin: BuiltUser;
    member: BuiltUser;
    asOwner: TestClient;
    asAdmin: TestClient;
  }> {
    organizations += 1;
    const slug = `members-${database}-${organizations}`;
    const owner = await buildUser(server.dataSource, { organization: slug, role: 'owner' });
    const admin = await buildUser(server.dataSource, { organization: slug, role: 'admin' });
    const member = await buildUser(server.dataSource, { organization: slug, role: 'manager' });
    return { slug, owner, admin, member, asOwner: await loggedInClient(server, owner), asAdmin: await loggedInClient(server, admin) };
  }

  const stored = (id: string) => server.dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id });
  const roleOf = async (user: BuiltUser) =>
    (await server.dataSource.getRepository(MembershipEntity).findOneBy({ userId: user.id, organizationId: user.organizationId }))?.role;
  const listed = (tokenId: string) => notBeforeOf(server.client(), `${server.url}/oauth`, tokenId);
  const auditOf = (organizationId: string, action: 'member.removed' | 'member.role_changed') =>
    server.dataSource.getRepository(AuditEventEntity).findBy({ organizationId, action });

  describe('GET /api/orgs/{org}/members', () => {
    it('lists the members with their ids and roles to an admin, by email', async () => {
      const { slug, owner, admin, member, asAdmin } = await organization();
      const response = await asAdmin.get(`/api/orgs/${slug}/members`);
      expect(response.status).toBe(200);
      const expected = [owner, admin, member]
        .map((user) => ({ id: user.id, email: user.email, role: user.role, joined_at: expect.any(String) }))
        .sort((first, second) => first.email.localeCompare(second.email));
      expect(response.body).toEqual({ members: expected });
    });

    it('refuses a member with 403 insufficient_role', async () => {
      const { slug, member } = await organization();
      expectProblem(await (await loggedInClient(server, member)).get(`/api/orgs/${slug}/members`), 403, 'insufficient_role');
    });

    it('no longer lists a removed member, and the audit log shows the removal', async () => {
      const { slug, admin, member, asAdmin } = await organization();
      expect((await asAdmin.delete(memberPath(slug, member.id))).status).toBe(200);
      const ids = (await asAdmin.get(`/api/orgs/${slug}/members`)).body.members.map((listedMember: { id: string }) => listedMember.id);
      expect(ids).not.toContain(member.id);
      const audit = await asAdmin.get(`/api/orgs/${slug}/audit?action=member.removed`);
      expect(audit.status).toBe(200);
      expect(audit.body.events).toEqual([
        expect.objectContaining({ action: 'member.removed', actor: { id: admin.id, email: admin.email }, token_id: null }),
      ]);
    });
  });

  describe('DELETE /api/orgs/{org}/members/{user}', () => {
    it('removes the member and deletes their tokens there as member_removed, revoking their JWTs', async () => {
      const { slug, admin, member, asAdmin } = await organization();
      const first = await buildToken(server.dataSource, member);
      const second = await buildToken(server.dataSource, member, { service: 'tms' });
      const elsewhere = `${slug}-other`;
      await addMembership(server.dataSource, member.id, elsewhere, 'member');
      const otherOrganization = (
        await server.dataSource.getRepository(MembershipEntity).findOneByOrFail({ userId: member.id, role: 'member' })
      ).organizationId;
      const kept = await buildToken(server.dataSource, { id: member.id, organizationId: otherOrganization });

      const response = await asAdmin.delete(memberPath(slug, member.id));

      expect(response.status, response.text).toBe(200);
      expect(response.body).toEqual({
        member: { id: member.id, email: member.email, role: 'manager' },
        tokens_revoked: [first.id, second.id],
      });
      expect(await roleOf(member)).toBeUndefined();
      for (const token of [first, second]) {
        expect(await stored(token.id)).toMatchObject({
          deletedAt: expect.any(Date),
          deletionReason: 'member_removed',
          deletedByUserId: admin.id,
        });
        expect(await listed(token.id)).toEqual(expect.any(Number));
        expectOAuthError(await exchangeToken(server.client(), token.secret), 400, 'invalid_grant');
      }
      expect(await stored(kept.id), 'a token of another organization').toMatchObject({ deletedAt: null });
      expect((await exchangeToken(server.client(), kept.secret)).status).toBe(200);
      const [event] = await auditOf(member.organizationId, 'member.removed');
      expect(event).toMatchObject({ actorUserId: admin.id });
      expect(JSON.parse(event!.details)).toEqual({
        user: member.id,
        email: member.email,
        role: 'manager',
        tokens_revoked: [first.id, second.id],
      });
    });

    it('lets an owner remove another owner', async () => {
      const { slug, owner, asOwner } = await organization();
      const second = await buildUser(server.dataSource, { organization: slug, role: 'owner' });
      expect((await asOwner.delete(memberPath(slug, second.id))).status).toBe(200);
      expect(await roleOf(second)).toBeUndefined();
      expect(await roleOf(owner)).toBe('owner');
    });

    it('lets an admin leave', async () => {
      const { slug, admin, asAdmin } = await organization();
      expect((await asAdmin.delete(memberPath(slug, admin.id))).status).toBe(200);
      expect(await roleOf(admin)).toBeUndefined();
    });
  });

  describe('PATCH /api/orgs/{org}/members/{user}', () => {
    it('lowering a role revokes the JWTs of the tokens above it, keeps them, and leaves the others working', async () => {
      const { slug, admin, member, asAdmin } = await organization();
      const above = await buildToken(server.dataSource, member, { role: 'manager' });
      const within = await buildToken(server.dataSource, member, { role: 'viewer' });

      const response = await asAdmin.patch(memberPath(slug, member.id), { role: 'member' });

      expect(response.status, response.text).toBe(200);
      expect(response.body).toEqual({ member: { id: member.id, email: member.email, role: 'member' }, tokens_revoked: [above.id] });
      expect(await roleOf(member)).toBe('member');
      expect(await listed(above.id)).toEqual(expect.any(Number));
      expect(await listed(within.id)).toBeUndefined();
      expect(await stored(above.id), 'the token itself is kept').toMatchObject({ deletedAt: null, status: 'active' });
      expectOAuthError(await exchangeToken(server.client(), above.secret), 400, 'invalid_grant');
      expect((await exchangeToken(server.client(), within.secret)).status).toBe(200);
      const [event] = await auditOf(member.organizationId, 'member.role_changed');
      expect(event).toMatchObject({ actorUserId: admin.id });
      expect(JSON.parse(event!.details)).toEqual({
        user: member.id,
        email: member.email,
        from: 'manager',
        to: 'member',
        tokens_revoked: [above.id],
      });
    });

    it('shows a token above the lowered role as suspended in the list and on its own, until the role is given back', async () => {
      const { slug, member, asAdmin } = await organization();
      const above = await buildToken(server.dataSource, member, { role: 'manager' });
      const within = await buildToken(server.dataSource, member, { role: 'viewer' });
      const asMember = await loggedInClient(server, member);
      const suspensions = async () => {
        const { body } = await asMember.get(`/api/orgs/${slug}/tokens`);
        return Object.fromEntries((body.tokens as { id: string; suspended: unknown }[]).map((token) => [token.id, token.suspended]));
      };
      expect(await suspensions()).toEqual({ [above.id]: null, [within.id]: null });

      await asAdmin.patch(memberPath(slug, member.id), { role: 'viewer' });
      const suspended = { reason: 'above_owner_role', owner_role: 'viewer' };
      expect(await suspensions()).toEqual({ [above.id]: suspended, [within.id]: null });
      const alone = await asAdmin.get(`/api/orgs/${slug}/tokens/${above.id}`);
      expect(alone.body.token).toMatchObject({ status: 'active', suspended });
      expect((await asMember.post(`/api/orgs/${slug}/tokens/${above.id}/disable`)).body.token).toMatchObject({
        status: 'disabled',
        suspended,
      });
      expect((await asMember.post(`/api/orgs/${slug}/tokens/${above.id}/enable`)).body.token.suspended).toEqual(suspended);
      expectOAuthError(await exchangeToken(server.client(), above.secret), 400, 'invalid_grant');

      await asAdmin.patch(memberPath(slug, member.id), { role: 'manager' });
      expect(await suspensions()).toEqual({ [above.id]: null, [within.id]: null });
      expect((await exchangeToken(server.client(), above.secret)).status).toBe(200);
    });

    it('raising a role revokes nothing, and the role they have changes and audits nothing', async () => {
      const { slug, member, asAdmin } = await organization();
      const token = await buildToken(server.dataSource, member, { role: 'manager' });
      const same = await asAdmin.patch(memberPath(slug, member.id), { role: 'manager' });
      expect(same.body).toEqual({ member: { id: member.id, email: member.email, role: 'manager' }, tokens_revoked: [] });
      expect(await auditOf(member.organizationId, 'member.role_changed')).toEqual([]);

      const raised = await asAdmin.patch(memberPath(slug, member.id), { role: 'admin' });
      expect(raised.body.tokens_revoked).toEqual([]);
      expect(await listed(token.id)).toBeUndefined();
      expect(await roleOf(member)).toBe('admin');
    });

    it('lets an owner make another member owner, and then demote the first owner', async () => {
      const { slug, owner, member, asOwner } = await organization();
      expect((await asOwner.patch(memberPath(slug, member.id), { role: 'owner' })).status).toBe(200);
      expect((await asOwner.patch(memberPath(slug, owner.id), { role: 'admin' })).status).toBe(200);
      expect([await roleOf(member), await roleOf(owner)]).toEqual(['owner', 'admin']);
    });
  });

  describe('refusals', () => {
    type Case = [string, (org: Awaited<ReturnType<typeof organization>>) => Promise<TestResponse>, number, string];
    it.each<Case>([
      ['an unknown user', ({ slug, asAdmin }) => asAdmin.delete(memberPath(slug, UNKNOWN_USER)), 404, 'member_not_found'],
      [
        'a user id that is not a uuid',
        ({ slug, asAdmin }) => asAdmin.patch(memberPath(slug, 'nobody'), { role: 'viewer' }),
        404,
        'member_not_found',
      ],
      [
        'a user who is not a member',
        async ({ slug, asAdmin }) => {
          const outsider = await buildUser(server.dataSource, { organization: `${slug}-outside` });
          return asAdmin.delete(memberPath(slug, outsider.id));
        },
        404,
        'member_not_found',
      ],
      ['removing the last owner', ({ slug, owner, asOwner }) => asOwner.delete(memberPath(slug, owner.id)), 409, 'last_owner'],
      [
        'demoting the last owner',
        ({ slug, owner, asOwner }) => asOwner.patch(memberPath(slug, owner.id), { role: 'admin' }),
        409,
        'last_owner',
      ],
      [
        'a member changing members',
        async ({ slug, admin, member }) => (await loggedInClient(server, member)).delete(memberPath(slug, admin.id)),
        403,
        'insufficient_role',
      ],
      [
        'a member probing an unknown user (told the role, not who is a member)',
        async ({ slug, member }) => (await loggedInClient(server, member)).delete(memberPath(slug, UNKNOWN_USER)),
        403,
        'insufficient_role',
      ],
      ['an admin removing an owner', ({ slug, owner, asAdmin }) => asAdmin.delete(memberPath(slug, owner.id)), 403, 'insufficient_role'],
      [
        'an admin demoting an owner',
        ({ slug, owner, asAdmin }) => asAdmin.patch(memberPath(slug, owner.id), { role: 'member' }),
        403,
        'insufficient_role',
      ],
      [
        'an admin making someone owner',
        ({ slug, member, asAdmin }) => asAdmin.patch(memberPath(slug, member.id), { role: 'owner' }),
        403,
        'insufficient_role',
      ],
      [
        'a role that does not exist',
        ({ slug, member, asAdmin }) => asAdmin.patch(memberPath(slug, member.id), { role: 'emperor' }),
        400,
        'invalid_request',
      ],
      ['no role', ({ slug, member, asAdmin }) => asAdmin.patch(memberPath(slug, member.id), {}), 400, 'invalid_request'],
      [
        'a role that is not a string',
        ({ slug, member, asAdmin }) => asAdmin.patch(memberPath(slug, member.id), { role: 3 }),
        400,
        'invalid_request',
      ],
      [
        'an unknown field',
        ({ slug, member, asAdmin }) => asAdmin.patch(memberPath(slug, member.id), { role: 'viewer', email: 'x@example.test' }),
        400,
        'invalid_request',
      ],
      [
        'a body that is not JSON',
        ({ slug, member, asAdmin }) =>
          asAdmin.request('PATCH', memberPath(slug, member.id), { raw: 'role=viewer', headers: { 'content-type': 'text/plain' } }),
        415,
        'unsupported_media_type',
      ],
      [
        'a session change without the CSRF token',
        ({ slug, member, asAdmin }) => asAdmin.delete(memberPath(slug, member.id), { withoutCsrf: true }),
        403,
        'csrf_token_invalid',
      ],
      ['no session', ({ slug, member }) => server.client().delete(memberPath(slug, member.id)), 401, 'unauthenticated'],
      [
        'an unknown organization',
        ({ member, asAdmin }) => asAdmin.delete(memberPath('no-such-org', member.id)),
        404,
        'organization_not_found',
      ],
      [
        'an organization the caller is not in',
        async ({ slug, member }) => {
          const stranger = await buildUser(server.dataSource, { organization: `${slug}-stranger`, role: 'owner' });
          return (await loggedInClient(server, stranger)).delete(memberPath(slug, member.id));
        },
        404,
        'organization_not_found',
      ],
      [
        'an admin’s bearer JWT whose token has a lower role',
        async ({ slug, admin, member }) => {
          const platform = await buildToken(server.dataSource, admin, { service: 'platform', role: 'member' });
          return server.client().delete(memberPath(slug, member.id), bearer(await exchangedJwt(server.client(), platform.secret)));
        },
        403,
        'insufficient_role',
      ],
    ])('refuses %s, changing nothing', async (_case, call, status, code) => {
      const org = await organization();
      const token = await buildToken(server.dataSource, org.member);
      expectProblem(await call(org), status, code);
      expect([await roleOf(org.owner), await roleOf(org.admin), await roleOf(org.member)]).toEqual(['owner', 'admin', 'manager']);
      expect(await stored(token.id)).toMatchObject({ deletedAt: null });
      expect(await listed(token.id)).toBeUndefined();
    });

    it('lets an admin’s bearer JWT with an admin token remove a member', async () => {
      const { slug, admin, member } = await organization();
      const platform = await buildToken(server.dataSource, admin, { service: 'platform' });
      const response = await server
        .client()
        .delete(memberPath(slug, member.id), bearer(await exchangedJwt(server.client(), platform.secret)));
      expect(response.status).toBe(200);
    });

    it('of two owners leaving at once, lets exactly one go: the other is then the last owner', async () => {
      const { slug, owner, asOwner } = await organization();
      const second = await buildUser(server.dataSource, { organization: slug, role: 'owner' });
      const asSecond = await loggedInClient(server, second);

      const answers = await Promise.all([asOwner.delete(memberPath(slug, owner.id)), asSecond.delete(memberPath(slug, second.id))]);

      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      expectProblem(
        answers.find((answer) => answer.status === 409)!,
        409,
        'last_owner',
      );
      expect([await roleOf(owner), await roleOf(second)].filter((role) => role === 'owner')).toHaveLength(1);
    });

    it('of two owners demoting each other at once, lets one through; the other is no longer an owner', async () => {
      const { slug, owner, asOwner } = await organization();
      const second = await buildUser(server.dataSource, { organization: slug, role: 'owner' });
      const asSecond = await loggedInClient(server, second);

      const answers = await Promise.all([
        asOwner.patch(memberPath(slug, second.id), { role: 'admin' }),
        asSecond.patch(memberPath(slug, owner.id), { role: 'admin' }),
      ]);

      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
      expect([await roleOf(owner), await roleOf(second)].filter((role) => role === 'owner')).toHaveLength(1);
    });
  });
});
