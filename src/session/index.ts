/**
 * Browser sessions for the management API and the profile page: a random cookie whose
 * SHA-256 names a row in `sessions` (revocable at once on logout), a fixed 12-hour lifetime,
 * and a per-session CSRF token.
 */
export {
  SESSION_COOKIE,
  SESSION_LIFETIME_MS,
  startSession,
  resolveSession,
  endSession,
  type ResolvedSession,
  type StartedSession,
} from './store.js';
export { verifyCredentials } from './credentials.js';
export { CSRF_HEADER, csrfTokenMatches } from './csrf.js';
export { sessionCookie, expiredSessionCookie } from './cookie.js';
export { organizationsOf, type SessionOrganization } from './organizations.js';
export { sessionOwner, type SessionOwner } from './owner.js';
export { logIn, logOut, type LoginLimiters, type LoginAttempt, type LoggedIn, type LogoutRequest, type RequestOrigin } from './login.js';
