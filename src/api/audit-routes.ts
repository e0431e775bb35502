import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  AUDIT_ACTIONS,
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  decodeAuditCursor,
  encodeAuditCursor,
  readAuditLog,
  type AuditEventView,
} from '../audit/index.js';
import { scrubSecrets } from '../log/index.js';
import { principalOf } from './authenticate.js';
import { organizationActor } from './organization-access.js';
import type { ApiState } from './state.js';
import { optionalParameter } from './token-schemas.js';
import { parseInput } from './validate.js';

/** `GET /api/orgs/{org}/audit` query. Unknown parameters are refused, as on the token list. */
export const auditQuerySchema = z.strictObject({
  limit: optionalParameter(
    z
      .string()
      .regex(/^\d{1,4}$/, `a whole number from 1 to ${AUDIT_PAGE_MAX}`)
      .transform(Number)
      .pipe(z.number().int().min(1).max(AUDIT_PAGE_MAX)),
  ).transform((limit) => limit ?? AUDIT_PAGE_DEFAULT),
  cursor: optionalParameter(
    z
      .string()
      .refine((text) => decodeAuditCursor(text) !== null, 'not a cursor this API handed out (use next_cursor)')
      .transform((text) => decodeAuditCursor(text)!),
  ),
  action: optionalParameter(z.enum(AUDIT_ACTIONS)),
  token_id: optionalParameter(z.uuid()),
});

/**
 * One audit event as it leaves the server. Nothing recorded is secret, but a platform token
 * that reached a free-text field anyway (a user agent, a pasted name) leaves masked.
 */
export function presentAuditEvent(event: AuditEventView) {
  return {
    id: event.id,
    created_at: event.createdAt.toISOString(),
    action: event.action,
    actor: event.actorUserId ? { id: event.actorUserId, email: event.actorEmail } : null,
    token_id: event.tokenId,
    ip: event.ip,
    user_agent: event.userAgent === null ? null : scrubSecrets(event.userAgent),
    details: JSON.parse(scrubSecrets(JSON.stringify(event.details))) as Record<string, unknown>,
  };
}

/** The organization's audit log, newest first, for its admins and owners. */
export function registerAuditRoutes(
  router: Router<ApiState>,
  { dataSource, authenticated }: { dataSource: DataSource; authenticated: Middleware },
): void {
  router.get('/api/orgs/:org/audit', authenticated, async (ctx) => {
    // Unknown org, or one the caller (or a bearer's token) is not in: the same 404 as the token API.
    const reader = await organizationActor(dataSource, principalOf(ctx), ctx.params.org!);
    const { limit, cursor, action, token_id: tokenId } = parseInput(auditQuerySchema, ctx.query);
    const page = await readAuditLog(dataSource, reader, { limit, after: cursor, action, tokenId });
    ctx.body = { events: page.events.map(presentAuditEvent), next_cursor: page.next ? encodeAuditCursor(page.next) : null };
  });
}
