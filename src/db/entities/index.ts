export * from './organization.js';
export * from './user.js';
export * from './membership.js';
export * from './platform-token.js';
export * from './signing-key.js';
export * from './audit-event.js';
export * from './session.js';
export * from './expiry-notice.js';
export * from './notification-preference.js';
export * from './token-revocation.js';

import { OrganizationEntity } from './organization.js';
import { UserEntity } from './user.js';
import { MembershipEntity } from './membership.js';
import { PlatformTokenEntity } from './platform-token.js';
import { SigningKeyEntity } from './signing-key.js';
import { AuditEventEntity } from './audit-event.js';
import { SessionEntity } from './session.js';
import { ExpiryNoticeEntity, OutboxMessageEntity } from './expiry-notice.js';
import { NotificationPreferenceEntity } from './notification-preference.js';
import { TokenRevocationEntity } from './token-revocation.js';

export const allEntities = [
  OrganizationEntity,
  UserEntity,
  MembershipEntity,
  PlatformTokenEntity,
  SigningKeyEntity,
  AuditEventEntity,
  SessionEntity,
  ExpiryNoticeEntity,
  OutboxMessageEntity,
  NotificationPreferenceEntity,
  TokenRevocationEntity,
];
