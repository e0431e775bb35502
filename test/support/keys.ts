import type { DataSource } from 'typeorm';
import { Keystore, retiredKeyPublicationSeconds, rotateSigningKeys, type RotationResult } from '../../src/keys/index.js';
import { TEST_KEY_ENCRYPTION_KEY } from './server.js';

/** The test key-encryption key as bytes, as the keys capability takes it. */
export const testKeyEncryptionKey = (): Buffer => Buffer.from(TEST_KEY_ENCRYPTION_KEY, 'base64');

/** Rotates the signing keys of a test database now (ES256), as `tollbooth keys rotate` does. */
export async function rotateTestKeys(dataSource: DataSource): Promise<RotationResult> {
  const rotated = await rotateSigningKeys(dataSource, { algorithm: 'ES256', keyEncryptionKey: testKeyEncryptionKey() });
  if (!rotated) throw new Error('rotation was skipped');
  return rotated;
}

/** A keystore over the test database's keys, read the way every instance reads them. */
export async function openTestKeystore(dataSource: DataSource, clock?: () => Date): Promise<Keystore> {
  const keystore = new Keystore({
    dataSource,
    keyEncryptionKey: testKeyEncryptionKey(),
    retiredKeysPublishedForSeconds: retiredKeyPublicationSeconds(30),
    clock,
  });
  await keystore.refresh();
  return keystore;
}
