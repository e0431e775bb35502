import type { Runtime } from '../runtime.js';
import { Keystore } from './keystore.js';
import { ensureSigningKeys } from './lifecycle.js';
import { NO_SIGNING_KEY_MESSAGE, scheduleKeyMaintenance } from './maintenance.js';
import { retiredKeyPublicationSeconds } from './publication.js';

export { NoSigningKeyError, KeyDecryptionError } from '../errors/index.js';
export { Keystore, type KeystoreOptions, type SigningKeyHandle, type VerificationKey } from './keystore.js';
export { ensureSigningKeys, rotateSigningKeys, listSigningKeys, type RotationResult, type KeyLifecycleOptions } from './lifecycle.js';
export { maintainKeys, scheduleKeyMaintenance, type KeyMaintenanceOptions } from './maintenance.js';
export { encryptPrivateJwk, decryptPrivateJwk } from './encryption.js';
export { generateSigningKey, isSigningAlgorithm, SIGNING_ALGORITHMS } from './generate.js';
export { ACCESS_TOKEN_LIFETIME_SECONDS, CLOCK_SKEW_SECONDS, JWKS_MAX_AGE_SECONDS, retiredKeyPublicationSeconds } from './publication.js';

/**
 * Everything a serving instance needs for its keys: an active and a next key exist, the
 * keystore is loaded, and a timer re-reads (and, when configured, rotates) the keys every
 * KEYS_REFRESH_SECONDS until the runtime closes.
 */
export async function openKeystore(runtime: Runtime): Promise<Keystore> {
  const { config, dataSource, logger } = runtime;
  const lifecycle = { algorithm: config.signingAlgorithm, keyEncryptionKey: config.keyEncryptionKey };
  const created = await ensureSigningKeys(dataSource, lifecycle);
  if (created.length > 0) logger.info({ keys: created.map((key) => ({ kid: key.id, state: key.state })) }, 'signing keys created');

  const keystore = new Keystore({
    dataSource,
    keyEncryptionKey: config.keyEncryptionKey,
    retiredKeysPublishedForSeconds: retiredKeyPublicationSeconds(config.keysRefreshSeconds),
  });
  await keystore.refresh();
  if (keystore.activeKid === undefined) logger.error(NO_SIGNING_KEY_MESSAGE);
  const maintenance = scheduleKeyMaintenance({
    ...lifecycle,
    dataSource,
    keystore,
    logger,
    refreshSeconds: config.keysRefreshSeconds,
    rotationDays: config.keyRotationDays,
  });
  runtime.onClose(() => maintenance.stop());
  return keystore;
}
