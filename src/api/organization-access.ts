import type { DataSource } from 'typeorm';
import { membershipBySlug, roleRank, type Role } from '../accounts/index.js';
import { OrganizationNotFound } from '../errors/index.js';
import type { TokenActor } from '../tokens/index.js';
import type { Principal } from './state.js';

function lower(first: Role, second: Role): Role {
  return roleRank(first) <= roleRank(second) ? first : second;
}

/**
 * Turns `{org}` (a slug) into the actor for token calls. Unknown organizations and ones the
 * caller does not belong to answer the same 404. A bearer JWT acts only inside the org its
 * platform token belongs to, with the lower of the token's role and the caller's current
 * role there (least privilege: a demoted user's old JWTs shrink with them).
 */
export async function organizationActor(dataSource: DataSource, principal: Principal, slug: string): Promise<TokenActor> {
  const membership = await membershipBySlug(dataSource, principal.userId, slug);
  const outside = principal.kind === 'bearer' && membership?.organizationId !== principal.identity.organizationId;
  if (!membership || outside) throw new OrganizationNotFound(`No organization '${slug}' you belong to.`);
  const role = principal.kind === 'bearer' ? lower(principal.identity.role, membership.role) : membership.role;
  return {
    userId: principal.userId,
    organizationId: membership.organizationId,
    role,
    credential: principal.kind === 'bearer' ? 'jwt' : 'session',
  };
}
