import type { EntityManager } from 'typeorm';
import { TokenRevocationEntity } from '../db/index.js';

/**
 * Why a token's JWTs were revoked: it was deleted (by a person, by a leak report, with its
 * owner's membership) or disabled, or its owner's role fell below the token's.
 */
export const REVOCATION_REASONS = ['deleted', 'disabled', 'leaked', 'member_removed', 'role_lowered'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * Records that JWTs of these tokens issued before `now` are dead, inside the caller's
 * transaction, so the revocation is published exactly when the change commits. A token keeps
 * one row: a later revocation moves its time forward.
 */
export async function recordRevocations(
  manager: EntityManager,
  tokenIds: readonly string[],
  reason: RevocationReason,
  now: Date,
): Promise<void> {
  if (tokenIds.length === 0) return;
  await manager.getRepository(TokenRevocationEntity).upsert(
    tokenIds.map((tokenId) => ({ tokenId, notBefore: now, reason })),
    ['tokenId'],
  );
}
