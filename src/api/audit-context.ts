import type { Context } from 'koa';
import type { AuditContext } from '../audit/index.js';

/** The request facts an audit event keeps: actor, client IP (proxy-aware per TRUST_PROXY), user agent. */
export function auditContextOf(ctx: Context, actorUserId: string | null): AuditContext {
  return { actorUserId, ip: ctx.ip || null, userAgent: ctx.get('User-Agent') || null };
}
