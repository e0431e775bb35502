import { In, type EntityManager } from 'typeorm';
import { roleWithin, type Role } from '../accounts/index.js';
import { MembershipEntity, UserEntity, type PlatformToken } from '../db/index.js';

/**
 * A token with what a presenter needs besides the row: its owner's email and current role in
 * the token's organization, and who deleted or disabled it.
 */
export interface TokenView extends PlatformToken {
  ownerEmail: string;
  /** The owner's role in the token's organization now; null when they are no longer a member. */
  ownerRole: Role | null;
  /** The email of `deletedByUserId`, when that person still exists. */
  deletedByEmail?: string | null;
  /** The email of `disabledByUserId`, when that person still exists. */
  disabledByEmail?: string | null;
}

const peopleOf = (token: PlatformToken) =>
  [token.userId, token.deletedByUserId, token.disabledByUserId].filter((id): id is string => id !== null);

const memberKey = (userId: string, organizationId: string) => `${userId} ${organizationId}`;

/**
 * True while the token's role is above what its owner now holds in its organization (their
 * role was lowered after it was created): the exchange refuses it, whatever its status says,
 * until the role is given back.
 */
export function aboveOwnerRole(token: Pick<TokenView, 'role' | 'ownerRole'>): boolean {
  return token.ownerRole === null || !roleWithin(token.role, token.ownerRole);
}

/**
 * Attaches owner emails and roles (and the deleter's and disabler's emails, when set): one
 * query for the people and one for the owners' memberships, for the whole page.
 */
export async function withOwners(manager: EntityManager, tokens: PlatformToken[]): Promise<TokenView[]> {
  const userIds = [...new Set(tokens.flatMap(peopleOf))];
  if (userIds.length === 0) return [];
  const ownerIds = [...new Set(tokens.map((token) => token.userId))];
  const organizationIds = [...new Set(tokens.map((token) => token.organizationId))];
  const users = await manager.getRepository(UserEntity).find({ select: { id: true, email: true }, where: { id: In(userIds) } });
  const memberships = await manager.getRepository(MembershipEntity).find({
    select: { userId: true, organizationId: true, role: true },
    where: { userId: In(ownerIds), organizationId: In(organizationIds) },
  });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  const roles = new Map(memberships.map((membership) => [memberKey(membership.userId, membership.organizationId), membership.role]));
  return tokens.map((token) => ({
    ...token,
    ownerEmail: emails.get(token.userId) ?? '',
    ownerRole: roles.get(memberKey(token.userId, token.organizationId)) ?? null,
    deletedByEmail: token.deletedByUserId ? (emails.get(token.deletedByUserId) ?? null) : null,
    disabledByEmail: token.disabledByUserId ? (emails.get(token.disabledByUserId) ?? null) : null,
  }));
}
