import { EntitySchema } from 'typeorm';

/**
 * What a person wants mailed. A person without a row gets everything: both are on by default,
 * and the row appears the first time they change one.
 */
export interface NotificationPreference {
  userId: string;
  /** Mails before a token they own, or (as an org admin or owner) one of their org's, expires. */
  expiryNotices: boolean;
  /** Mails when one of their tokens is first used from a new network. */
  newNetworkAlerts: boolean;
  updatedAt: Date;
}

export const NotificationPreferenceEntity = new EntitySchema<NotificationPreference>({
  name: 'NotificationPreference',
  tableName: 'notification_preferences',
  columns: {
    userId: { name: 'user_id', type: 'varchar', length: 36, primary: true },
    expiryNotices: { name: 'expiry_notices', type: 'boolean', default: true },
    newNetworkAlerts: { name: 'new_network_alerts', type: 'boolean', default: true },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});
