import type { DataSource } from 'typeorm';
import { dateFromSql, ExpiryNoticeEntity, isUniqueViolation, sqlDateParameter, writeRetrying } from '../db/index.js';
import type { Logger } from '../log/index.js';
import { expiryNoticeSubject } from './expiry-subject.js';
import type { Mailer } from './mailer.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Expiry notices: the owner hears 7 days and 1 day before expiry, once each. The
 * 7-day window stops where the 1-day window starts, so a token never gets both at once.
 */
export const NOTICE_WINDOWS = [
  { kind: '7d', from: 1 * DAY_MS, to: 7 * DAY_MS },
  { kind: '1d', from: 0, to: 1 * DAY_MS },
] as const;

interface DueRow {
  id: string;
  name: string;
  prefix: string;
  expires_at: Date | string;
  email: string;
  slug: string;
}

async function dueTokens(dataSource: DataSource, kind: string, from: Date, to: Date): Promise<DueRow[]> {
  return dataSource.query(
    `SELECT t.id, t.name, t.prefix, t.expires_at, u.email, o.slug
       FROM platform_tokens t
       JOIN users u ON u.id = t.user_id
       JOIN organizations o ON o.id = t.organization_id
      WHERE t.deleted_at IS NULL AND t.expires_at > ? AND t.expires_at <= ?
        AND NOT EXISTS (SELECT 1 FROM expiry_notices n WHERE n.token_id = t.id AND n.kind = ?)
      ORDER BY t.expires_at
      LIMIT 500`,
    [sqlDateParameter(dataSource, from), sqlDateParameter(dataSource, to), kind],
  );
}

/**
 * Claims a notice by inserting its (token, kind) row. The unique key makes the claim
 * atomic across instances: exactly one inserter wins, the others skip. On a Galera cluster two
 * nodes' inserts both succeed locally and the loser learns at commit, as a conflict; retried,
 * it meets the winner's row as a duplicate and skips.
 */
async function claim(dataSource: DataSource, tokenId: string, kind: string, now: Date): Promise<number | null> {
  try {
    const result = await writeRetrying(dataSource, () =>
      dataSource.getRepository(ExpiryNoticeEntity).insert({ tokenId, kind, claimedAt: now, sentAt: null }),
    );
    return result.identifiers[0]?.id as number;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export interface NoticeRunResult {
  sent: number;
  failed: number;
}

/** Finds due notices, claims each, and mails the owner. Safe to run on every instance at once. */
export async function runExpiryNotices(
  dataSource: DataSource,
  mailer: Mailer,
  logger: Logger,
  now = new Date(),
  publicUrl = '',
): Promise<NoticeRunResult> {
  const result: NoticeRunResult = { sent: 0, failed: 0 };
  for (const window of NOTICE_WINDOWS) {
    const rows = await dueTokens(dataSource, window.kind, new Date(now.getTime() + window.from), new Date(now.getTime() + window.to));
    for (const row of rows) {
      const noticeId = await claim(dataSource, row.id, window.kind, now);
      if (noticeId === null) continue;
      const expiresAt = dateFromSql(row.expires_at);
      try {
        await mailer.send({
          to: row.email,
          // The time left when the notice goes, not the window's edge: a token can be found late.
          subject: expiryNoticeSubject(row.name, expiresAt, now),
          text: [
            `Your platform token "${row.name}" (${row.prefix}…) in organization ${row.slug} expires on ${expiresAt.toISOString()}.`,
            '',
            'Scripts and CI jobs using it will stop working then. Create a replacement and update them:',
            `${publicUrl}/settings/profile/access-tokens`,
          ].join('\n'),
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
