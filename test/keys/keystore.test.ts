import { randomBytes } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SigningKeyEntity } from '../../src/db/index.js';
import { ensureSigningKeys, KeyDecryptionError, maintainKeys, rotateSigningKeys, type RotationResult } from '../../src/keys/index.js';
import type { Runtime } from '../../src/runtime.js';
import { useDatabase } from '../support/fixture.js';
import { TEST_RETIRED_KEY_WINDOW_SECONDS as WINDOW_SECONDS, testKeyEncryptionKey, testKeystore } from '../support/keys.js';

const keyEncryptionKey = testKeyEncryptionKey();
const lifecycle = { algorithm: 'ES256' as const, keyEncryptionKey };
const HOUR_MS = 3_600_000;

/** Signing keys on MySQL, as several instances (each with its own connection pool) see them. */
describe('signing keys in the database', () => {
  const database = useDatabase({ migrate: true });
  let instances: Runtime[] = [];

  /** One maintenance pass as an instance runs it at `clock`; returns the kid it then signs with. */
  async function maintainAt(runtime: Runtime, clock: () => Date, rotationDays: number | undefined): Promise<string> {
    const keystore = testKeystore(runtime.dataSource, { clock });
    await keystore.refresh();
    await maintainKeys({
      ...lifecycle,
      dataSource: runtime.dataSource,
      keystore,
      logger: runtime.logger,
      refreshSeconds: 30,
      rotationDays,
      clock,
    });
    return keystore.signingKey().kid;
  }
  const keys = () => instances[0]!.dataSource.getRepository(SigningKeyEntity).find({ order: { createdAt: 'ASC' } });
  const states = async () => (await keys()).map((key) => key.state).sort();

  beforeAll(async () => {
    const started = await Promise.all(Array.from({ length: 5 }, () => database.startRuntime()));
    instances = started.map(({ runtime }) => runtime);
  });
  beforeEach(async () => {
    await instances[0]!.dataSource.getRepository(SigningKeyEntity).clear();
  });

  describe('provisioning', () => {
    it('creates exactly one active and one next key when five instances start at once', async () => {
      const created = await Promise.all(instances.map((runtime) => ensureSigningKeys(runtime.dataSource, lifecycle)));
      expect(created.flat()).toHaveLength(2);
      expect(await states()).toEqual(['active', 'next']);
    });

    it('creates nothing when both exist', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      expect(await ensureSigningKeys(instances[1]!.dataSource, lifecycle)).toEqual([]);
      expect(await states()).toEqual(['active', 'next']);
    });

    it('stores the private key encrypted and the public key without private parts', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      for (const key of await keys()) {
        expect(JSON.parse(key.publicJwk)).not.toHaveProperty('d');
        expect(key.encryptedPrivateJwk).toMatch(/^v1\./);
        expect(key.encryptedPrivateJwk).not.toContain('"d"');
      }
    });
  });

  describe('rotation', () => {
    it('promotes next to active, retires the active key and creates a new next key, in one go', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      const [active, next] = [...(await keys())].sort((a) => (a.state === 'active' ? -1 : 1));
      const rotated = (await rotateSigningKeys(instances[1]!.dataSource, lifecycle)) as RotationResult;
      expect(rotated.active.id).toBe(next!.id);
      expect(rotated.retired.map((key) => key.id)).toEqual([active!.id]);
      const byId = new Map((await keys()).map((key) => [key.id, key]));
      expect(byId.get(active!.id)).toMatchObject({ state: 'retired', retiredAt: expect.any(Date) });
      expect(byId.get(next!.id)).toMatchObject({ state: 'active', activatedAt: expect.any(Date) });
      expect(byId.get(rotated.next.id)).toMatchObject({ state: 'next', activatedAt: null });
    });

    it('rotates once when several instances find the active key due at the same time', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, { ...lifecycle, now: new Date(Date.now() - 60_000) });
      // Due: activated before this moment. The first rotation activates a key after it.
      const dueBefore = new Date();
      const results = await Promise.all(
        instances.map((runtime) => rotateSigningKeys(runtime.dataSource, { ...lifecycle, onlyIfActiveBefore: dueBefore })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await states()).toEqual(['active', 'next', 'retired']);
    });

    it('rotates by age from the maintenance pass, once, when KEY_ROTATION_DAYS has passed', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      const inThreeDays = () => new Date(Date.now() + 3 * 24 * HOUR_MS);
      const maintain = (runtime: Runtime) => maintainAt(runtime, inThreeDays, 2);
      const signing = await Promise.all(instances.map(maintain));
      expect(await states()).toEqual(['active', 'next', 'retired']);
      const active = (await keys()).find((key) => key.state === 'active')!;
      expect(new Set(signing)).toEqual(new Set([active.id]));
      // Not due again: the promoted key was activated "three days from now".
      await maintain(instances[0]!);
      expect(await states()).toEqual(['active', 'next', 'retired']);
    });

    it('leaves the keys alone without KEY_ROTATION_DAYS, however old', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      const runtime = instances[0]!;
      const farFuture = () => new Date(Date.now() + 3650 * 24 * HOUR_MS);
      await maintainAt(runtime, farFuture, undefined);
      expect(await states()).toEqual(['active', 'next']);
    });
  });

  describe('the keystore', () => {
    it('signs with the active key and publishes active and next', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      const keystore = testKeystore(instances[1]!.dataSource);
      expect(await keystore.refresh()).toBe(true);
      const active = (await keys()).find((key) => key.state === 'active')!;
      const next = (await keys()).find((key) => key.state === 'next')!;
      expect(keystore.signingKey().kid).toBe(active.id);
      expect(keystore.publishedJwks().keys.map((key) => key.kid)).toEqual([active.id, next.id]);
      expect(keystore.publishedJwks().keys.every((key) => key.d === undefined)).toBe(true);
      expect(await keystore.refresh()).toBe(false);
    });

    it('keeps a retired key published and accepted for 4 h plus refresh, skew and cache, then drops it', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      const clock = { now: Date.now() };
      const keystore = testKeystore(instances[0]!.dataSource, { clock: () => new Date(clock.now) });
      const rotated = (await rotateSigningKeys(instances[0]!.dataSource, { ...lifecycle, now: new Date(clock.now) }))!;
      await keystore.refresh();
      const retiredKid = rotated.retired[0]!.id;
      expect(WINDOW_SECONDS).toBeGreaterThan(4 * 3600 + 300);

      clock.now += (WINDOW_SECONDS - 1) * 1000;
      expect(keystore.publishedJwks().keys.map((key) => key.kid)).toContain(retiredKid);
      expect(keystore.verificationKey(retiredKid)).toBeDefined();

      clock.now += 2000;
      expect(keystore.publishedJwks().keys.map((key) => key.kid)).toEqual([rotated.active.id, rotated.next.id]);
      expect(keystore.verificationKey(retiredKid)).toBeUndefined();
    });

    it('decrypts only when the set of keys changes, never on a refresh that finds nothing new', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      const keystore = testKeystore(instances[0]!.dataSource);
      await keystore.refresh();
      const kid = keystore.signingKey().kid;
      // Ruin the stored ciphertext: a keystore that decrypted on every refresh would now fail.
      await instances[0]!.dataSource.getRepository(SigningKeyEntity).update({ id: kid }, { encryptedPrivateJwk: 'v1.AAAA.AAAA.AAAA' });
      expect(await keystore.refresh()).toBe(false);
      expect(keystore.signingKey().kid).toBe(kid);
      // A fresh keystore must decrypt, and says so clearly.
      await expect(testKeystore(instances[0]!.dataSource).refresh()).rejects.toThrow(KeyDecryptionError);
    });

    it('refuses to load with another KEY_ENCRYPTION_KEY', async () => {
      await ensureSigningKeys(instances[0]!.dataSource, lifecycle);
      const keystore = testKeystore(instances[0]!.dataSource, { keyEncryptionKey: randomBytes(32) });
      await expect(keystore.refresh()).rejects.toThrow(/KEY_ENCRYPTION_KEY/);
      expect(() => keystore.signingKey()).toThrow();
    });
  });
});
