import type { DataSource, EntityManager } from 'typeorm';
import { withLock } from '../db/index.js';

/** The one lock every change to the key set takes, whichever instance or node it runs on. */
const SIGNING_KEYS_LOCK = 'signing-keys';

/**
 * Runs `work` in a transaction holding the signing-key lock, so instances that start together
 * (through the same or different nodes of a cluster), or a `keys rotate` racing the automatic
 * rotation, never create two active keys: the second holder reads the keys the first wrote.
 * A lock row rather than SELECT … FOR UPDATE on the keys, because on the first start there
 * are no key rows yet to lock.
 */
export async function withSigningKeyLock<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return withLock(dataSource, SIGNING_KEYS_LOCK, work);
}
