import type { DataSource, EntityManager } from 'typeorm';
import { recordAuditEvent, type AuditContext } from '../audit/index.js';
import type { ServiceCatalog } from '../config/index.js';
import { inTransaction, PlatformTokenEntity, type PlatformToken } from '../db/index.js';
import { InvalidRequest, NotTokenOwner, TokenExpired } from '../errors/index.js';
import type { TokenActor } from './actor.js';
import { refuseLongLivedPlatformSecret } from './credential-limits.js';
import { digestPlatformToken, displayPrefix, mintPlatformToken } from './format.js';
import { findVisibleToken, forUpdate } from './query.js';
import { ROLL_GRACE_DEFAULT_SECONDS, ROLL_GRACE_MAX_SECONDS } from './rules.js';
import { tokenStatus } from './status.js';
import type { NetworkRefusalAttempt } from './network-refusal.js';
import { networksAllow } from './networks.js';
import { findUsableTokenBySecret, type UsableToken } from './usable-token.js';
import { withOwners, type TokenView } from './views.js';

export interface RollOptions {
  /** How long the replaced secret keeps working: 0–86400 seconds, 3600 when absent. */
  graceSeconds?: number;
  audit: AuditContext;
  now?: Date;
}

/** A self-roll: the caller's address, for the token's network rule, and who hears of a refusal by it. */
export interface PresentedRollOptions extends RollOptions {
  address: string | undefined;
  /** Told when the secret was right but the address is outside the token's networks. */
  onNetworkRefusal?: (token: UsableToken, address: string | undefined, attempt: NetworkRefusalAttempt) => Promise<void>;
}

export interface RolledToken {
  /** The same token: id, name, service, role, scopes, organization and expiry unchanged. */
  token: TokenView;
  /** The new plaintext secret. Show it once; it is stored nowhere. */
  secret: string;
}

function graceOf(graceSeconds: number | undefined): number {
  const grace = graceSeconds ?? ROLL_GRACE_DEFAULT_SECONDS;
  if (!Number.isInteger(grace) || grace < 0 || grace > ROLL_GRACE_MAX_SECONDS) {
    throw new InvalidRequest(`grace_seconds: must be a whole number of seconds from 0 to ${ROLL_GRACE_MAX_SECONDS}`);
  }
  return grace;
}

/**
 * Gives a locked token a new secret. The secret it had becomes the previous one until the
 * grace period ends; a previous secret from an earlier roll ends at once (a token holds at
 * most one). With no grace, the old secret stops working with this commit.
 */
async function rollLocked(manager: EntityManager, token: TokenView, grace: number, audit: AuditContext, now: Date): Promise<RolledToken> {
  if (tokenStatus(token, now) === 'expired') throw new TokenExpired('An expired token cannot be rolled; create a new one.');
  const secret = mintPlatformToken();
  const keepsPrevious = grace > 0;
  const changes: Partial<PlatformToken> = {
    digest: digestPlatformToken(secret),
    prefix: displayPrefix(secret),
    previousDigest: keepsPrevious ? token.digest : null,
    previousPrefix: keepsPrevious ? token.prefix : null,
    previousValidUntil: keepsPrevious ? new Date(now.getTime() + grace * 1000) : null,
    rolledAt: now,
  };
  await manager.getRepository(PlatformTokenEntity).update({ id: token.id }, changes);
  const endedPrevious = token.previousValidUntil !== null && token.previousValidUntil > now;
  await recordAuditEvent(
    manager,
    audit,
    {
      action: 'token.rolled',
      organizationId: token.organizationId,
      tokenId: token.id,
      details: {
        name: token.name,
        owner: token.userId,
        grace_seconds: grace,
        previous_valid_until: changes.previousValidUntil?.toISOString() ?? null,
        ...(endedPrevious && { ended_earlier_previous: true }),
      },
    },
    now,
  );
  return { token: { ...token, ...changes }, secret };
}

/**
 * Rolls a token for its owner (even an admin who sees the whole organization may not: the
 * new secret is a credential of the owner's). Disabled tokens may be rolled and stay
 * disabled; an expired one may not; a platform-service one not through a JWT.
 */
export async function rollToken(dataSource: DataSource, actor: TokenActor, id: string, options: RollOptions): Promise<RolledToken> {
  const grace = graceOf(options.graceSeconds);
  const now = options.now ?? new Date();
  return inTransaction(dataSource, async (manager) => {
    const token = await findVisibleToken(manager, actor, id, { lock: true });
    if (token.userId !== actor.userId) throw new NotTokenOwner('roll it');
    refuseLongLivedPlatformSecret(actor.credential, token.serviceId, 'roll');
    return rollLocked(manager, token, grace, options.audit, now);
  });
}

/**
 * Rolls the token whose current secret is presented, with no person involved (a CI job
 * rotating its own credential). The token must be usable under the exchange's rule, and
 * the secret must be the current one: a previous secret, still inside its grace period,
 * cannot roll; and the caller's address must be inside the token's networks, if it has any.
 * Null when any of that fails, so the caller answers one refusal. Under the
 * row lock the secret is checked again, so of two rolls racing with one secret, one wins.
 * Audited as done by the owner through the token itself.
 */
export async function rollPresentedToken(
  dataSource: DataSource,
  services: ServiceCatalog,
  secret: unknown,
  options: PresentedRollOptions,
): Promise<RolledToken | null> {
  const grace = graceOf(options.graceSeconds);
  const now = options.now ?? new Date();
  const usable = await findUsableTokenBySecret(dataSource, services, secret, now);
  if (!usable || usable.presented !== 'current') return null;
  if (!networksAllow(usable.allowedNetworks, options.address)) {
    await options.onNetworkRefusal?.(usable, options.address, 'self_roll');
    return null;
  }
  return inTransaction(dataSource, async (manager) => {
    const query = manager
      .getRepository(PlatformTokenEntity)
      .createQueryBuilder('token')
      .where('token.id = :id', { id: usable.id })
      .andWhere('token.digest = :digest', { digest: digestPlatformToken(secret as string) })
      .andWhere("token.status = 'active' AND token.deletedAt IS NULL");
    const locked = await forUpdate(query).getOne();
    if (!locked) return null;
    const [token] = await withOwners(manager, [locked]);
    const audit: AuditContext = { ...options.audit, actorUserId: token!.userId, via: 'token', credentialTokenId: token!.id };
    return rollLocked(manager, token!, grace, audit, now);
  });
}
