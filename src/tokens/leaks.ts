import type { DataSource } from 'typeorm';
import type { AuditContext } from '../audit/index.js';
import { inTransaction, sqlDateParameter } from '../db/index.js';
import { digestPlatformToken, isWellFormedPlatformToken } from './format.js';
import { auditDeletion, markDeleted } from './remove.js';

/** A leak report carries at most this many strings: one short transaction. */
export const LEAK_REPORT_MAX_CREDENTIALS = 1000;

/** Who reported, for the audit trail: the reporter's address and user agent, and where they found the tokens. */
export interface LeakReporter {
  ip: string | null;
  userAgent: string | null;
  /** The URL the reporter says the tokens were found at, if any. */
  source: string | null;
}

/** A live token a leak report revoked: what its owner and the organization's admins are told. */
export interface RevokedLeakedToken {
  id: string;
  name: string;
  prefix: string;
  organizationId: string;
  organizationSlug: string;
  ownerId: string;
  ownerEmail: string;
}

interface LiveRow {
  id: string;
  name: string;
  digest: string;
  prefix: string;
  previous_prefix: string | null;
  organization_id: string;
  slug: string;
  user_id: string;
  email: string;
}

/**
 * Revokes every live token among `credentials` (deleted, reason `leaked`, audited with the
 * reporter) and returns them. Strings that are not well-formed platform tokens — a wrong
 * checksum above all — are dropped before anything reaches the database; when none is left,
 * nothing is read. Disabled tokens are revoked too; deleted and expired ones are left alone.
 * A rolled token's previous secret counts while its grace period lasts, since it still
 * exchanges then; once the grace period is over it opens nothing and revokes nothing.
 */
export async function revokeLeakedTokens(
  dataSource: DataSource,
  credentials: readonly string[],
  reporter: LeakReporter,
  now = new Date(),
): Promise<RevokedLeakedToken[]> {
  const digests = [...new Set(credentials.filter(isWellFormedPlatformToken))].map(digestPlatformToken);
  if (digests.length === 0) return [];
  return inTransaction(dataSource, async (manager) => {
    const lock = manager.connection.options.type === 'better-sqlite3' ? '' : ' FOR UPDATE';
    const list = digests.map(() => '?').join(', ');
    const sqlNow = sqlDateParameter(dataSource, now);
    const rows: LiveRow[] = await manager.query(
      `SELECT t.id, t.name, t.digest, t.prefix, t.previous_prefix, t.organization_id, o.slug, t.user_id, u.email
         FROM platform_tokens t
         JOIN users u ON u.id = t.user_id
         JOIN organizations o ON o.id = t.organization_id
        WHERE (t.digest IN (${list}) OR (t.previous_digest IN (${list}) AND t.previous_valid_until > ?))
          AND t.deleted_at IS NULL AND t.expires_at > ?${lock}`,
      [...digests, ...digests, sqlNow, sqlNow],
    );
    await markDeleted(
      manager,
      rows.map((row) => row.id),
      { byUserId: null, reason: 'leaked' },
      now,
    );
    const audit: AuditContext = { actorUserId: null, ip: reporter.ip, userAgent: reporter.userAgent };
    // Which secret was reported, so the trail and the mail name the one that leaked.
    const reportedPrevious = (row: LiveRow) => !digests.includes(row.digest);
    for (const row of rows) {
      const token = { id: row.id, name: row.name, organizationId: row.organization_id, userId: row.user_id };
      await auditDeletion(manager, audit, token, 'leaked', now, {
        ...(reportedPrevious(row) && { secret: 'previous' }),
        ...(reporter.source && { source: reporter.source }),
      });
    }
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      prefix: reportedPrevious(row) ? (row.previous_prefix ?? row.prefix) : row.prefix,
      organizationId: row.organization_id,
      organizationSlug: row.slug,
      ownerId: row.user_id,
      ownerEmail: row.email,
    }));
  });
}
