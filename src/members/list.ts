import type { DataSource } from 'typeorm';
import { isRole, type Role } from '../accounts/index.js';
import { dateFromSql } from '../db/index.js';
import { assertMayManageMembers } from './permissions.js';

export interface MemberView {
  id: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

/**
 * The organization's members, by email, for those who may change them (admins and owners;
 * 403 `insufficient_role` for others, who are not told who else belongs).
 */
export async function listMembers(dataSource: DataSource, organizationId: string, actingRole: Role): Promise<MemberView[]> {
  assertMayManageMembers(actingRole);
  const rows: Array<{ id: string; email: string; role: string; created_at: Date | string }> = await dataSource.query(
    `SELECT u.id, u.email, m.role, m.created_at
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.organization_id = ?
      ORDER BY u.email`,
    [organizationId],
  );
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: isRole(row.role) ? row.role : 'viewer',
    joinedAt: dateFromSql(row.created_at),
  }));
}
