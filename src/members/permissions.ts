import { canManageMembers, roleRank, type Role } from '../accounts/index.js';
import { InsufficientRole } from '../errors/index.js';

/**
 * Who acts on a membership: a member of the organization, with the highest role they may act
 * with (a bearer JWT's token role; their membership role otherwise), or null for an operator
 * at the `tollbooth` command line, who holds the database and is bound by no role.
 */
export type MemberChanger = { userId: string; ceiling: Role } | null;

function lower(first: Role, second: Role): Role {
  return roleRank(first) <= roleRank(second) ? first : second;
}

/** The role the changer acts with now: the lower of their ceiling and their current membership. */
export function actingRole(changer: { ceiling: Role }, membershipRole: Role): Role {
  return lower(changer.ceiling, membershipRole);
}

/** 403 `insufficient_role` unless the acting role may change members at all: admin or owner. */
export function assertMayManageMembers(role: Role): void {
  if (!canManageMembers(role)) throw new InsufficientRole('Only an admin or owner of the organization can change its members.');
}

/**
 * 403 `insufficient_role` unless the acting role may touch this member and give this role:
 * an admin manages everyone below owner and appoints up to admin; owners are for owners.
 */
export function assertMayChangeMember(role: Role, memberRole: Role, newRole?: Role): void {
  if (role === 'owner') return;
  if (memberRole === 'owner' || newRole === 'owner') {
    throw new InsufficientRole('Only an owner can remove or change an owner, or make someone owner.');
  }
}
