import { jwtVerify, type JWTVerifyOptions } from 'jose';
import { assertExactAudience, REQUIRED_CLAIMS, toClaims, type TollboothClaims } from './claims.js';
import { TokenMalformedError } from './errors.js';
import { fromJoseError } from './jose-errors.js';
import { issuerDiscovery } from './discovery.js';
import { issuerKeySet } from './key-set.js';
import { resolveOptions, type AsymmetricAlgorithm, type VerifierOptions } from './options.js';
import { RevocationFeed } from './revocations.js';
import { assertScopes } from './scopes.js';
import { VerifiedTokenCache } from './verified-cache.js';

/**
 * Verifies Tollbooth access tokens for one API. Create one per process and share it: it caches
 * the issuer's metadata and keys.
 *
 * @example
 * ```ts
 * const claims = await verifier.verify(token);
 * console.log(claims.sub, claims.org_id, [...claims.scope]);
 * ```
 */
export interface Verifier {
  /** The issuer tokens must come from. */
  readonly issuer: string;
  /** The audience tokens must be for. */
  readonly audience: string;
  /** The accepted signing algorithms. */
  readonly algorithms: readonly AsymmetricAlgorithm[];
  /**
   * Verifies a compact JWT and returns its claims, or rejects with a VerifierError saying why:
   * an InvalidTokenError subclass (TokenRevokedError for a revoked token),
   * InsufficientScopeError (the API's `requiredScopes`), DiscoveryError when the issuer's keys
   * cannot be fetched, or RevocationFeedError when the revocation feed is too old to rely on.
   */
  verify(token: string): Promise<TollboothClaims>;
  /** Stops polling the revocation feed; call it when the API shuts down. */
  close(): void;
}

/**
 * Creates a verifier for Tollbooth access tokens. It discovers `jwks_uri` and
 * `revocation_feed_uri` from the issuer's metadata on first use, verifies signatures against
 * the published keys (kept at most `keySetMaxAge` seconds; refetched on an unknown `kid`, at
 * most every 30 s) and checks, per RFC 9068 §4: the algorithm allowlist, `typ` = `at+jwt`,
 * `iss`, `aud`, `exp`, `nbf` and `iat`; then that the token was not revoked after the JWT was
 * issued (the revocation feed, polled every 15 s unless `revocation: false`), then the
 * required scopes.
 *
 * @throws VerifierConfigurationError when an option is missing or unsafe (an HMAC algorithm).
 *
 * @example
 * ```ts
 * import { createVerifier } from '@tollbooth/verifier';
 *
 * const verifier = createVerifier({
 *   issuer: 'https://tollbooth.example/oauth',
 *   audience: 'https://strings.tollbooth.example/api',
 * });
 * const claims = await verifier.verify(token);
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const resolved = resolveOptions(options);
  // The key is resolved lazily, so jose refuses a malformed token or a disallowed alg before
  // any network I/O.
  const discover = issuerDiscovery(resolved.issuer);
  const keys = issuerKeySet(discover, resolved.keySetMaxAge);
  const revocations =
    resolved.revocation &&
    new RevocationFeed({
      ...resolved.revocation,
      issuer: resolved.issuer,
      algorithms: resolved.algorithms,
      clockTolerance: resolved.clockTolerance,
      discover,
      keys,
    });
  const checks: JWTVerifyOptions = {
    issuer: resolved.issuer,
    audience: resolved.audience,
    algorithms: [...resolved.algorithms],
    typ: 'at+jwt',
    clockTolerance: resolved.clockTolerance,
    requiredClaims: REQUIRED_CLAIMS,
  };
  const verified = new VerifiedTokenCache(resolved.cacheMaxEntries, keys, resolved.clockTolerance);

  /** Full verification: signature, header and claims. */
  const verifyFully = async (token: string, nowMs: number): Promise<TollboothClaims> => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys.getKey, checks));
    } catch (error) {
      throw fromJoseError(error, resolved);
    }
    assertExactAudience(payload, resolved.audience);
    return toClaims(payload, Math.floor(nowMs / 1000), resolved.clockTolerance);
  };

  /**
   * The checks every request gets, remembered token or not: revocation (so a remembered token
   * is refused as soon as the feed lists it), then scopes.
   */
  const admit = async (claims: TollboothClaims): Promise<TollboothClaims> => {
    if (revocations) await revocations.check(claims);
    if (resolved.requiredScopes.length > 0) assertScopes(claims, resolved.requiredScopes);
    return claims;
  };

  return {
    issuer: resolved.issuer,
    audience: resolved.audience,
    algorithms: resolved.algorithms,
    async verify(token: string): Promise<TollboothClaims> {
      if (typeof token !== 'string' || token === '') throw new TokenMalformedError('The access token is empty');
      const nowMs = Date.now();
      const claims = await verified.claimsOf(token, nowMs, () => verifyFully(token, nowMs));
      return admit(claims);
    },
    close() {
      revocations?.close();
    },
  };
}
