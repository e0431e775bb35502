import { EntityManager, type DataSource } from 'typeorm';
import { AuditEventEntity, writeRetrying } from '../db/index.js';
import { maskSecrets } from '../log/index.js';

/** Every action Tollbooth audits. Stable strings: dashboards and alerts match on them. */
export const AUDIT_ACTIONS = [
  'session.login',
  'session.login_failed',
  'session.logout',
  'token.created',
  'token.updated',
  'token.disabled',
  'token.enabled',
  'token.deleted',
  'token.rolled',
  'token.exchange_denied',
  'user.notifications_changed',
  'member.removed',
  'member.role_changed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The ways in that act with a credential rather than a browser session: a JWT on the API or
 * over MCP, a platform token acting on itself (`token`, its self-roll), or an operator at the
 * `tollbooth` command line (`cli`), who acts with database access rather than a membership.
 */
export type AuditChannel = 'api' | 'mcp' | 'token' | 'cli';

/** Who did it and from where; taken from the request by the route, passed down as plain values. */
export interface AuditContext {
  actorUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** How the call came in, when not through a browser session: kept as `details.via`. */
  via?: AuditChannel;
  /**
   * The platform token whose JWT made the call, kept as `details.credential_token_id`, so the
   * trail names the credential as well as the person.
   */
  credentialTokenId?: string;
}

export interface AuditEventInput {
  action: AuditAction;
  organizationId?: string | null;
  tokenId?: string | null;
  /** Small facts worth keeping (old and new name, attempted email). Never a secret. */
  details?: Record<string, unknown>;
}

const USER_AGENT_LENGTH = 512;

function channelDetails({ via, credentialTokenId }: AuditContext): Record<string, string> {
  return { ...(via && { via }), ...(credentialTokenId && { credential_token_id: credentialTokenId }) };
}
const IP_LENGTH = 45;

/**
 * Appends one audit event. The free text in it (user agent, details such as a name or a leak
 * report's source) is masked of platform tokens and JWTs before it is written, then cut to
 * the column's length. Pass the transaction's manager so the event commits or rolls
 * back with the change it describes (and is retried with it); an event recorded on its own
 * (a login) is retried by itself.
 */
export async function recordAuditEvent(
  target: DataSource | EntityManager,
  context: AuditContext,
  event: AuditEventInput,
  now = new Date(),
): Promise<void> {
  const insert = () =>
    target.getRepository(AuditEventEntity).insert({
      createdAt: now,
      action: event.action,
      actorUserId: context.actorUserId,
      organizationId: event.organizationId ?? null,
      tokenId: event.tokenId ?? null,
      ip: context.ip?.slice(0, IP_LENGTH) ?? null,
      userAgent: typeof context.userAgent === 'string' ? maskSecrets(context.userAgent).slice(0, USER_AGENT_LENGTH) : null,
      details: maskSecrets(JSON.stringify({ ...event.details, ...channelDetails(context) })),
    });
  await (target instanceof EntityManager ? insert() : writeRetrying(target, insert));
}
