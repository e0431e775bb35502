import type { DataSource } from 'typeorm';
import { isRole, roleWithin, type Role } from '../accounts/index.js';
import type { Service, ServiceCatalog } from '../config/index.js';
import { causalSelect, dateFromSql, preparedRead, queryTimeoutOf } from '../db/index.js';
import { BatchedRead } from './batched-read.js';
import { digestPlatformToken, digestsEqual, isWellFormedPlatformToken } from './format.js';
import { networksOf } from './networks.js';
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
  /**
   * Which secret was presented: the current one, or the one the last roll replaced (still
   * inside its grace period). Undefined when no secret was presented (a bearer JWT's re-check).
   */
  presented?: 'current' | 'previous';
  /** The networks it may be used from (canonical CIDRs); empty for anywhere. See `networksAllow`. */
  allowedNetworks: string[];
  /** Keys of the networks it was exchanged from (`networkOfUse`), oldest first. */
  seenNetworks: string[];
}

interface Row {
  id: string;
  user_id: string;
  organization_id: string;
  service_id: string;
  role: string;
  scopes: string;
  digest: string;
  previous_digest: string | null;
  previous_valid_until: Date | string | null;
  allowed_ips: string;
  seen_networks: string;
  expires_at: Date | string;
  member_role: string;
}

/**
 * The database half of the rule: active, not deleted, and the owner still a member of the
 * token's organization (expiry is checked against each caller's own clock in `toUsable`). One
 * indexed read by digest or by primary key with the membership joined in, shared by the callers
 * that ask while the previous read is in flight (`BatchedRead`): `… AND t.id IN (…)`. A secret
 * is looked for among both digests a token may hold (the current one and, after a roll, the
 * previous one), each under its own unique index, in the same statement. On a Galera cluster
 * the read is causal (`causalSelect`): a token deleted, disabled or rolled through any node is
 * refused here at once, not only once this node has applied that change.
 */
const SELECT_USABLE = `
  SELECT t.id, t.user_id, t.organization_id, t.service_id, t.role, t.scopes, t.digest, t.expires_at,
         t.previous_digest, t.previous_valid_until, t.allowed_ips, t.seen_networks, m.role AS member_role
    FROM platform_tokens t
    JOIN memberships m ON m.user_id = t.user_id AND m.organization_id = t.organization_id
   WHERE t.status = 'active' AND t.deleted_at IS NULL`;

/** One read in flight per kind: the next batch forms while it runs. */
const READS_IN_FLIGHT = 1;
/** Far above the callers one instance has waiting at once; more simply wait one more read. */
const KEYS_PER_READ = 500;

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/**
 * The keys of one read, repeated (the last one) up to the next power of two: the statement is
 * prepared once per text on each connection, so ten texts per kind of read serve every batch
 * size up to `KEYS_PER_READ`. A key named twice in `IN (…)` finds its row once.
 */
function paddedKeys(keys: string[]): string[] {
  let size = 1;
  while (size < keys.length) size *= 2;
  return size === keys.length ? keys : [...keys, ...Array.from({ length: size - keys.length }, () => keys[keys.length - 1]!)];
}

interface Readers {
  byId: BatchedRead<Row>;
  byDigest: BatchedRead<Row>;
}

const readers = new WeakMap<DataSource, Readers>();

function readersFor(dataSource: DataSource): Readers {
  let found = readers.get(dataSource);
  if (!found) {
    const common = { maxInFlight: READS_IN_FLIGHT, maxKeys: KEYS_PER_READ, releaseSlotAfterMs: queryTimeoutOf(dataSource) };
    found = {
      byId: new BatchedRead<Row>({
        ...common,
        readMany: (keys) => {
          const ids = paddedKeys(keys);
          return preparedRead<Row>(dataSource, causalSelect(dataSource, `${SELECT_USABLE} AND t.id IN (${placeholders(ids.length)})`), ids);
        },
        keysOf: (row) => [row.id],
      }),
      byDigest: new BatchedRead<Row>({
        ...common,
        readMany: (keys) => {
          const digests = paddedKeys(keys);
          const list = placeholders(digests.length);
          return preparedRead<Row>(
            dataSource,
            causalSelect(dataSource, `${SELECT_USABLE} AND (t.digest IN (${list}) OR t.previous_digest IN (${list}))`),
            [...digests, ...digests],
          );
        },
        // The current digest last, so it wins should a digest ever be both.
        keysOf: (row) => (row.previous_digest === null ? [row.digest] : [row.previous_digest, row.digest]),
      }),
    };
    readers.set(dataSource, found);
  }
  return found;
}

/**
 * The rest of the rule, in one place for every way in (the exchange, client_credentials and
 * the management API's bearer): the presented secret matches (constant time), the token's
 * role does not exceed the owner's current role (a demoted owner's old tokens stop working),
 * and its service is still configured. Returns null otherwise, so callers answer one
 * indistinguishable refusal. Least privilege: scopes the service no longer declares are dropped.
 */
function toUsable(row: Row | undefined, services: ServiceCatalog, digest: string | undefined, now: Date): UsableToken | null {
  if (!row) return null;
  const expiresAt = dateFromSql(row.expires_at);
  if (expiresAt.getTime() <= now.getTime()) return null;
  const presented = digest === undefined ? undefined : whichSecret(row, digest, now);
  if (digest !== undefined && presented === undefined) return null;
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
    allowedNetworks: networksOf(row.allowed_ips),
    seenNetworks: networksOf(row.seen_networks),
    ...(presented && { presented }),
  };
}

/**
 * The secret a digest belongs to: the current one, or the previous one until its grace period
 * ends (then it is refused like any unknown secret). Both compared in constant time.
 */
function whichSecret(row: Row, digest: string, now: Date): 'current' | 'previous' | undefined {
  if (digestsEqual(row.digest, digest)) return 'current';
  const graceEnds = row.previous_valid_until === null ? undefined : dateFromSql(row.previous_valid_until);
  if (row.previous_digest !== null && graceEnds !== undefined && graceEnds > now && digestsEqual(row.previous_digest, digest)) {
    return 'previous';
  }
  return undefined;
}

function readById(dataSource: DataSource, id: string): Promise<Row | undefined> {
  return readersFor(dataSource).byId.read(id);
}

function readByDigest(dataSource: DataSource, digest: string): Promise<Row | undefined> {
  return readersFor(dataSource).byDigest.read(digest);
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
  return toUsable(await readByDigest(dataSource, digest), services, digest, now);
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
  return toUsable(await readById(dataSource, id), services, digestPlatformToken(secret), now);
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
  return toUsable(await readById(dataSource, id), services, undefined, now);
}
