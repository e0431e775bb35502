import type { DataSource, EntityManager } from 'typeorm';
import { type Role } from '../accounts/index.js';
import { recordAuditEvent, type AuditContext } from '../audit/index.js';
import { holdLock, MembershipEntity, UserEntity, withLock, type Membership } from '../db/index.js';
import { LastOwner, MemberNotFound, OrganizationNotFound } from '../errors/index.js';
import { deleteTokensOfRemovedMember, revokeTokensAboveRole, tokenCapLock } from '../tokens/index.js';
import { actingRole, assertMayChangeMember, assertMayManageMembers, type MemberChanger } from './permissions.js';

export interface MemberChangeInput {
  organizationId: string;
  changer: MemberChanger;
  /** The member acted on. */
  userId: string;
  audit: AuditContext;
  now?: Date;
}

export interface MemberChangeResult {
  member: { id: string; email: string; role: Role };
  /** The member's tokens whose JWTs this change revoked (deleted ones on removal), oldest first. */
  tokensRevoked: string[];
}

/**
 * The lock of an organization's memberships: changes to one organization's members run one at
 * a time on every instance, so "is this the last owner?" is answered on what is committed.
 */
function membersLock(organizationId: string): string {
  return `members:${organizationId}`;
}

interface Located {
  membership: Membership;
  email: string;
}

/**
 * Under the organization's lock: checks the changer's right to change members (their role read
 * afresh), then finds the member. The changer's role is checked before the member is looked
 * up, so who is a member is not told to those who may not change members. Then takes the
 * member's token-cap lock too, so no token is created from the membership while it changes.
 */
async function locate(manager: EntityManager, input: MemberChangeInput): Promise<Located & { actingRole: Role | null }> {
  const memberships = manager.getRepository(MembershipEntity);
  let role: Role | null = null;
  if (input.changer) {
    const own = await memberships.findOneBy({ userId: input.changer.userId, organizationId: input.organizationId });
    if (!own) throw new OrganizationNotFound();
    role = actingRole(input.changer, own.role);
    assertMayManageMembers(role);
  }
  const membership = await memberships.findOneBy({ userId: input.userId, organizationId: input.organizationId });
  if (!membership) throw new MemberNotFound();
  const user = await manager.getRepository(UserEntity).findOneByOrFail({ id: input.userId });
  await holdLock(manager, tokenCapLock(input.userId));
  return { membership, email: user.email, actingRole: role };
}

/** 409 `last_owner` when the organization has no owner but this one. */
async function assertAnotherOwner(manager: EntityManager, organizationId: string, action: 'remove' | 'demote'): Promise<void> {
  const owners = await manager.getRepository(MembershipEntity).countBy({ organizationId, role: 'owner' });
  if (owners <= 1) throw new LastOwner(action);
}

/**
 * Removes a member from an organization, in one transaction under the organization's lock:
 * the membership goes, and every token they hold there is deleted (reason `member_removed`),
 * which revokes the JWTs those tokens issued. Audited as `member.removed` (and `token.deleted`
 * per token). An admin may remove anyone but an owner; an owner anyone; never the last owner.
 */
export async function removeMember(dataSource: DataSource, input: MemberChangeInput): Promise<MemberChangeResult> {
  const now = input.now ?? new Date();
  return withLock(dataSource, membersLock(input.organizationId), async (manager) => {
    const { membership, email, actingRole } = await locate(manager, input);
    if (actingRole) assertMayChangeMember(actingRole, membership.role);
    if (membership.role === 'owner') await assertAnotherOwner(manager, input.organizationId, 'remove');
    const member = { userId: input.userId, organizationId: input.organizationId };
    const tokensRevoked = await deleteTokensOfRemovedMember(manager, member, input.audit, now);
    await manager.getRepository(MembershipEntity).delete({ id: membership.id });
    await recordAuditEvent(
      manager,
      input.audit,
      {
        action: 'member.removed',
        organizationId: input.organizationId,
        details: { user: input.userId, email, role: membership.role, tokens_revoked: tokensRevoked },
      },
      now,
    );
    return { member: { id: input.userId, email, role: membership.role }, tokensRevoked };
  });
}

/**
 * Gives a member another role, in one transaction under the organization's lock. Lowering it
 * revokes the JWTs already issued for their tokens above the new role (reason `role_lowered`);
 * tokens within it keep working. Audited as `member.role_changed`; asking for the role they
 * have changes and audits nothing. An admin may change anyone but an owner, to at most admin;
 * the last owner cannot be demoted.
 */
export async function changeMemberRole(dataSource: DataSource, input: MemberChangeInput & { role: Role }): Promise<MemberChangeResult> {
  const now = input.now ?? new Date();
  return withLock(dataSource, membersLock(input.organizationId), async (manager) => {
    const { membership, email, actingRole } = await locate(manager, input);
    if (actingRole) assertMayChangeMember(actingRole, membership.role, input.role);
    if (membership.role === input.role) return { member: { id: input.userId, email, role: input.role }, tokensRevoked: [] };
    if (membership.role === 'owner') await assertAnotherOwner(manager, input.organizationId, 'demote');
    await manager.getRepository(MembershipEntity).update({ id: membership.id }, { role: input.role });
    const member = { userId: input.userId, organizationId: input.organizationId };
    const tokensRevoked = await revokeTokensAboveRole(manager, member, input.role, now);
    await recordAuditEvent(
      manager,
      input.audit,
      {
        action: 'member.role_changed',
        organizationId: input.organizationId,
        details: { user: input.userId, email, from: membership.role, to: input.role, tokens_revoked: tokensRevoked },
      },
      now,
    );
    return { member: { id: input.userId, email, role: input.role }, tokensRevoked };
  });
}
