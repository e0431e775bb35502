import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { roleWithin, type Role } from '../accounts/index.js';
import { recordAuditEvent, type AuditContext } from '../audit/index.js';
import type { ServiceCatalog } from '../config/index.js';
import { MembershipEntity, PlatformTokenEntity, UserEntity, type PlatformToken, withLock } from '../db/index.js';
import { InvalidRequest, OrganizationNotFound, RoleExceedsMembership, TokenLimitReached } from '../errors/index.js';
import { digestPlatformToken, displayPrefix, mintPlatformToken } from './format.js';
import type { ActorCredential } from './actor.js';
import { refuseLongLivedPlatformSecret } from './credential-limits.js';
import { knownService } from './known-service.js';
import { parseAllowedNetworks, storedNetworks } from './networks.js';
import { scopesForNewToken } from './scopes.js';
import { countLiveTokens } from './query.js';
import { expiryFor, TOKEN_CAP, tokenDescriptionSchema, tokenNameSchema } from './rules.js';
import type { TokenView } from './views.js';

export interface NewPlatformToken {
  /** The services tokens can be bound to (`config.services`). */
  services: ServiceCatalog;
  userId: string;
  organizationId: string;
  /** Service id, e.g. `strings`. */
  service: string;
  name: string;
  description?: string;
  /** A non-empty subset of the service's scopes; all of them when absent. */
  scopes?: readonly string[];
  /** Networks (CIDRs) it may be used from, at most 20; anywhere when absent or empty. */
  allowedIps?: readonly string[];
  /** Defaults to the creator's role in the organization; may not exceed it. */
  role?: Role;
  /**
   * A lower ceiling than the creator's membership role, when they act through a credential
   * with less power (a bearer JWT whose token has a lower role).
   */
  ceiling?: Role;
  /** How the creator proved who they are; a JWT may not create a platform-service token. */
  credential?: ActorCredential;
  /** Who asked and from where; defaults to the owner with no request facts (CLI, tests). */
  audit?: AuditContext;
  now?: Date;
}

export interface CreatedPlatformToken {
  token: TokenView;
  /** The plaintext token. Show it once; it is stored nowhere. */
  secret: string;
}

function validText(input: NewPlatformToken): { name: string; description: string } {
  const name = tokenNameSchema.safeParse(input.name);
  if (!name.success) throw new InvalidRequest(`name: ${name.error.issues[0]?.message}`);
  const description = tokenDescriptionSchema.safeParse(input.description ?? '');
  if (!description.success) throw new InvalidRequest(`description: ${description.error.issues[0]?.message}`);
  return { name: name.data, description: description.data };
}

/**
 * The lock a user's token creations take. The cap is counted afresh under it (not kept in a
 * counter), so deletes, expiry and every other way a token stops being live need no bookkeeping.
 * A membership change holds it too, so a token is never created from a membership that is
 * being removed or lowered.
 */
export function tokenCapLock(userId: string): string {
  return `token-cap:${userId}`;
}

/**
 * Creates a platform token: bound to one service with the chosen scopes (all of the
 * service's by default), a role no higher than the creator's, expiring after 730 days. The
 * per-user cap is counted and the row inserted while holding the user's token-cap lock, a
 * written row that holds across a Galera cluster too, so concurrent creates through any
 * instances end with exactly `TOKEN_CAP`. Only the digest and display prefix are stored.
 */
export async function createPlatformToken(dataSource: DataSource, input: NewPlatformToken): Promise<CreatedPlatformToken> {
  const now = input.now ?? new Date();
  const { name, description } = validText(input);
  const service = knownService(input.services, input.service);
  refuseLongLivedPlatformSecret(input.credential, service.id, 'create');
  const scopes = scopesForNewToken(service, input.scopes);
  const allowedNetworks = parseAllowedNetworks(input.allowedIps);

  return withLock(dataSource, tokenCapLock(input.userId), async (manager) => {
    const membership = await manager
      .getRepository(MembershipEntity)
      .findOneBy({ userId: input.userId, organizationId: input.organizationId });
    if (!membership) throw new OrganizationNotFound();
    const ceiling = input.ceiling && roleWithin(input.ceiling, membership.role) ? input.ceiling : membership.role;
    const role = input.role ?? ceiling;
    if (!roleWithin(role, ceiling)) {
      throw new RoleExceedsMembership(ceiling);
    }
    if ((await countLiveTokens(manager, input.userId, now)) >= TOKEN_CAP) {
      throw new TokenLimitReached(TOKEN_CAP);
    }

    const secret = mintPlatformToken();
    const token: PlatformToken = {
      id: randomUUID(),
      userId: input.userId,
      organizationId: input.organizationId,
      serviceId: service.id,
      role,
      scopes: scopes.join(' '),
      name,
      description,
      digest: digestPlatformToken(secret),
      prefix: displayPrefix(secret),
      previousDigest: null,
      previousPrefix: null,
      previousValidUntil: null,
      rolledAt: null,
      allowedIps: storedNetworks(allowedNetworks),
      seenNetworks: '',
      status: 'active',
      disabledAt: null,
      disabledByUserId: null,
      createdAt: now,
      expiresAt: expiryFor(now),
      lastUsedAt: null,
      lastUsedIp: null,
      deletedAt: null,
      deletedByUserId: null,
      deletionReason: null,
    };
    await manager.getRepository(PlatformTokenEntity).insert(token);
    await recordAuditEvent(
      manager,
      input.audit ?? { actorUserId: input.userId, ip: null, userAgent: null },
      {
        action: 'token.created',
        organizationId: token.organizationId,
        tokenId: token.id,
        details: { name, service: service.id, role, scopes, ...(allowedNetworks.length > 0 && { allowed_ips: allowedNetworks }) },
      },
      now,
    );
    const owner = await manager.getRepository(UserEntity).findOneByOrFail({ id: input.userId });
    return { token: { ...token, ownerEmail: owner.email, ownerRole: membership.role }, secret };
  });
}
