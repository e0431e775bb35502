import type { DataSource } from 'typeorm';
import { isRole, type Role } from '../accounts/index.js';

export interface SessionOrganization {
  id: string;
  slug: string;
  role: Role;
}

/** The organizations a user belongs to, with their role in each, ordered by slug. */
export async function organizationsOf(dataSource: DataSource, userId: string): Promise<SessionOrganization[]> {
  const rows: Array<{ id: string; slug: string; role: string }> = await dataSource.query(
    `SELECT o.id AS id, o.slug AS slug, m.role AS role
       FROM memberships m JOIN organizations o ON o.id = m.organization_id
      WHERE m.user_id = ?
      ORDER BY o.slug`,
    [userId],
  );
  return rows.filter((row) => isRole(row.role)).map((row) => ({ id: row.id, slug: row.slug, role: row.role as Role }));
}
