import type { DataSource } from 'typeorm';
import { canonicalEmail } from '../accounts/index.js';
import { MemberNotFound, OrganizationNotFound } from '../errors/index.js';

/** Which organization and user a command line names by slug and email. */
export interface NamedMember {
  organizationId: string;
  userId: string;
}

/**
 * The member an operator names (`--org SLUG --email E`, any spelling of the email that finds
 * the account): 404 `organization_not_found` for an unknown slug, `member_not_found` for an
 * unknown email or a user who is not in the organization.
 */
export async function memberByEmail(dataSource: DataSource, slug: string, email: string): Promise<NamedMember> {
  const organizations: Array<{ id: string }> = await dataSource.query('SELECT id FROM organizations WHERE slug = ?', [slug]);
  const organizationId = organizations[0]?.id;
  if (!organizationId) throw new OrganizationNotFound(`No organization '${slug}'.`);
  const rows: Array<{ id: string }> = await dataSource.query(
    `SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id AND m.organization_id = ? WHERE u.email = ?`,
    [organizationId, canonicalEmail(email)],
  );
  const userId = rows[0]?.id;
  if (!userId) throw new MemberNotFound(`${canonicalEmail(email)} is not a member of ${slug}.`);
  return { organizationId, userId };
}
