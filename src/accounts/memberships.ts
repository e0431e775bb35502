import type { DataSource } from 'typeorm';
import { isRole, type Role } from './roles.js';

/** A user's membership in one organization. */
export interface OrganizationMembership {
  organizationId: string;
  role: Role;
}

/** The user's membership in the organization with this slug; null when either is unknown or the user is not in it. */
export async function membershipBySlug(dataSource: DataSource, userId: string, slug: string): Promise<OrganizationMembership | null> {
  const rows: Array<{ id: string; role: string }> = await dataSource.query(
    `SELECT o.id AS id, m.role AS role
       FROM organizations o JOIN memberships m ON m.organization_id = o.id AND m.user_id = ?
      WHERE o.slug = ?`,
    [userId, slug],
  );
  const row = rows[0];
  return row && isRole(row.role) ? { organizationId: row.id, role: row.role } : null;
}
