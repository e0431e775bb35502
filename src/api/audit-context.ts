import type { Context } from 'koa';
import type { AuditContext } from '../audit/index.js';
import type { RequestOrigin } from '../session/index.js';

/** Where a request came from: client IP (proxy-aware per TRUST_PROXY) and user agent. */
export function requestOrigin(ctx: Context): RequestOrigin {
  return { ip: ctx.ip, userAgent: ctx.get('User-Agent') || null };
}

/** The request facts an audit event keeps: actor, client IP and user agent. */
export function auditContextOf(ctx: Context, actorUserId: string | null): AuditContext {
  const { ip, userAgent } = requestOrigin(ctx);
  return { actorUserId, ip: ip || null, userAgent };
}
