import type { Context, Next } from 'koa';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response carries; HSTS only when Tollbooth is served over https. */
export function securityHeaders({ https }: { https: boolean }) {
  const headers: Record<string, string> = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
  return async function securityHeadersMiddleware(ctx: Context, next: Next): Promise<void> {
    ctx.set(headers);
    try {
      await next();
    } catch (error) {
      // Koa's fallback error answer removes every header set so far and sets only
      // `error.headers`: hand ours over, so an unexpected 500 is as locked down as any page.
      if (error instanceof Error) {
        const own = (error as { headers?: Record<string, string> }).headers;
        Object.assign(error, { headers: { ...headers, ...own } });
      }
      throw error;
    }
  };
}
