import { jwtVerify, type JWTHeaderParameters } from 'jose';
import type { DataSource } from 'typeorm';
import { isRole } from '../accounts/index.js';
import type { AuthenticateBearer, BearerIdentity } from '../api/index.js';
import type { ServiceCatalog } from '../config/index.js';
import { withDeadline } from '../db/index.js';
import { SIGNING_ALGORITHMS, type Keystore } from '../keys/index.js';
import { findStillUsableToken } from '../tokens/index.js';

/** The management API's contract (src/api/state.ts), implemented here. */
export type { BearerIdentity, AuthenticateBearer as BearerAuthenticator };

export interface BearerAuthenticatorOptions {
  keystore: Keystore;
  dataSource: DataSource;
  services: ServiceCatalog;
  issuer: string;
  /** The `platform` service's audience: only JWTs minted for the management API are accepted. */
  audience: string;
  queryTimeoutMs: number;
  clock?: () => Date;
}

const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope', 'org_id', 'token_id', 'role'];

/** Clock skew allowed on `exp` and `iat` between the instance that minted and the one verifying (the verifier kit's default). */
const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * Tollbooth mints one audience per JWT, so a JWT for the management API names the platform
 * audience and nothing else; jose alone would accept an array that merely includes it.
 */
function isExactlyFor(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === audience);
}

/** jose checks `iat` only against a maximum age; one from the future is refused here. */
function issuedInThePast(iat: unknown, now: Date): boolean {
  return typeof iat === 'number' && Number.isFinite(iat) && iat <= now.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS;
}

/**
 * Verifies `Authorization: Bearer <JWT>` for Tollbooth's own API: signature with a key of the
 * local keystore (no network, algorithm bound to the key), RFC 9068 `typ: at+jwt`, our issuer,
 * exactly the `platform` audience, every claim present, `exp` not passed and `iat` not in the
 * future (with the same 5 s of clock tolerance as the verifier kit). Then, since the platform token behind the JWT
 * may have been deleted or disabled, or its owner demoted or removed, since the JWT was minted,
 * the token is re-read under the same usability rule as an exchange, so such a change takes
 * effect at once here too. Any failure is `null` — the caller answers 401 without saying why.
 */
export function createBearerAuthenticator(options: BearerAuthenticatorOptions): AuthenticateBearer {
  const { keystore, dataSource, services, issuer, audience, queryTimeoutMs, clock = () => new Date() } = options;
  const keyFor = (header: JWTHeaderParameters) => {
    const key = header.kid ? keystore.verificationKey(header.kid) : undefined;
    if (!key || key.algorithm !== header.alg) throw new Error('unknown signing key');
    return key.publicKey;
  };

  return async function authenticateBearer(jwt: string): Promise<BearerIdentity | null> {
    const now = clock();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(jwt, keyFor, {
        issuer,
        audience,
        algorithms: [...SIGNING_ALGORITHMS],
        typ: 'at+jwt',
        requiredClaims: REQUIRED_CLAIMS,
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch {
      return null;
    }
    if (!isExactlyFor(payload.aud, audience) || !issuedInThePast(payload.iat, now)) return null;
    const { sub, org_id: organizationId, token_id: tokenId, role, scope } = payload;
    if (
      typeof sub !== 'string' ||
      typeof organizationId !== 'string' ||
      typeof tokenId !== 'string' ||
      !isRole(role) ||
      typeof scope !== 'string'
    ) {
      return null;
    }
    const token = await withDeadline(findStillUsableToken(dataSource, services, tokenId, now), queryTimeoutMs);
    // The JWT must still describe its token: same owner, organization and role.
    if (!token || token.userId !== sub || token.organizationId !== organizationId || token.role !== role) return null;
    return { userId: sub, organizationId, role, tokenId, scopes: scope.split(' ').filter(Boolean) };
  };
}
