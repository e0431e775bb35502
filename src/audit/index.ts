/**
 * The audit log: recording events in the transaction of the change they describe, and
 * reading an organization's log page by page.
 */
export { recordAuditEvent, AUDIT_ACTIONS, type AuditAction, type AuditChannel, type AuditContext, type AuditEventInput } from './record.js';
export {
  readAuditLog,
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  type AuditReader,
  type AuditLogQuery,
  type AuditLogPage,
  type AuditEventView,
} from './query.js';
export { encodeAuditCursor, decodeAuditCursor, type AuditCursor } from './cursor.js';
