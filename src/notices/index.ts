export { runExpiryNotices, NOTICE_WINDOWS, type NoticeRunResult } from './expiry-notices.js';
export { createMailer, type Mail, type Mailer } from './mailer.js';
export { scheduleExpiryNotices } from './scheduler.js';
export { describeExpiry, expiryNoticeSubject } from './expiry-subject.js';
export { sendLeakNotices, type LeakedTokenNotice, type LeakNoticeContext } from './leak-notices.js';
export {
  notificationPreferences,
  saveNotificationPreferences,
  wantsNewNetworkAlerts,
  DEFAULT_NOTIFICATION_PREFERENCES,
  type NotificationPreferences,
} from './preferences.js';
export { newNetworkAlerts, type NewNetworkAlerts, type TokenUse } from './new-network.js';
