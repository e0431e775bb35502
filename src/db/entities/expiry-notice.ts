import { EntitySchema } from 'typeorm';

/** One row per (token, kind, recipient): the unique key is what makes "exactly once" hold across instances. */
export interface ExpiryNotice {
  id: number;
  tokenId: string;
  /** `7d` or `1d` before expiry. */
  kind: string;
  /** The user the notice goes to: the token's owner, or an admin or owner of its organization. */
  recipientUserId: string;
  claimedAt: Date;
  sentAt: Date | null;
}

export const ExpiryNoticeEntity = new EntitySchema<ExpiryNotice>({
  name: 'ExpiryNotice',
  tableName: 'expiry_notices',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    tokenId: { name: 'token_id', type: 'varchar', length: 36 },
    kind: { type: 'varchar', length: 8 },
    recipientUserId: { name: 'recipient_user_id', type: 'varchar', length: 36, default: '' },
    claimedAt: { name: 'claimed_at', type: 'datetime', precision: 3 },
    sentAt: { name: 'sent_at', type: 'datetime', precision: 3, nullable: true },
  },
});

/** Mail kept when no SMTP_URL is configured, and a record of what was sent when it is. */
export interface OutboxMessage {
  id: number;
  createdAt: Date;
  recipient: string;
  subject: string;
  body: string;
  sentAt: Date | null;
}

export const OutboxMessageEntity = new EntitySchema<OutboxMessage>({
  name: 'OutboxMessage',
  tableName: 'outbox',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    recipient: { type: 'varchar', length: 254 },
    subject: { type: 'varchar', length: 255 },
    body: { type: 'text' },
    sentAt: { name: 'sent_at', type: 'datetime', precision: 3, nullable: true },
  },
});
