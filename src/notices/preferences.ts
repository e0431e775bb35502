import type { DataSource } from 'typeorm';
import { recordAuditEvent, type AuditContext } from '../audit/index.js';
import { inTransaction, NotificationPreferenceEntity } from '../db/index.js';

/** Which mails a person wants. */
export interface NotificationPreferences {
  /**
   * Mails before another member's token expires, in organizations where they are an admin or
   * owner. The mails about their own tokens come whatever this says.
   */
  expiryNotices: boolean;
  /** Mails when one of their tokens is first used from a network it has not used before. */
  newNetworkAlerts: boolean;
}

/** Everyone gets every mail until they turn one off. */
export const DEFAULT_NOTIFICATION_PREFERENCES: Readonly<NotificationPreferences> = Object.freeze({
  expiryNotices: true,
  newNetworkAlerts: true,
});

/** A person's preferences; the defaults when they never changed any. */
export async function notificationPreferences(dataSource: DataSource, userId: string): Promise<NotificationPreferences> {
  const row = await dataSource.getRepository(NotificationPreferenceEntity).findOneBy({ userId });
  if (!row) return { ...DEFAULT_NOTIFICATION_PREFERENCES };
  return { expiryNotices: Boolean(row.expiryNotices), newNetworkAlerts: Boolean(row.newNetworkAlerts) };
}

/**
 * Stores a person's preferences (both, as a PUT gives them) and audits the change in the same
 * transaction: turning an alert off is what someone who took over a session would do first.
 */
export async function saveNotificationPreferences(
  dataSource: DataSource,
  userId: string,
  preferences: NotificationPreferences,
  audit: AuditContext,
  now = new Date(),
): Promise<NotificationPreferences> {
  return inTransaction(dataSource, async (manager) => {
    const repository = manager.getRepository(NotificationPreferenceEntity);
    const before = await repository.findOneBy({ userId });
    const previous = before
      ? { expiryNotices: Boolean(before.expiryNotices), newNetworkAlerts: Boolean(before.newNetworkAlerts) }
      : DEFAULT_NOTIFICATION_PREFERENCES;
    if (previous.expiryNotices === preferences.expiryNotices && previous.newNetworkAlerts === preferences.newNetworkAlerts) {
      return { ...previous };
    }
    await repository.upsert({ userId, ...preferences, updatedAt: now }, ['userId']);
    await recordAuditEvent(
      manager,
      audit,
      {
        action: 'user.notifications_changed',
        details: { expiry_notices: preferences.expiryNotices, new_network_alerts: preferences.newNetworkAlerts },
      },
      now,
    );
    return { ...preferences };
  });
}

/**
 * Whether a token's owner wants the mail about a first use from a new network. The alert code
 * asks right before it mails, after recording the network as seen, so an alert skipped while
 * they are off is not sent later when they turn alerts back on.
 *
 * @example
 * if (await wantsNewNetworkAlerts(dataSource, token.userId)) await mailer.send(alert);
 */
export async function wantsNewNetworkAlerts(dataSource: DataSource, userId: string): Promise<boolean> {
  return (await notificationPreferences(dataSource, userId)).newNetworkAlerts;
}
