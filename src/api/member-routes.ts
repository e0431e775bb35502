import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { DataSource } from 'typeorm';
import { changeMemberRole, listMembers, removeMember, type MemberChangeInput } from '../members/index.js';
import { auditContextOf } from './audit-context.js';
import { principalOf } from './authenticate.js';
import { jsonBody } from './body.js';
import { presentMemberChange, presentMemberList } from './member-presenter.js';
import { memberRoleChangeSchema } from './member-schemas.js';
import { organizationActor } from './organization-access.js';
import type { ApiState } from './state.js';
import { parseInput } from './validate.js';

export interface MemberRouteDependencies {
  dataSource: DataSource;
  /** Establishes the caller (session + CSRF, or bearer); runs first on every route. */
  authenticated: Middleware;
}

const MEMBERS = '/api/orgs/:org/members';
const MEMBER = `${MEMBERS}/:user`;

/**
 * Listing an organization's members, removing one and changing a member's role. The caller acts with their role in the
 * organization (a bearer: no more than its token's role); the rules are the domain's.
 */
export function registerMemberRoutes(router: Router<ApiState>, { dataSource, authenticated }: MemberRouteDependencies): void {
  const changeOf = async (ctx: Context): Promise<MemberChangeInput> => {
    const actor = await organizationActor(dataSource, principalOf(ctx), ctx.params.org!);
    return {
      organizationId: actor.organizationId,
      changer: { userId: actor.userId, ceiling: actor.role },
      userId: ctx.params.user!,
      audit: auditContextOf(ctx, actor.userId),
    };
  };

  router.get(MEMBERS, authenticated, async (ctx) => {
    const actor = await organizationActor(dataSource, principalOf(ctx), ctx.params.org!);
    ctx.body = presentMemberList(await listMembers(dataSource, actor.organizationId, actor.role));
  });

  router.delete(MEMBER, authenticated, async (ctx) => {
    ctx.body = presentMemberChange(await removeMember(dataSource, await changeOf(ctx)));
  });

  router.patch(MEMBER, authenticated, jsonBody, async (ctx) => {
    const change = await changeOf(ctx);
    const { role } = parseInput(memberRoleChangeSchema, ctx.request.body);
    ctx.body = presentMemberChange(await changeMemberRole(dataSource, { ...change, role }));
  });
}
