import type { DataSource } from 'typeorm';
import { ROLES, canManageOrganizationTokens } from '../accounts/index.js';
import { dateFromSql, ExpiryNoticeEntity, isUniqueViolation, sqlDateParameter, writeRetrying } from '../db/index.js';
import type { Logger } from '../log/index.js';
import { expiryNoticeSubject } from './expiry-subject.js';
import type { Mailer } from './mailer.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Expiry notices: 7 days and 1 day before expiry, once each per recipient. The 7-day window
 * stops where the 1-day window starts, so a token never gets both at once.
 */
export const NOTICE_WINDOWS = [
  { kind: '7d', from: 1 * DAY_MS, to: 7 * DAY_MS },
  { kind: '1d', from: 0, to: 1 * DAY_MS },
] as const;

/** Besides its owner, these members of a token's organization hear that it expires: they see and manage every token there. */
const ORGANIZATION_RECIPIENT_ROLES = ROLES.filter(canManageOrganizationTokens);

/** How many (token, recipient) notices one run looks at per window; the next run takes the rest. */
const BATCH = 500;

interface DueRow {
  id: string;
  name: string;
  prefix: string;
  expires_at: Date | string;
  owner_id: string;
  owner_email: string;
  slug: string;
  recipient_id: string;
  recipient_email: string;
}

/**
 * The notices due in a window: each live token expiring in it, once for its owner and once for
 * each admin and owner of its organization (one row per person, also when the owner is an
 * admin), leaving out notices already claimed. Turning expiry notices off leaves a person out
 * of the notices about other people's tokens only: the owner's notice is the one warning that
 * their scripts are about to stop, so it always goes.
 */
async function dueNotices(dataSource: DataSource, kind: string, from: Date, to: Date): Promise<DueRow[]> {
  const roles = ORGANIZATION_RECIPIENT_ROLES.map(() => '?').join(', ');
  return dataSource.query(
    `SELECT t.id, t.name, t.prefix, t.expires_at, t.user_id AS owner_id, owner.email AS owner_email, o.slug,
            r.id AS recipient_id, r.email AS recipient_email
       FROM platform_tokens t
       JOIN organizations o ON o.id = t.organization_id
       JOIN users owner ON owner.id = t.user_id
       JOIN users r ON r.id = t.user_id
         OR r.id IN (SELECT m.user_id FROM memberships m WHERE m.organization_id = t.organization_id AND m.role IN (${roles}))
       LEFT JOIN notification_preferences p ON p.user_id = r.id
      WHERE t.deleted_at IS NULL AND t.expires_at > ? AND t.expires_at <= ?
        AND (r.id = t.user_id OR p.user_id IS NULL OR p.expiry_notices <> 0)
        AND NOT EXISTS (SELECT 1 FROM expiry_notices n WHERE n.token_id = t.id AND n.kind = ? AND n.recipient_user_id = r.id)
      ORDER BY t.expires_at, t.id, r.id
      LIMIT ${BATCH}`,
    [...ORGANIZATION_RECIPIENT_ROLES, sqlDateParameter(dataSource, from), sqlDateParameter(dataSource, to), kind],
  );
}

/**
 * Claims a notice by inserting its (token, kind, recipient) row. The unique key makes the
 * claim atomic across instances: exactly one inserter wins, the others skip. On a Galera
 * cluster two nodes' inserts both succeed locally and the loser learns at commit, as a
 * conflict; retried, it meets the winner's row as a duplicate and skips.
 */
async function claim(dataSource: DataSource, row: DueRow, kind: string, now: Date): Promise<number | null> {
  try {
    const result = await writeRetrying(dataSource, () =>
      dataSource
        .getRepository(ExpiryNoticeEntity)
        .insert({ tokenId: row.id, kind, recipientUserId: row.recipient_id, claimedAt: now, sentAt: null }),
    );
    return result.identifiers[0]?.id as number;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

function noticeText(row: DueRow, expiresAt: Date, publicUrl: string): string {
  const token = `"${row.name}" (${row.prefix}…) in organization ${row.slug}`;
  const own = row.recipient_id === row.owner_id;
  return [
    own
      ? `Your platform token ${token} expires on ${expiresAt.toISOString()}.`
      : `The platform token ${token}, owned by ${row.owner_email}, expires on ${expiresAt.toISOString()}. You are told because you are an admin or owner of the organization.`,
    '',
    own
      ? 'Scripts and CI jobs using it will stop working then. Create a replacement and update them:'
      : 'Scripts and CI jobs using it will stop working then. Its owner can create a replacement:',
    `${publicUrl}/settings/profile/access-tokens`,
    ...(own ? [] : ['', `To stop mails about other people's tokens, turn these notices off: ${publicUrl}/settings/profile/notifications`]),
  ].join('\n');
}

export interface NoticeRunResult {
  sent: number;
  failed: number;
}

/** Finds due notices, claims each, and mails its recipient. Safe to run on every instance at once. */
export async function runExpiryNotices(
  dataSource: DataSource,
  mailer: Mailer,
  logger: Logger,
  now = new Date(),
  publicUrl = '',
): Promise<NoticeRunResult> {
  const result: NoticeRunResult = { sent: 0, failed: 0 };
  for (const window of NOTICE_WINDOWS) {
    const rows = await dueNotices(dataSource, window.kind, new Date(now.getTime() + window.from), new Date(now.getTime() + window.to));
    for (const row of rows) {
      const noticeId = await claim(dataSource, row, window.kind, now);
      if (noticeId === null) continue;
      const expiresAt = dateFromSql(row.expires_at);
      try {
        await mailer.send({
          to: row.recipient_email,
          // The time left when the notice goes, not the window's edge: a token can be found late.
          subject: expiryNoticeSubject(row.name, expiresAt, now, row.recipient_id === row.owner_id ? undefined : row.owner_email),
          text: noticeText(row, expiresAt, publicUrl),
        });
        await writeRetrying(dataSource, () =>
          dataSource.getRepository(ExpiryNoticeEntity).update({ id: noticeId }, { sentAt: new Date() }),
        );
        result.sent += 1;
      } catch (error) {
        // Release the claim so a later run retries this notice.
        await writeRetrying(dataSource, () => dataSource.getRepository(ExpiryNoticeEntity).delete({ id: noticeId }));
        logger.warn({ err: error, tokenId: row.id, kind: window.kind }, 'expiry notice failed; will retry');
        result.failed += 1;
      }
    }
  }
  return result;
}
