import { describe, expect, it } from 'vitest';
import { digestPlatformToken, displayPrefix, isWellFormedPlatformToken, mintPlatformToken, TOKEN_LENGTH } from '../../src/tokens/format.js';

describe('platform token format', () => {
  it('is tbp_ + 32 base62 + 6 base62 checksum characters, 42 in all', () => {
    const token = mintPlatformToken();
    expect(token).toHaveLength(TOKEN_LENGTH);
    expect(token).toMatch(/^tbp_[0-9A-Za-z]{38}$/);
    expect(isWellFormedPlatformToken(token)).toBe(true);
  });

  it('never repeats and uses the whole alphabet', () => {
    const tokens = Array.from({ length: 2000 }, mintPlatformToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    const seen = new Set(tokens.flatMap((token) => [...token.slice(4, 36)]));
    expect(seen.size).toBe(62);
  });

  it('rejects a token whose checksum does not match', () => {
    const token = mintPlatformToken();
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(isWellFormedPlatformToken(`${token.slice(0, -1)}${last}`)).toBe(false);
    const body = token.at(5) === 'x' ? 'y' : 'x';
    expect(isWellFormedPlatformToken(`${token.slice(0, 5)}${body}${token.slice(6)}`)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['wrong prefix', `ghp_${'a'.repeat(38)}`],
    ['too short', 'tbp_abc'],
    ['too long', `${'x'}${mintPlatformToken()}`],
    ['non-base62', `tbp_${'-'.repeat(38)}`],
    ['not a string', 42],
    ['an array', [mintPlatformToken()]],
  ])('rejects %s', (_label, candidate) => {
    expect(isWellFormedPlatformToken(candidate)).toBe(false);
  });

  it('digests with SHA-256 hex and shows only the first 10 characters', () => {
    const token = mintPlatformToken();
    expect(digestPlatformToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(digestPlatformToken(token)).toBe(digestPlatformToken(token));
    expect(displayPrefix(token)).toBe(token.slice(0, 10));
  });
});
