/** Where people land after logging in when they weren't on their way somewhere. */
export const DEFAULT_LANDING_PATH = '/settings/profile/access-tokens';

const LOCAL_BASE = 'http://tollbooth.invalid';

/**
 * Accepts `next` only when it is a path on this server, so `/login?next=` can't be used
 * as an open redirect (OWASP "Unvalidated Redirects and Forwards"). Scheme-relative
 * (`//evil`), backslash (`/\evil`, which browsers treat as `//`) and control-character
 * tricks are refused; anything refused, and `/login` itself, becomes the default landing page.
 */
export function safeNextPath(candidate: unknown): string {
  if (typeof candidate !== 'string' || candidate.length > 2048) return DEFAULT_LANDING_PATH;
  if (!candidate.startsWith('/') || candidate.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(candidate)) {
    return DEFAULT_LANDING_PATH;
  }
  let url: URL;
  try {
    url = new URL(candidate, LOCAL_BASE);
  } catch {
    return DEFAULT_LANDING_PATH;
  }
  if (url.origin !== LOCAL_BASE || url.pathname === '/login') return DEFAULT_LANDING_PATH;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/login?next=…` for a page someone tried to open without a session. */
export function loginPathFor(requestedPath: string): string {
  return `/login?next=${encodeURIComponent(safeNextPath(requestedPath))}`;
}
