import { jwtVerify, type JWTHeaderParameters } from 'jose';
import { IsNull, MoreThan, type DataSource } from 'typeorm';
import { isRole, roleWithin, type Role } from '../accounts/index.js';
import type { AuthenticateBearer, BearerIdentity } from '../api/index.js';
import { MembershipEntity, PlatformTokenEntity, withDeadline } from '../db/index.js';
import { SIGNING_ALGORITHMS, type Keystore } from '../keys/index.js';

/** The management API's contract (src/api/state.ts), implemented here. */
export type { BearerIdentity, AuthenticateBearer as BearerAuthenticator };

export interface BearerAuthenticatorOptions {
  keystore: Keystore;
  dataSource: DataSource;
  issuer: string;
  /** The `platform` service's audience: only JWTs minted for the management API are accepted. */
  audience: string;
  queryTimeoutMs: number;
  clock?: () => Date;
}

const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope', 'org_id', 'token_id', 'role'];

/**
 * The platform token behind a JWT may have been deleted or disabled, or its owner demoted or
 * removed, since the JWT was minted. The management API honours that at once (SPEC: deleting
 * "takes effect at once"), so every bearer request re-reads the token and the membership.
 */
async function stillUsable(
  dataSource: DataSource,
  claims: { tokenId: string; userId: string; organizationId: string; role: Role },
  now: Date,
): Promise<boolean> {
  const token = await dataSource.getRepository(PlatformTokenEntity).findOne({
    select: ['id', 'userId', 'organizationId', 'role'],
    where: { id: claims.tokenId, status: 'active', deletedAt: IsNull(), expiresAt: MoreThan(now) },
  });
  if (!token || token.userId !== claims.userId || token.organizationId !== claims.organizationId || token.role !== claims.role)
    return false;
  const membership = await dataSource.getRepository(MembershipEntity).findOne({
    select: ['role'],
    where: { userId: token.userId, organizationId: token.organizationId },
  });
  return membership !== null && isRole(membership.role) && roleWithin(token.role, membership.role);
}

/**
 * Verifies `Authorization: Bearer <JWT>` for Tollbooth's own API: signature with a key of the
 * local keystore (no network, algorithm bound to the key), RFC 9068 `typ: at+jwt`, our issuer,
 * the `platform` audience, every claim present; then the token is still usable. Any failure is
 * `null` — the caller answers 401 without saying why.
 */
export function createBearerAuthenticator(options: BearerAuthenticatorOptions): AuthenticateBearer {
  const { keystore, dataSource, issuer, audience, queryTimeoutMs, clock = () => new Date() } = options;
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
      }));
    } catch {
      return null;
    }
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
    const identity: BearerIdentity = { userId: sub, organizationId, role, tokenId, scopes: scope.split(' ').filter(Boolean) };
    return (await withDeadline(stillUsable(dataSource, identity, now), queryTimeoutMs)) ? identity : null;
  };
}
