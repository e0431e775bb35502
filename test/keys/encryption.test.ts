import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptPrivateJwk, encryptPrivateJwk, generateSigningKey, KeyDecryptionError } from '../../src/keys/index.js';

describe('private keys at rest (AES-256-GCM)', () => {
  const keyEncryptionKey = randomBytes(32);

  it('round-trips a private JWK and never stores it readable', async () => {
    const key = await generateSigningKey('ES256');
    const stored = encryptPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey);
    expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain(key.privateJwk.d);
    expect(decryptPrivateJwk(stored, key.kid, keyEncryptionKey)).toEqual(key.privateJwk);
  });

  it('uses a fresh IV every time', async () => {
    const key = await generateSigningKey('ES256');
    const ivs = new Set(Array.from({ length: 5 }, () => encryptPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey).split('.')[1]));
    expect(ivs.size).toBe(5);
  });

  describe('refuses to decrypt', () => {
    let key: Awaited<ReturnType<typeof generateSigningKey>>;
    let stored: string;
    beforeAll(async () => {
      key = await generateSigningKey('ES256');
      stored = encryptPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey);
    });
    const tampered = (value: string) => {
      const [version, iv, tag, ciphertext] = value.split('.') as [string, string, string, string];
      const flipped = Buffer.from(ciphertext, 'base64url');
      flipped[0] = flipped[0]! ^ 1;
      return [version, iv, tag, flipped.toString('base64url')].join('.');
    };

    it.each([
      ['with another key-encryption key', () => decryptPrivateJwk(stored, key.kid, randomBytes(32))],
      ['under another kid (the AAD)', () => decryptPrivateJwk(stored, `${key.kid}x`, keyEncryptionKey)],
      ['a tampered ciphertext', () => decryptPrivateJwk(tampered(stored), key.kid, keyEncryptionKey)],
      ['a foreign format', () => decryptPrivateJwk(JSON.stringify(key.privateJwk), key.kid, keyEncryptionKey)],
    ])('%s with KeyDecryptionError', (_case, attempt) => {
      expect(decryptPrivateJwk(stored, key.kid, keyEncryptionKey)).toEqual(key.privateJwk);
      expect(attempt).toThrow(KeyDecryptionError);
    });
  });

  it('names the likely cause without revealing key material', async () => {
    const key = await generateSigningKey('ES256');
    const stored = encryptPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey);
    const wrongKey = randomBytes(32);
    const error = (() => {
      try {
        decryptPrivateJwk(stored, key.kid, wrongKey);
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('decryption with the wrong key succeeded');
    })();
    expect(error.message).toMatch(/KEY_ENCRYPTION_KEY/);
    const shown = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
    for (const secret of [key.privateJwk.d!, keyEncryptionKey.toString('base64'), wrongKey.toString('base64'), stored.split('.')[3]!]) {
      expect(shown).not.toContain(secret);
    }
  });
});

describe('generated signing keys', () => {
  it.each([
    ['ES256', { kty: 'EC', crv: 'P-256' }],
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
    ['RS256', { kty: 'RSA', e: 'AQAB' }],
  ] as const)('%s: a public JWK with kid (RFC 7638 thumbprint), alg and use, and no private part', async (algorithm, shape) => {
    const key = await generateSigningKey(algorithm);
    expect(key.publicJwk).toMatchObject({ ...shape, kid: key.kid, alg: algorithm, use: 'sig' });
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.privateJwk).toHaveProperty('d');
    expect(key.kid).toMatch(/^[\w-]{43}$/);
  });
});
