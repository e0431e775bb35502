import { z } from 'zod';
import { AUDIT_ACTIONS, encodeAuditCursor, type AuditEventView, type AuditLogPage } from '../audit/index.js';
import { maskSecrets } from '../log/index.js';

/** One audit event as it leaves the server. */
export const auditEventSchema = z.object({
  id: z.int(),
  created_at: z.iso.datetime(),
  action: z.enum(AUDIT_ACTIONS),
  actor: z
    .object({ id: z.uuid(), email: z.string().nullable() })
    .nullable()
    .meta({ description: 'Who did it; null when nobody was logged in.' }),
  token_id: z.uuid().nullable(),
  ip: z.string().nullable().meta({ description: 'Client IP; behind TRUST_PROXY, the one the trusted proxy appended to X-Forwarded-For.' }),
  user_agent: z.string().nullable(),
  details: z
    .record(z.string(), z.unknown())
    .meta({ description: 'Facts about the change (old and new name, service, role); never a secret.' }),
});

/** A page of the audit log, newest first. */
export const auditLogSchema = z.object({
  events: z.array(auditEventSchema),
  next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next (older) page; null on the last page.' }),
});

/**
 * Nothing recorded is secret, but a platform token that reached a free-text field anyway (a
 * user agent, a pasted name) leaves masked.
 */
export function presentAuditEvent(event: AuditEventView): z.infer<typeof auditEventSchema> {
  return {
    id: event.id,
    created_at: event.createdAt.toISOString(),
    action: event.action,
    actor: event.actorUserId ? { id: event.actorUserId, email: event.actorEmail } : null,
    token_id: event.tokenId,
    ip: event.ip,
    user_agent: event.userAgent === null ? null : maskSecrets(event.userAgent),
    details: JSON.parse(maskSecrets(JSON.stringify(event.details))) as Record<string, unknown>,
  };
}

export function presentAuditPage(page: AuditLogPage): z.infer<typeof auditLogSchema> {
  return { events: page.events.map(presentAuditEvent), next_cursor: page.next ? encodeAuditCursor(page.next) : null };
}
