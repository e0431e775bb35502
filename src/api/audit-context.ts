import type { Context } from 'koa';
import type { AuditContext } from '../audit/index.js';
import { clientAddress } from '../http/index.js';
import type { RequestOrigin } from '../session/index.js';
import type { ApiState } from './state.js';

/** Where a request came from: the client address (`clientAddress`) and user agent. */
export function requestOrigin(ctx: Context): RequestOrigin {
  return { ip: clientAddress(ctx), userAgent: ctx.get('User-Agent') || null };
}

/**
 * The request facts an audit event keeps: actor, client IP and user agent, and for a bearer
 * caller the channel and the platform token behind its JWT.
 */
export function auditContextOf(ctx: Context & { state: ApiState }, actorUserId: string | null): AuditContext {
  const { ip, userAgent } = requestOrigin(ctx);
  const facts: AuditContext = { actorUserId, ip: ip || null, userAgent };
  const principal = ctx.state.principal;
  return principal?.kind === 'bearer' ? { ...facts, via: 'api', credentialTokenId: principal.identity.tokenId } : facts;
}
