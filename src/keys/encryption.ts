import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyDecryptionError } from '../errors/index.js';

/**
 * Private signing keys at rest: AES-256-GCM under KEY_ENCRYPTION_KEY, a fresh 96-bit IV per
 * key (NIST SP 800-38D §8.2), and the key id as additional authenticated data so a ciphertext
 * moved onto another row fails to decrypt instead of silently signing under the wrong kid.
 *
 * Stored form: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
const VERSION = 'v1';
const IV_BYTES = 12;

export function encryptPrivateJwk(privateJwk: object, keyId: string, keyEncryptionKey: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyEncryptionKey, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(privateJwk), 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptPrivateJwk(stored: string, keyId: string, keyEncryptionKey: Buffer): Record<string, unknown> {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new KeyDecryptionError(`signing key ${keyId}: unrecognised encrypted key format`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyEncryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
    return JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
  } catch (cause) {
    // Almost always a KEY_ENCRYPTION_KEY that differs from the one the key was written with.
    throw new KeyDecryptionError(`signing key ${keyId} cannot be decrypted: is KEY_ENCRYPTION_KEY the same on every instance?`, { cause });
  }
}
