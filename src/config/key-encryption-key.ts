import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Outside production a missing KEY_ENCRYPTION_KEY is generated once and kept beside the
 * embedded database, so `npm start` works on a fresh clone and restarts keep their keys.
 * Production refuses to start without one (see env.ts): there the key must come from a
 * secret store shared by every instance.
 */
export function loadOrCreateLocalKey(dataDir: string): Buffer {
  const path = join(dataDir, 'key-encryption-key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
