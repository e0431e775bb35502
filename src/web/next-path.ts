/** Where people land after logging in when they weren't on their way somewhere. */
export const DEFAULT_LANDING_PATH = '/settings/profile/access-tokens';

const LOCAL_BASE = 'http://tollbooth.invalid';

/**
 * `candidate` resolved against this server, as a path with query and fragment, or undefined
 * when it is no local path: scheme-relative (`//evil`), backslash (`/\evil`, which browsers
 * treat as `//`) and control characters (browsers drop tabs and newlines) are refused.
 */
function resolveLocal(candidate: string): string | undefined {
  if (!candidate.startsWith('/') || candidate.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(candidate)) return undefined;
  let url: URL;
  try {
    url = new URL(candidate, LOCAL_BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== LOCAL_BASE) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Accepts `next` only when it is a path on this server, so `/login?next=` can't be used
 * as an open redirect (OWASP "Unvalidated Redirects and Forwards"). The check applies to what
 * is returned, not only to the input: resolving dot segments can turn a harmless-looking path
 * into a scheme-relative one (`/.//evil`, `/a/..//evil` → `//evil`), so the resolved path must
 * pass the same checks and resolve to itself. Anything refused, and `/login` itself, becomes
 * the default landing page.
 */
export function safeNextPath(candidate: unknown): string {
  if (typeof candidate !== 'string' || candidate.length > 2048) return DEFAULT_LANDING_PATH;
  const path = resolveLocal(candidate);
  if (path === undefined || resolveLocal(path) !== path) return DEFAULT_LANDING_PATH;
  if (new URL(path, LOCAL_BASE).pathname === '/login') return DEFAULT_LANDING_PATH;
  return path;
}

/** `/login?next=…` for a page someone tried to open without a session. */
export function loginPathFor(requestedPath: string): string {
  return `/login?next=${encodeURIComponent(safeNextPath(requestedPath))}`;
}
