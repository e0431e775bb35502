import type { DataSource, EntityManager } from 'typeorm';
import type { SigningAlgorithm } from '../config/index.js';
import { SigningKeyEntity, type SigningKey } from '../db/index.js';
import { decryptPrivateJwk, encryptPrivateJwk } from './encryption.js';
import { generateSigningKey } from './generate.js';
import { withSigningKeyLock } from './lock.js';

/**
 * Key states: `next` is published in the JWKS before it ever
 * signs, so verifiers already hold it when it becomes `active`; `retired` keys stay published
 * until every JWT they signed has expired.
 */
export interface KeyLifecycleOptions {
  algorithm: SigningAlgorithm;
  keyEncryptionKey: Buffer;
  now?: Date;
}

async function createKey(
  manager: EntityManager,
  state: 'next' | 'active',
  { algorithm, keyEncryptionKey, now = new Date() }: KeyLifecycleOptions,
): Promise<SigningKey> {
  const generated = await generateSigningKey(algorithm);
  const row: SigningKey = {
    id: generated.kid,
    algorithm: generated.algorithm,
    state,
    publicJwk: JSON.stringify(generated.publicJwk),
    encryptedPrivateJwk: encryptPrivateJwk(generated.privateJwk, generated.kid, keyEncryptionKey),
    createdAt: now,
    activatedAt: state === 'active' ? now : null,
    retiredAt: null,
  };
  await manager.getRepository(SigningKeyEntity).insert(row);
  return row;
}

async function currentKeys(manager: EntityManager): Promise<{ active: SigningKey[]; next: SigningKey[] }> {
  const rows = await manager.getRepository(SigningKeyEntity).find({ where: [{ state: 'active' }, { state: 'next' }] });
  const newestFirst = (a: SigningKey, b: SigningKey) => b.createdAt.getTime() - a.createdAt.getTime();
  return {
    active: rows.filter((row) => row.state === 'active').sort(newestFirst),
    next: rows.filter((row) => row.state === 'next').sort(newestFirst),
  };
}

/**
 * Makes sure an active and a next key exist; run by every instance at start. Under the
 * signing-key lock, so instances starting together create one pair, not one each.
 * Returns the keys it created (none on every start but the first).
 */
export async function ensureSigningKeys(dataSource: DataSource, options: KeyLifecycleOptions): Promise<SigningKey[]> {
  return withSigningKeyLock(dataSource, async (manager) => {
    const { active, next } = await currentKeys(manager);
    const created: SigningKey[] = [];
    if (active.length === 0) created.push(await createKey(manager, 'active', options));
    if (next.length === 0) created.push(await createKey(manager, 'next', options));
    return created;
  });
}

export interface RotationResult {
  /** The key that signs from now on (the former next key). */
  active: SigningKey;
  /** The former active key(s), still published until their JWTs have expired. */
  retired: SigningKey[];
  /** The freshly created next key, published from now on. */
  next: SigningKey;
}

/**
 * Rotates in one transaction: next → active, active → retired, and a new next key.
 * With `onlyIfActiveBefore`, rotates only when the active key was activated before that
 * moment — the automatic rotation re-checks under the lock so two instances never both rotate.
 */
export async function rotateSigningKeys(
  dataSource: DataSource,
  options: KeyLifecycleOptions & { onlyIfActiveBefore?: Date },
): Promise<RotationResult | null> {
  const now = options.now ?? new Date();
  return withSigningKeyLock(dataSource, async (manager) => {
    const { active, next } = await currentKeys(manager);
    const current = active[0];
    if (options.onlyIfActiveBefore && current && (current.activatedAt ?? current.createdAt) >= options.onlyIfActiveBefore) return null;

    // Refuse a KEY_ENCRYPTION_KEY other than the one the keys were written with, before any
    // change: the new next key would be unreadable to every instance once it became active.
    if (next[0]) decryptPrivateJwk(next[0].encryptedPrivateJwk, next[0].id, options.keyEncryptionKey);

    const repository = manager.getRepository(SigningKeyEntity);
    for (const key of active) await repository.update({ id: key.id }, { state: 'retired', retiredAt: now });
    // Normally exactly one next key; should there be none (a hand-edited table), a fresh key
    // is activated directly — verifiers without it refetch the JWKS on the unknown kid.
    const promoted = next[0] ?? (await createKey(manager, 'next', { ...options, now }));
    await repository.update({ id: promoted.id }, { state: 'active', activatedAt: now });
    for (const extra of next.slice(1)) await repository.update({ id: extra.id }, { state: 'retired', retiredAt: now });
    const fresh = await createKey(manager, 'next', { ...options, now });
    return {
      active: { ...promoted, state: 'active', activatedAt: now },
      retired: [...active, ...next.slice(1)].map((key) => ({ ...key, state: 'retired' as const, retiredAt: now })),
      next: fresh,
    };
  });
}

/** Every signing key, newest first, without the encrypted private parts. */
export async function listSigningKeys(dataSource: DataSource): Promise<Array<Omit<SigningKey, 'encryptedPrivateJwk'>>> {
  const rows = await dataSource.getRepository(SigningKeyEntity).find({
    select: ['id', 'algorithm', 'state', 'publicJwk', 'createdAt', 'activatedAt', 'retiredAt'],
    order: { createdAt: 'DESC' },
  });
  return rows;
}
