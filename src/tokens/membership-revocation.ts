import { IsNull, type EntityManager } from 'typeorm';
import { roleWithin, type Role } from '../accounts/index.js';
import type { AuditContext } from '../audit/index.js';
import { PlatformTokenEntity, type PlatformToken } from '../db/index.js';
import { recordRevocations } from '../revocation/index.js';
import { forUpdate } from './query.js';
import { auditDeletion, markDeleted } from './remove.js';

/** A person's membership in one organization: whose tokens, in which organization. */
export interface MemberOfOrganization {
  userId: string;
  organizationId: string;
}

/** The member's tokens in the organization that are not deleted (expired and disabled ones included), locked. */
function tokensOfMember(manager: EntityManager, member: MemberOfOrganization): Promise<PlatformToken[]> {
  const query = manager
    .getRepository(PlatformTokenEntity)
    .createQueryBuilder('token')
    .where('token.userId = :userId AND token.organizationId = :organizationId', member)
    .andWhere({ deletedAt: IsNull() })
    .orderBy('token.createdAt', 'ASC');
  return forUpdate(query).getMany();
}

/**
 * Deletes every token the member holds in the organization, inside the caller's transaction
 * (the one that removes the membership): reason `member_removed`, each audited, and the JWTs
 * they issued revoked through the feed. Tokens belong to one organization, so nothing of the
 * member's elsewhere is touched. Returns the ids deleted.
 */
export async function deleteTokensOfRemovedMember(
  manager: EntityManager,
  member: MemberOfOrganization,
  audit: AuditContext,
  now: Date,
): Promise<string[]> {
  const tokens = await tokensOfMember(manager, member);
  const ids = tokens.map((token) => token.id);
  await markDeleted(manager, ids, { byUserId: audit.actorUserId, reason: 'member_removed' }, now);
  for (const token of tokens) await auditDeletion(manager, audit, token, 'member_removed', now);
  return ids;
}

/**
 * Revokes the JWTs already issued for the member's tokens whose role exceeds `role`, their
 * new role, inside the caller's transaction (reason `role_lowered`). The tokens themselves are
 * kept: the exchange already refuses a token above its owner's current role, and should the
 * role be given back the token works again, for JWTs minted from then on. Tokens within the
 * new role are untouched. Returns the ids revoked.
 */
export async function revokeTokensAboveRole(
  manager: EntityManager,
  member: MemberOfOrganization,
  role: Role,
  now: Date,
): Promise<string[]> {
  const ids = (await tokensOfMember(manager, member)).filter((token) => !roleWithin(token.role, role)).map((token) => token.id);
  await recordRevocations(manager, ids, 'role_lowered', now);
  return ids;
}
