import { timingSafeEqual } from 'node:crypto';

/**
 * Synchronizer-token CSRF defence (OWASP CSRF cheat sheet): a cookie-authenticated request
 * that changes state must echo the session's CSRF token in `X-CSRF-Token`. Compared in
 * constant time so the token cannot be guessed byte by byte.
 */
export const CSRF_HEADER = 'X-CSRF-Token';

export function csrfTokenMatches(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(presented, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
