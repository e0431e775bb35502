import type { DataSource } from 'typeorm';
import { dateFromSql, sqlDateParameter } from '../db/index.js';
import { isRole, roleWithin, type Role } from '../accounts/index.js';
import { digestPlatformToken, digestsEqual, isWellFormedPlatformToken } from './format.js';

/** A platform token that may be exchanged right now, with what the JWT needs. */
export interface UsableToken {
  id: string;
  userId: string;
  organizationId: string;
  serviceId: string;
  role: Role;
  scopes: string[];
  expiresAt: Date;
}

interface Row {
  id: string;
  user_id: string;
  organization_id: string;
  service_id: string;
  role: string;
  scopes: string;
  digest: string;
  expires_at: Date | string;
  member_role: string;
}

const SELECT_USABLE = `
  SELECT t.id, t.user_id, t.organization_id, t.service_id, t.role, t.scopes, t.digest, t.expires_at,
         m.role AS member_role
    FROM platform_tokens t
    JOIN memberships m ON m.user_id = t.user_id AND m.organization_id = t.organization_id
   WHERE t.status = 'active' AND t.deleted_at IS NULL AND t.expires_at > ?`;

/**
 * Applies the rules every exchange shares: the owner still belongs to the organization and
 * the token's role does not exceed the owner's current role (a demoted owner's old tokens
 * stop working). Returns null otherwise, so callers answer one indistinguishable error.
 */
function toUsable(row: Row | undefined, digest: string): UsableToken | null {
  if (!row || !digestsEqual(row.digest, digest)) return null;
  if (!isRole(row.role) || !isRole(row.member_role) || !roleWithin(row.role, row.member_role)) return null;
  return {
    id: row.id,
    userId: row.user_id,
    organizationId: row.organization_id,
    serviceId: row.service_id,
    role: row.role,
    scopes: row.scopes.split(' ').filter(Boolean),
    expiresAt: dateFromSql(row.expires_at),
  };
}

/**
 * Finds the usable token for a presented secret with one indexed read (by digest).
 * A malformed secret (bad shape or checksum) is refused before touching the database.
 * Never cached: deletion and disabling take effect at once on every instance.
 */
export async function findUsableTokenBySecret(dataSource: DataSource, secret: unknown, now = new Date()): Promise<UsableToken | null> {
  if (!isWellFormedPlatformToken(secret)) return null;
  const digest = digestPlatformToken(secret);
  const rows: Row[] = await dataSource.query(`${SELECT_USABLE} AND t.digest = ?`, [sqlDateParameter(dataSource, now), digest]);
  return toUsable(rows[0], digest);
}

/**
 * The same for `client_credentials`, where the token id (client_id) names the row and the
 * secret must match its digest in constant time.
 */
export async function findUsableTokenById(
  dataSource: DataSource,
  id: string,
  secret: unknown,
  now = new Date(),
): Promise<UsableToken | null> {
  if (!isWellFormedPlatformToken(secret) || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const rows: Row[] = await dataSource.query(`${SELECT_USABLE} AND t.id = ?`, [sqlDateParameter(dataSource, now), id]);
  return toUsable(rows[0], digestPlatformToken(secret));
}
