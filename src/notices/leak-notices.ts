import type { DataSource } from 'typeorm';
import type { Logger } from '../log/index.js';
import type { Mailer } from './mailer.js';

/** A token a leak report revoked, as the notice names it. */
export interface LeakedTokenNotice {
  id: string;
  name: string;
  prefix: string;
  organizationId: string;
  organizationSlug: string;
  ownerEmail: string;
}

export interface LeakNoticeContext {
  /** Where the reporter said the token was found, if they did. */
  source: string | null;
  publicUrl: string;
  now: Date;
}

/** The admins and owners of an organization, who hear about leaks of any of its tokens. */
async function organizationAdmins(dataSource: DataSource, organizationId: string): Promise<string[]> {
  const rows: Array<{ email: string }> = await dataSource.query(
    `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.organization_id = ? AND m.role IN ('admin', 'owner')`,
    [organizationId],
  );
  return rows.map((row) => row.email);
}

function leakNotice(token: LeakedTokenNotice, { source, publicUrl, now }: LeakNoticeContext): { subject: string; text: string } {
  return {
    subject: `Tollbooth token "${token.name}" was reported leaked and has been revoked`,
    text: [
      `The platform token "${token.name}" (${token.prefix}…) in ${token.organizationSlug} was reported as exposed`,
      `to Tollbooth's leaked-credentials endpoint and was revoked at ${now.toISOString()}.`,
      ...(source ? [`The report says it was found at: ${source}`] : []),
      '',
      'It can no longer be exchanged, and JWTs already issued for it are refused by product APIs',
      'that follow the revocation feed. Create a new token where the old one was used, and remove',
      'the exposed copy.',
      '',
      `${publicUrl}/settings/profile/access-tokens`,
    ].join('\n'),
  };
}

/**
 * Mails the owner of each revoked token and its organization's admins and owners, one mail per
 * person and token (outbox, and SMTP when configured). A failed mail is logged, never thrown:
 * the revocation already happened.
 */
export async function sendLeakNotices(
  dataSource: DataSource,
  mailer: Mailer,
  logger: Logger,
  tokens: readonly LeakedTokenNotice[],
  context: LeakNoticeContext,
): Promise<void> {
  for (const token of tokens) {
    const recipients = new Set([token.ownerEmail, ...(await organizationAdmins(dataSource, token.organizationId))]);
    const { subject, text } = leakNotice(token, context);
    for (const to of recipients) {
      try {
        await mailer.send({ to, subject, text });
      } catch (error) {
        logger.warn({ err: error, tokenId: token.id }, 'leak notice not sent');
      }
    }
  }
}
