import type { DataSource } from 'typeorm';
import { isRole, roleRank, type Role } from '../accounts/index.js';
import { NotFoundError } from '../errors/index.js';
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
  const rows: Array<{ id: string; role: string }> = await dataSource.query(
    `SELECT o.id AS id, m.role AS role
       FROM organizations o JOIN memberships m ON m.organization_id = o.id AND m.user_id = ?
      WHERE o.slug = ?`,
    [principal.userId, slug],
  );
  const row = rows[0];
  const outside = principal.kind === 'bearer' && row?.id !== principal.identity.organizationId;
  if (!row || !isRole(row.role) || outside) throw new NotFoundError('organization_not_found', `No organization '${slug}' you belong to.`);
  const role = principal.kind === 'bearer' ? lower(principal.identity.role, row.role) : row.role;
  return { userId: principal.userId, organizationId: row.id, role };
}
