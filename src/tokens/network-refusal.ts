import type { DataSource } from 'typeorm';
import { recordAuditEvent } from '../audit/index.js';
import type { UsableToken } from './usable-token.js';

/** How a token was used from outside its networks. */
export type NetworkRefusalAttempt = 'token_exchange' | 'client_credentials' | 'self_roll';

/**
 * Audits a use of a token from outside its allowed networks (`token.exchange_denied`, with the
 * address): the secret was right, so the owner and the organization's admins want to know.
 * The caller answers with the same refusal as for any unusable token.
 */
export async function recordNetworkRefusal(
  dataSource: DataSource,
  token: Pick<UsableToken, 'id' | 'organizationId' | 'userId'>,
  address: string | undefined,
  attempt: NetworkRefusalAttempt,
  now = new Date(),
): Promise<void> {
  await recordAuditEvent(
    dataSource,
    { actorUserId: null, ip: address ?? null, userAgent: null },
    {
      action: 'token.exchange_denied',
      organizationId: token.organizationId,
      tokenId: token.id,
      details: { address: address ?? null, attempt, owner: token.userId },
    },
    now,
  );
}
