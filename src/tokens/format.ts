import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Platform token format: `tbp_` + 32 random base62 characters
 * (≈190.5 bits from a CSPRNG) + 6 base62 characters of CRC32 over the preceding part — the
 * GitHub scheme. The checksum lets a malformed or mistyped token be rejected without a
 * database read, and lets secret scanners confirm a match offline.
 */
export const TOKEN_PREFIX = 'tbp_';
export const TOKEN_LENGTH = 42;
/** Characters stored and shown for display (`tbp_` + 6). */
export const DISPLAY_PREFIX_LENGTH = 10;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const SHAPE = /^tbp_[0-9A-Za-z]{38}$/;

function toBase62(value: number, width: number): string {
  let text = '';
  let rest = value;
  while (rest > 0) {
    text = BASE62[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return text.padStart(width, '0');
}

function checksum(body: string): string {
  return toBase62(crc32(body), CHECKSUM_LENGTH);
}

/** Mints a new platform token. The caller shows it once and stores only its digest. */
export function mintPlatformToken(): string {
  let random = '';
  // randomInt draws uniformly (no modulo bias) from the CSPRNG.
  for (let index = 0; index < RANDOM_LENGTH; index += 1) random += BASE62[randomInt(62)];
  const body = `${TOKEN_PREFIX}${random}`;
  return `${body}${checksum(body)}`;
}

/** True when `candidate` has the platform token shape and a valid checksum. No I/O. */
export function isWellFormedPlatformToken(candidate: unknown): candidate is string {
  if (typeof candidate !== 'string' || !SHAPE.test(candidate)) return false;
  const body = candidate.slice(0, TOKEN_LENGTH - CHECKSUM_LENGTH);
  const expected = Buffer.from(checksum(body));
  return timingSafeEqual(expected, Buffer.from(candidate.slice(TOKEN_LENGTH - CHECKSUM_LENGTH)));
}

/**
 * The one token digest: hex SHA-256. A fast hash is right for a 190-bit random secret —
 * nothing to brute-force — and keeps the exchange to one indexed lookup.
 */
export function digestPlatformToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}
