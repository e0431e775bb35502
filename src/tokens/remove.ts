import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { recordAuditEvent, type AuditContext } from '../audit/index.js';
import { inTransaction, PlatformTokenEntity } from '../db/index.js';
import { TokenNotFound } from '../errors/index.js';
import { recordRevocations } from '../revocation/index.js';
import type { TokenActor } from './actor.js';
import { forUpdate, visibleTokens } from './query.js';

/** A bulk delete takes at most 100 ids: one transaction stays short. */
export const BULK_DELETE_MAX = 100;

/**
 * Why a token was deleted, kept on the row: a person deleted it, a leak report revoked it, or
 * its owner left the organization.
 */
export const DELETION_REASONS = ['deleted', 'leaked', 'member_removed'] as const;
export type DeletionReason = (typeof DELETION_REASONS)[number];

export interface Deletion {
  /** The person who deleted the tokens; null when nobody signed in did (a leak report). */
  byUserId: string | null;
  reason: DeletionReason;
}

/**
 * The one write that deletes tokens, inside the caller's transaction: every delete path goes
 * through it, so each deleted row says who deleted it and why, and the JWTs already issued for
 * it are revoked too (the revocation feed publishes them when the transaction commits).
 */
export async function markDeleted(manager: EntityManager, ids: readonly string[], deletion: Deletion, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await manager
    .getRepository(PlatformTokenEntity)
    .update(
      { id: In([...ids]), deletedAt: IsNull() },
      { deletedAt: now, deletedByUserId: deletion.byUserId, deletionReason: deletion.reason },
    );
  await recordRevocations(manager, ids, deletion.reason, now);
}

/** What the audit trail names of a deleted token. */
export interface DeletedToken {
  id: string;
  name: string;
  organizationId: string;
  /** The token's owner. */
  userId: string;
}

/**
 * The `token.deleted` event of one token, inside the deleting transaction: every delete path
 * audits through it, with its reason and any facts of its own (`extra`).
 */
export async function auditDeletion(
  manager: EntityManager,
  audit: AuditContext,
  token: DeletedToken,
  reason: DeletionReason,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await recordAuditEvent(
    manager,
    audit,
    {
      action: 'token.deleted',
      organizationId: token.organizationId,
      tokenId: token.id,
      details: { name: token.name, owner: token.userId, reason, ...extra },
    },
    now,
  );
}

export interface DeletionResult {
  /** Ids deleted by this call, in request order. */
  deleted: string[];
  /** Ids that are unknown, already deleted or not visible to the actor, in request order. */
  notFound: string[];
}

/**
 * Deletes tokens permanently, in one transaction: either every visible one is deleted and
 * audited, or (on failure) none. The row stays with `deleted_at` set, so the audit trail
 * keeps its token ids; no exchange can ever use it again.
 */
export async function deleteTokens(
  dataSource: DataSource,
  actor: TokenActor,
  ids: readonly string[],
  audit: AuditContext,
  now = new Date(),
): Promise<DeletionResult> {
  const wanted = [...new Set(ids)];
  return inTransaction(dataSource, async (manager) => {
    const found =
      wanted.length === 0
        ? []
        : await forUpdate(visibleTokens(manager, actor).andWhere('token.id IN (:...ids)', { ids: wanted })).getMany();
    const byId = new Map(found.map((token) => [token.id, token]));
    const deleted = wanted.filter((id) => byId.has(id));
    await markDeleted(manager, deleted, { byUserId: actor.userId, reason: 'deleted' }, now);
    for (const id of deleted) await auditDeletion(manager, audit, byId.get(id)!, 'deleted', now);
    return { deleted, notFound: wanted.filter((id) => !byId.has(id)) };
  });
}

/** Deletes one token, or 404 `token_not_found`. */
export async function deleteToken(
  dataSource: DataSource,
  actor: TokenActor,
  id: string,
  audit: AuditContext,
  now = new Date(),
): Promise<void> {
  const { deleted } = await deleteTokens(dataSource, actor, [id], audit, now);
  if (deleted.length === 0) throw new TokenNotFound();
}
