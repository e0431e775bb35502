import type { DataSource } from 'typeorm';
import { PlatformTokenEntity, writeRetrying } from '../db/index.js';
import { networksOf } from './networks.js';

/**
 * How many networks a token remembers. Beyond it the oldest is forgotten (a network seen
 * again after that counts as new once more), which keeps the column small: 60 keys of at most
 * 14 characters fit its 1000.
 */
export const SEEN_NETWORKS_MAX = 60;

/** What recording a use from a network found. */
export type NetworkUse = 'known' | 'first' | 'new';

const ATTEMPTS = 5;

/**
 * Changes a token's seen networks with compare-and-set: the UPDATE applies only if the column
 * still holds what was read, so of several instances recording the same network at once
 * exactly one succeeds; the others read again and find it. `change` returns the new list, or
 * null when there is nothing to change.
 */
async function changeSeenNetworks(
  dataSource: DataSource,
  tokenId: string,
  known: string | undefined,
  change: (networks: string[]) => string[] | null,
): Promise<{ before: string[] } | null> {
  let stored = known;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (stored === undefined) {
      const row = await dataSource.getRepository(PlatformTokenEntity).findOne({ select: { seenNetworks: true }, where: { id: tokenId } });
      if (!row) return null;
      stored = row.seenNetworks;
    }
    const before = networksOf(stored);
    const after = change(before);
    if (after === null) return null;
    const result = await writeRetrying(dataSource, () =>
      dataSource
        .createQueryBuilder()
        .update(PlatformTokenEntity)
        .set({ seenNetworks: after.join(' ') })
        .where('id = :tokenId AND seen_networks = :stored', { tokenId, stored })
        .execute(),
    );
    if (result.affected === 1) return { before };
    stored = undefined;
  }
  return null;
}

/**
 * Records that a token was used from `network` (a `networkOfUse` key), writing only when the
 * network is new to it: `first` for the token's very first network, `new` for any later one
 * (the owner is told), `known` when it was already there or another instance recorded it first.
 * `stored` is the column as the exchange read it, which saves a read.
 */
export async function recordNetworkUse(dataSource: DataSource, tokenId: string, network: string, stored?: string): Promise<NetworkUse> {
  const changed = await changeSeenNetworks(dataSource, tokenId, stored, (networks) =>
    networks.includes(network) ? null : [...networks, network].slice(-SEEN_NETWORKS_MAX),
  );
  if (!changed) return 'known';
  return changed.before.length === 0 ? 'first' : 'new';
}

/** Takes a network back out (its alert could not be sent), so the next use from it tries again. */
export async function forgetNetworkUse(dataSource: DataSource, tokenId: string, network: string): Promise<void> {
  await changeSeenNetworks(dataSource, tokenId, undefined, (networks) =>
    networks.includes(network) ? networks.filter((seen) => seen !== network) : null,
  );
}
