import { SESSION_COOKIE } from './store.js';

/**
 * The Set-Cookie value for a session: HttpOnly (no script can read it), SameSite=Lax (not
 * sent on cross-site subrequests), Path=/, Secure when Tollbooth is served over https.
 * Written by hand rather than through `ctx.cookies`, which refuses a Secure cookie when TLS
 * ends at a proxy Koa is not told to trust.
 */
export function sessionCookie(value: string, { secure, maxAgeSeconds }: { secure: boolean; maxAgeSeconds: number }): string {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** Clears the session cookie (logout). */
export function expiredSessionCookie({ secure }: { secure: boolean }): string {
  return sessionCookie('', { secure, maxAgeSeconds: 0 });
}
