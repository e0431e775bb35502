import type { DataSource } from 'typeorm';
import { isRole, roleWithin, type Role } from '../accounts/index.js';
import type { Service, ServiceCatalog } from '../config/index.js';
import { causalSelect, dateFromSql, sqlDateParameter } from '../db/index.js';
import { digestPlatformToken, digestsEqual, isWellFormedPlatformToken } from './format.js';
import { isTokenId } from './token-id.js';

/** A platform token that may be used right now, with what a JWT for it needs. */
export interface UsableToken {
  id: string;
  userId: string;
  organizationId: string;
  serviceId: string;
  /** The configured service the token is bound to. */
  service: Service;
  role: Role;
  /** The token's scopes that its service still declares. */
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

/**
 * The database half of the rule: active, not deleted, not expired, and the owner still a
 * member of the token's organization. One indexed read (by digest or by primary key) with the
 * membership joined in: the exchange's hot path costs exactly this one query.
 */
const SELECT_USABLE = `
  SELECT t.id, t.user_id, t.organization_id, t.service_id, t.role, t.scopes, t.digest, t.expires_at,
         m.role AS member_role
    FROM platform_tokens t
    JOIN memberships m ON m.user_id = t.user_id AND m.organization_id = t.organization_id
   WHERE t.status = 'active' AND t.deleted_at IS NULL AND t.expires_at > ?`;

/**
 * The rest of the rule, in one place for every way in (the exchange, client_credentials and
 * the management API's bearer): the presented secret matches (constant time), the token's
 * role does not exceed the owner's current role (a demoted owner's old tokens stop working),
 * and its service is still configured. Returns null otherwise, so callers answer one
 * indistinguishable refusal. Least privilege: scopes the service no longer declares are dropped.
 */
function toUsable(row: Row | undefined, services: ServiceCatalog, digest: string | undefined): UsableToken | null {
  if (!row || (digest !== undefined && !digestsEqual(row.digest, digest))) return null;
  if (!isRole(row.role) || !isRole(row.member_role) || !roleWithin(row.role, row.member_role)) return null;
  const service = services.get(row.service_id);
  if (!service) return null;
  return {
    id: row.id,
    userId: row.user_id,
    organizationId: row.organization_id,
    serviceId: row.service_id,
    service,
    role: row.role,
    scopes: row.scopes.split(' ').filter((scope) => scope !== '' && service.scopes.includes(scope)),
    expiresAt: dateFromSql(row.expires_at),
  };
}

/**
 * A causal read on a Galera cluster: a token deleted or disabled through any node is refused
 * here at once, not only once this node has applied that change.
 */
async function readUsable(dataSource: DataSource, column: 'digest' | 'id', value: string, now: Date): Promise<Row | undefined> {
  const rows: Row[] = await dataSource.query(causalSelect(dataSource, `${SELECT_USABLE} AND t.${column} = ?`), [
    sqlDateParameter(dataSource, now),
    value,
  ]);
  return rows[0];
}

/**
 * The usable token for a presented secret (RFC 8693 exchange), found by its digest. A
 * malformed secret (bad shape or checksum) is refused before touching the database. Never
 * cached: deletion and disabling take effect at once on every instance.
 */
export async function findUsableTokenBySecret(
  dataSource: DataSource,
  services: ServiceCatalog,
  secret: unknown,
  now = new Date(),
): Promise<UsableToken | null> {
  if (!isWellFormedPlatformToken(secret)) return null;
  const digest = digestPlatformToken(secret);
  return toUsable(await readUsable(dataSource, 'digest', digest, now), services, digest);
}

/**
 * The same for `client_credentials`, where the token id (client_id) names the row and the
 * secret must match its digest.
 */
export async function findUsableTokenById(
  dataSource: DataSource,
  services: ServiceCatalog,
  id: string,
  secret: unknown,
  now = new Date(),
): Promise<UsableToken | null> {
  if (!isWellFormedPlatformToken(secret) || !isTokenId(id)) return null;
  return toUsable(await readUsable(dataSource, 'id', id, now), services, digestPlatformToken(secret));
}

/**
 * The token a JWT we minted and have just verified was exchanged for, if it is still usable:
 * the token may have been deleted or disabled, or its owner demoted or removed, since. No
 * secret: the JWT's signature already proves who presented it.
 */
export async function findStillUsableToken(
  dataSource: DataSource,
  services: ServiceCatalog,
  id: string,
  now = new Date(),
): Promise<UsableToken | null> {
  if (!isTokenId(id)) return null;
  return toUsable(await readUsable(dataSource, 'id', id, now), services, undefined);
}
