import type { Context } from 'koa';
import type { AuditContext } from '../audit/index.js';
import type { ApiState } from './state.js';

/**
 * The request facts an audit event keeps: actor, client IP (proxy-aware per TRUST_PROXY), user
 * agent, and for a bearer caller the channel and the platform token behind its JWT.
 */
export function auditContextOf(ctx: Context & { state: ApiState }, actorUserId: string | null): AuditContext {
  const facts: AuditContext = { actorUserId, ip: ctx.ip || null, userAgent: ctx.get('User-Agent') || null };
  const principal = ctx.state.principal;
  return principal?.kind === 'bearer' ? { ...facts, via: 'api', credentialTokenId: principal.identity.tokenId } : facts;
}
