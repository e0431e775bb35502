import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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

  it('refuses another key-encryption key, another kid (AAD), a tampered ciphertext and a foreign format', async () => {
    const key = await generateSigningKey('ES256');
    const stored = encryptPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey);
    const [version, iv, tag, ciphertext] = stored.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] = flipped[0]! ^ 1;

    expect(() => decryptPrivateJwk(stored, key.kid, randomBytes(32))).toThrow(KeyDecryptionError);
    expect(() => decryptPrivateJwk(stored, `${key.kid}x`, keyEncryptionKey)).toThrow(KeyDecryptionError);
    expect(() => decryptPrivateJwk([version, iv, tag, flipped.toString('base64url')].join('.'), key.kid, keyEncryptionKey)).toThrow(
      KeyDecryptionError,
    );
    expect(() => decryptPrivateJwk(JSON.stringify(key.privateJwk), key.kid, keyEncryptionKey)).toThrow(KeyDecryptionError);
  });

  it('names the likely cause without revealing key material', async () => {
    const key = await generateSigningKey('ES256');
    const stored = encryptPrivateJwk(key.privateJwk, key.kid, keyEncryptionKey);
    expect(() => decryptPrivateJwk(stored, key.kid, randomBytes(32))).toThrow(/KEY_ENCRYPTION_KEY/);
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
