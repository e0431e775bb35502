import type { DataSource } from 'typeorm';
import { recordAuditEvent, type AuditContext } from '../audit/index.js';
import { inTransaction, PlatformTokenEntity, type PlatformToken, type StoredTokenStatus } from '../db/index.js';
import { DisabledByAdmin, NotTokenOwner } from '../errors/index.js';
import { recordRevocations } from '../revocation/index.js';
import { networksOf, parseAllowedNetworks, storedNetworks } from './networks.js';
import { seesWholeOrganization, type TokenActor } from './actor.js';
import { findVisibleToken } from './query.js';
import type { TokenView } from './views.js';

export interface TokenDetailsChange {
  name?: string;
  description?: string;
  /** The networks it may be used from, replacing the old list; empty for anywhere. */
  allowedIps?: readonly string[];
}

/**
 * Renames or re-describes a token, or changes the networks it may be used from: the only
 * changes a token allows after creation. Only the token's owner may, even in an organization
 * an admin can see whole. Audited when something changed.
 */

export async function changeTokenDetails(
  dataSource: DataSource,
  actor: TokenActor,
  id: string,
  change: TokenDetailsChange,
  audit: AuditContext,
  now = new Date(),
): Promise<TokenView> {
  return inTransaction(dataSource, async (manager) => {
    const token = await findVisibleToken(manager, actor, id, { lock: true });
    if (token.userId !== actor.userId) throw new NotTokenOwner();
    const updates: Partial<Pick<PlatformToken, 'name' | 'description' | 'allowedIps'>> = {};
    if (change.name !== undefined && change.name !== token.name) updates.name = change.name;
    if (change.description !== undefined && change.description !== token.description) updates.description = change.description;
    const networks = change.allowedIps === undefined ? undefined : storedNetworks(parseAllowedNetworks(change.allowedIps));
    if (networks !== undefined && networks !== token.allowedIps) updates.allowedIps = networks;
    if (Object.keys(updates).length === 0) return token;
    await manager.getRepository(PlatformTokenEntity).update({ id: token.id }, updates);
    const details: Record<string, unknown> = {
      fields: Object.keys(updates).map((field) => (field === 'allowedIps' ? 'allowed_ips' : field)),
    };
    if (updates.name !== undefined) details.name = { from: token.name, to: updates.name };
    if (updates.allowedIps !== undefined) {
      details.allowed_ips = { from: networksOf(token.allowedIps), to: networksOf(updates.allowedIps) };
    }
    await recordAuditEvent(
      manager,
      audit,
      { action: 'token.updated', organizationId: token.organizationId, tokenId: token.id, details },
      now,
    );
    return { ...token, ...updates };
  });
}

/**
 * A token someone else disabled — an organization admin or owner, as only they see others'
 * tokens — stays disabled until an admin or owner enables it: an admin's disable is incident
 * response, and the owner whose token it is must not be able to undo it alone.
 */
function refuseUndoingAdminDisable(actor: TokenActor, token: PlatformToken): void {
  const disabledBySomeoneElse = token.disabledByUserId !== null && token.disabledByUserId !== token.userId;
  if (disabledBySomeoneElse && !seesWholeOrganization(actor)) throw new DisabledByAdmin();
}

/**
 * Disables or re-enables a token (its owner, or an org admin/owner; see
 * `refuseUndoingAdminDisable` for who may enable). Idempotent: asking for the status it already
 * has changes and audits nothing. Disabling keeps when and by whom until the token is enabled
 * again. A disabled token stops exchanging at once because every exchange reads the row, and
 * disabling revokes the JWTs it already issued; re-enabling leaves that revocation in place, so
 * only JWTs minted from now on work.
 */
export async function setTokenStatus(
  dataSource: DataSource,
  actor: TokenActor,
  id: string,
  status: StoredTokenStatus,
  audit: AuditContext,
  now = new Date(),
): Promise<TokenView> {
  return inTransaction(dataSource, async (manager) => {
    const token = await findVisibleToken(manager, actor, id, { lock: true });
    if (token.status === status) return token;
    if (status === 'active') refuseUndoingAdminDisable(actor, token);
    const disabled = status === 'disabled';
    await manager
      .getRepository(PlatformTokenEntity)
      .update({ id: token.id }, { status, disabledAt: disabled ? now : null, disabledByUserId: disabled ? actor.userId : null });
    if (disabled) await recordRevocations(manager, [token.id], 'disabled', now);
    await recordAuditEvent(
      manager,
      audit,
      {
        action: disabled ? 'token.disabled' : 'token.enabled',
        organizationId: token.organizationId,
        tokenId: token.id,
        details: { owner: token.userId },
      },
      now,
    );
    return findVisibleToken(manager, actor, id);
  });
}
