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

/** How long a retired key stays published with the default 30-second key refresh. */
export const TEST_RETIRED_KEY_WINDOW_SECONDS = retiredKeyPublicationSeconds(30);

/** A keystore over the test database's keys, not loaded yet (call `refresh()`). */
export function testKeystore(
  dataSource: DataSource,
  { clock, keyEncryptionKey = testKeyEncryptionKey() }: { clock?: () => Date; keyEncryptionKey?: Buffer } = {},
): Keystore {
  return new Keystore({ dataSource, keyEncryptionKey, retiredKeysPublishedForSeconds: TEST_RETIRED_KEY_WINDOW_SECONDS, clock });
}

/** A keystore over the test database's keys, loaded the way every instance loads them. */
export async function openTestKeystore(dataSource: DataSource, clock?: () => Date): Promise<Keystore> {
  const keystore = testKeystore(dataSource, { clock });
  await keystore.refresh();
  return keystore;
}
