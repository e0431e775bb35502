import type { JWTPayload } from 'jose';
import { TokenAudienceError, TokenMalformedError, TokenNotYetValidError } from './errors.js';

/**
 * A Tollbooth organization membership role, lowest to highest.
 *
 * @example
 * ```ts
 * const canAdminister = (role: TollboothRole) => role === 'admin' || role === 'owner';
 * ```
 */
export type TollboothRole = 'viewer' | 'member' | 'manager' | 'admin' | 'owner';

const ROLES: ReadonlySet<string> = new Set<TollboothRole>(['viewer', 'member', 'manager', 'admin', 'owner']);

/**
 * The verified claims of a Tollbooth access token (RFC 9068 §2.2 plus the Tollbooth claims).
 *
 * @example
 * ```ts
 * const claims: TollboothClaims = await verifier.verify(token);
 * if (claims.scope.has('strings.write') && claims.role !== 'viewer') allowWrite(claims.org_id);
 * ```
 */
export interface TollboothClaims {
  /** The user id. */
  readonly sub: string;
  /** The organization the platform token belongs to; scope every query by it. */
  readonly org_id: string;
  /** The id of the platform token the JWT was exchanged from. */
  readonly token_id: string;
  /** The role the platform token carries in `org_id`. */
  readonly role: TollboothRole;
  /** RFC 9068 §2.2: the client; for Tollbooth, the platform token id. */
  readonly client_id: string;
  /** Unique id of this JWT. */
  readonly jti: string;
  /** The granted scopes. */
  readonly scope: ReadonlySet<string>;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /** Issue time, seconds since the epoch. */
  readonly iat: number;
}

/** The claims jose must find before we look further (RFC 9068 §2.2 REQUIRED ones). */
export const REQUIRED_CLAIMS = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'];

function text(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') throw new TokenMalformedError(`The access token has no valid ${claim} claim`);
  return value;
}

function number(payload: JWTPayload, claim: string): number {
  const value = payload[claim];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TokenMalformedError(`The access token has no valid ${claim} claim`);
  return value;
}

/**
 * Tollbooth mints one audience per JWT; jose accepts an `aud` array that merely includes ours,
 * so a token naming another service beside this API is refused here.
 */
export function assertExactAudience(payload: JWTPayload, audience: string): void {
  const { aud } = payload;
  if (aud === audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === audience)) return;
  throw new TokenAudienceError(`The access token is not for this API alone (audience ${audience} expected)`);
}

/**
 * Turns a payload whose signature, issuer, audience and times jose already checked into typed
 * claims, refusing one that lacks a Tollbooth claim. `nowSeconds` and `tolerance` check `iat`,
 * which jose leaves alone unless asked for a maximum age.
 */
export function toClaims(payload: JWTPayload, nowSeconds: number, tolerance: number): TollboothClaims {
  const iat = number(payload, 'iat');
  if (iat > nowSeconds + tolerance) throw new TokenNotYetValidError('The access token is issued in the future (iat); check the clocks');
  const role = text(payload, 'role');
  if (!ROLES.has(role)) throw new TokenMalformedError('The access token has no valid role claim');
  // RFC 9068 §2.2.3 / RFC 8693 §4.2: scope is a space-separated string; absent means none.
  const scope = payload.scope === undefined ? '' : payload.scope;
  if (typeof scope !== 'string') throw new TokenMalformedError('The access token has no valid scope claim');
  return {
    sub: text(payload, 'sub'),
    org_id: text(payload, 'org_id'),
    token_id: text(payload, 'token_id'),
    role: role as TollboothRole,
    client_id: text(payload, 'client_id'),
    jti: text(payload, 'jti'),
    scope: new Set(scope.split(' ').filter((item) => item !== '')),
    exp: number(payload, 'exp'),
    iat,
  };
}
