import type { DataSource } from 'typeorm';
import type { SigningAlgorithm } from '../config/index.js';
import type { Logger } from '../log/logger.js';
import type { Keystore } from './keystore.js';
import { rotateSigningKeys } from './lifecycle.js';

export interface KeyMaintenanceOptions {
  dataSource: DataSource;
  keystore: Keystore;
  logger: Logger;
  algorithm: SigningAlgorithm;
  keyEncryptionKey: Buffer;
  refreshSeconds: number;
  /** Rotate when the active key is this many days old; undefined: rotate only by command. */
  rotationDays: number | undefined;
  clock?: () => Date;
}

const DAY_MS = 86_400_000;

/** Logged when the keystore holds no key to sign with (see Keystore.refresh). */
export const NO_SIGNING_KEY_MESSAGE = 'no active signing key this instance can sign with; the token endpoint answers 503 until one exists';

/**
 * One maintenance pass: rotate when the active key has reached its age (re-checked under the
 * lock, so of several instances only one rotates), then re-read the keys.
 */
export async function maintainKeys(options: KeyMaintenanceOptions): Promise<void> {
  const { keystore, rotationDays, clock = () => new Date() } = options;
  if (rotationDays !== undefined) {
    const now = clock();
    const dueBefore = new Date(now.getTime() - rotationDays * DAY_MS);
    const activatedAt = keystore.activeKid === undefined ? undefined : keystore.signingKey().activatedAt;
    if (activatedAt && activatedAt < dueBefore) {
      const rotated = await rotateSigningKeys(options.dataSource, {
        algorithm: options.algorithm,
        keyEncryptionKey: options.keyEncryptionKey,
        now,
        onlyIfActiveBefore: dueBefore,
      });
      if (rotated) options.logger.info({ active: rotated.active.id, next: rotated.next.id }, 'signing keys rotated by age');
    }
  }
  if (await keystore.refresh()) {
    const kid = keystore.activeKid;
    if (kid) options.logger.info({ kid }, 'signing keys reloaded');
    else options.logger.error(NO_SIGNING_KEY_MESSAGE);
  }
}

/**
 * Runs `maintainKeys` every `refreshSeconds` until stopped. A failed pass (database down) is
 * logged and the instance keeps signing with the keys it has.
 */
export function scheduleKeyMaintenance(options: KeyMaintenanceOptions): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await maintainKeys(options);
    } catch (error) {
      options.logger.warn({ err: error }, 'signing key refresh failed; still using the keys already loaded');
    }
    if (!stopped) {
      timer = setTimeout(tick, options.refreshSeconds * 1000);
      timer.unref();
    }
  };
  timer = setTimeout(tick, options.refreshSeconds * 1000);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
