import type { Context, Next } from 'koa';
import type { DataSource } from 'typeorm';
import { CsrfTokenInvalid, InsufficientScope, InvalidToken, Unauthenticated } from '../errors/index.js';
import { CSRF_HEADER, csrfTokenMatches, resolveSession, SESSION_COOKIE } from '../session/index.js';
import type { ApiState, AuthenticateBearer, Principal } from './state.js';

/** The platform service's scopes (config/services.json): reading tokens, and changing them. */
export const READ_SCOPE = 'tokens.read';
export const WRITE_SCOPE = 'tokens.write';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** RFC 6750 §2.1: `Bearer` (any case) followed by a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const REALM = 'realm="tollbooth"';

type ApiContext = Context & { state: ApiState };

function refuseBearer(): never {
  // RFC 6750 §3: a 401 names the scheme and the error.
  throw new InvalidToken('The bearer token is missing, malformed, expired or not valid for this API.', {
    challenge: `Bearer ${REALM}, error="invalid_token"`,
  });
}

async function bearerPrincipal(ctx: ApiContext, header: string, authenticateBearer: AuthenticateBearer | undefined): Promise<Principal> {
  const jwt = BEARER.exec(header.trim())?.[1];
  if (!jwt || !authenticateBearer) refuseBearer();
  const identity = await authenticateBearer(jwt);
  if (!identity) refuseBearer();
  // RFC 6750 §3.1: a valid token without the scope the request needs is 403 insufficient_scope.
  const needed = SAFE_METHODS.has(ctx.method) ? READ_SCOPE : WRITE_SCOPE;
  if (!identity.scopes.includes(needed)) {
    throw new InsufficientScope(needed, { challenge: `Bearer ${REALM}, error="insufficient_scope", scope="${needed}"` });
  }
  return { kind: 'bearer', userId: identity.userId, identity };
}

async function sessionPrincipal(ctx: ApiContext, dataSource: DataSource): Promise<Principal> {
  const session = await resolveSession(dataSource, ctx.cookies.get(SESSION_COOKIE));
  if (!session) {
    throw new Unauthenticated('Log in (POST /api/session) or send Authorization: Bearer <JWT>.', { challenge: `Bearer ${REALM}` });
  }
  if (!SAFE_METHODS.has(ctx.method) && !csrfTokenMatches(session.csrfToken, ctx.get(CSRF_HEADER) || undefined)) {
    throw new CsrfTokenInvalid(`A request that changes state needs the session's ${CSRF_HEADER} header.`);
  }
  return { kind: 'session', userId: session.userId };
}

/**
 * Requires a caller. `Authorization: Bearer <JWT>` wins when present (no CSRF needed: a
 * browser never adds it by itself); otherwise the session cookie, with the CSRF token on
 * every state change. A bearer without an authenticator configured is refused like an
 * invalid one.
 */
export function requireCaller(dataSource: DataSource, authenticateBearer: AuthenticateBearer | undefined) {
  return async function authenticated(ctx: ApiContext, next: Next): Promise<void> {
    const header = ctx.get('Authorization');
    ctx.state.principal = header ? await bearerPrincipal(ctx, header, authenticateBearer) : await sessionPrincipal(ctx, dataSource);
    await next();
  };
}

/** The caller `requireCaller` established. */
export function principalOf(ctx: { state: ApiState }): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw new Unauthenticated();
  return principal;
}
