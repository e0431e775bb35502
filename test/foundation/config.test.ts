import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig } from '../../src/config/index.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'tollbooth-config-'));

describe('configuration', () => {
  it('defaults to the embedded SQLite under DATA_DIR and an issuer under /oauth', () => {
    const dataDir = tempDir();
    const config = loadConfig({}, { overrides: { DATA_DIR: dataDir } });
    expect(config.database).toMatchObject({ kind: 'sqlite', path: join(dataDir, 'tollbooth.sqlite') });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.issuer).toBe('http://localhost:3000/oauth');
    expect(config.signingAlgorithm).toBe('ES256');
    expect(config.services.get('platform')).toBeDefined();
  });

  it('uses MySQL when DATABASE_URL is set', () => {
    const config = loadConfig({}, { overrides: { DATABASE_URL: 'mysql://root@127.0.0.1:3306/x', DATA_DIR: tempDir() } });
    expect(config.database).toMatchObject({ kind: 'mysql', url: 'mysql://root@127.0.0.1:3306/x' });
  });

  it('generates a key-encryption key once for the embedded default and reuses it', () => {
    const dataDir = tempDir();
    const first = loadConfig({}, { overrides: { DATA_DIR: dataDir } });
    const second = loadConfig({}, { overrides: { DATA_DIR: dataDir } });
    expect(first.keyEncryptionKey).toHaveLength(32);
    expect(second.keyEncryptionKey.equals(first.keyEncryptionKey)).toBe(true);
    expect(readFileSync(join(dataDir, 'key-encryption-key'), 'utf8').trim()).toBe(first.keyEncryptionKey.toString('base64'));
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'not a url'],
    ['DATABASE_URL', 'postgres://localhost/x'],
    ['KEY_ENCRYPTION_KEY', 'dG9vIHNob3J0'],
    ['LOG_LEVEL', 'loud'],
    ['SIGNING_ALG', 'HS256'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    const attempt = () => loadConfig({}, { overrides: { DATA_DIR: tempDir(), [name]: value } });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${name}: [^\\n]+$`));
  });

  it('requires KEY_ENCRYPTION_KEY in production', () => {
    expect(() => loadConfig({}, { overrides: { NODE_ENV: 'production', DATA_DIR: tempDir() } })).toThrow(/KEY_ENCRYPTION_KEY is required/);
  });

  it('marks cookies Secure when PUBLIC_URL is https', () => {
    const config = loadConfig({}, { overrides: { PUBLIC_URL: 'https://auth.example.com/', DATA_DIR: tempDir() } });
    expect(config.secureCookies).toBe(true);
    expect(config.issuer).toBe('https://auth.example.com/oauth');
  });
});
