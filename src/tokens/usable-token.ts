import type { DataSource } from 'typeorm';
import { isRole, roleWithin, type Role } from '../accounts/index.js';
import type { Service, ServiceCatalog } from '../config/index.js';
import { dateFromSql, queryTimeoutOf } from '../db/index.js';
import { BatchedRead } from './batched-read.js';
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
 * The database half of the rule: active, not deleted, and the owner still a member of the
 * token's organization (expiry is checked against each caller's own clock in `toUsable`). One
 * indexed read by digest or by primary key with the membership joined in, shared by the callers
 * that ask while the previous read is in flight (`BatchedRead`): `… AND t.digest IN (…)`.
 */
const SELECT_USABLE = `
  SELECT t.id, t.user_id, t.organization_id, t.service_id, t.role, t.scopes, t.digest, t.expires_at,
         m.role AS member_role
    FROM platform_tokens t
    JOIN memberships m ON m.user_id = t.user_id AND m.organization_id = t.organization_id
   WHERE t.status = 'active' AND t.deleted_at IS NULL`;

type Column = 'digest' | 'id';

/** One read in flight per column: the next batch forms while it runs. */
const READS_IN_FLIGHT = 1;
/** Far above the callers one instance has waiting at once; more simply wait one more read. */
const KEYS_PER_READ = 500;

const readers = new WeakMap<DataSource, Record<Column, BatchedRead<Row>>>();

function batchedRead(dataSource: DataSource, column: Column): BatchedRead<Row> {
  return new BatchedRead<Row>({
    readMany: (keys) => dataSource.query(`${SELECT_USABLE} AND t.${column} IN (${keys.map(() => '?').join(', ')})`, keys),
    keyOf: (row) => row[column],
    maxInFlight: READS_IN_FLIGHT,
    maxKeys: KEYS_PER_READ,
    releaseSlotAfterMs: queryTimeoutOf(dataSource),
  });
}

function readUsable(dataSource: DataSource, column: Column, value: string): Promise<Row | undefined> {
  let reader = readers.get(dataSource);
  if (!reader) {
    reader = { digest: batchedRead(dataSource, 'digest'), id: batchedRead(dataSource, 'id') };
    readers.set(dataSource, reader);
  }
  return reader[column].read(value);
}

/**
 * The rest of the rule, in one place for every way in (the exchange, client_credentials and
 * the management API's bearer): the presented secret matches (constant time), the token's
 * role does not exceed the owner's current role (a demoted owner's old tokens stop working),
 * and its service is still configured. Returns null otherwise, so callers answer one
 * indistinguishable refusal. Least privilege: scopes the service no longer declares are dropped.
 */
function toUsable(row: Row | undefined, services: ServiceCatalog, digest: string | undefined, now: Date): UsableToken | null {
  if (!row || (digest !== undefined && !digestsEqual(row.digest, digest))) return null;
  const expiresAt = dateFromSql(row.expires_at);
  if (expiresAt.getTime() <= now.getTime()) return null;
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
    expiresAt,
  };
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
  return toUsable(await readUsable(dataSource, 'digest', digest), services, digest, now);
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
  return toUsable(await readUsable(dataSource, 'id', id), services, digestPlatformToken(secret), now);
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
  return toUsable(await readUsable(dataSource, 'id', id), services, undefined, now);
}
