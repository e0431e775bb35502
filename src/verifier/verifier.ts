import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { REQUIRED_CLAIMS, toClaims, type TollboothClaims } from './claims.js';
import { discoverJwksUri } from './discovery.js';
import { TokenMalformedError } from './errors.js';
import { fromJoseError, fromKeyLookupError } from './jose-errors.js';
import { resolveOptions, type AsymmetricAlgorithm, type VerifierOptions } from './options.js';
import { assertScopes } from './scopes.js';
import { VerifiedTokenCache } from './verified-cache.js';

/** jose's defaults, spelled out: keep a JWKS 10 minutes, refetch on an unknown kid at most every 30 s. */
const JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
const JWKS_COOLDOWN_MS = 30_000;
/** After a failed discovery, callers get the same error for this long instead of hammering the issuer. */
const DISCOVERY_RETRY_MS = 10_000;
/** A cached verification is trusted this long at most, so a key pulled from the JWKS stops working within a minute. */
const VERIFIED_CACHE_MAX_AGE_SECONDS = 60;

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
   * an InvalidTokenError subclass, InsufficientScopeError (the API's `requiredScopes`), or
   * DiscoveryError when the issuer's keys cannot be fetched.
   */
  verify(token: string): Promise<TollboothClaims>;
}

/**
 * Finds the JWKS once, then hands out jose's remote key set. A failed discovery is remembered
 * for DISCOVERY_RETRY_MS and then retried, so an issuer outage at start-up heals by itself.
 */
function discoveredKeySet(issuer: string): () => Promise<JWTVerifyGetKey> {
  let attempt: { keys: Promise<JWTVerifyGetKey>; failedAt?: number } | undefined;
  const discover = async (): Promise<JWTVerifyGetKey> => {
    const jwksUri = await discoverJwksUri(issuer);
    const remote = createRemoteJWKSet(jwksUri, { cacheMaxAge: JWKS_CACHE_MAX_AGE_MS, cooldownDuration: JWKS_COOLDOWN_MS });
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        throw fromKeyLookupError(error, jwksUri);
      }
    };
  };
  return () => {
    if (attempt && (attempt.failedAt === undefined || Date.now() - attempt.failedAt < DISCOVERY_RETRY_MS)) return attempt.keys;
    const current: { keys: Promise<JWTVerifyGetKey>; failedAt?: number } = { keys: discover() };
    current.keys.catch(() => {
      current.failedAt = Date.now();
    });
    attempt = current;
    return current.keys;
  };
}

/**
 * Creates a verifier for Tollbooth access tokens. It discovers `jwks_uri` from the issuer's
 * metadata on first use, verifies signatures against the published keys (cached; refetched on
 * an unknown `kid`, at most every 30 s) and checks, per RFC 9068 §4: the algorithm allowlist,
 * `typ` = `at+jwt`, `iss`, `aud`, `exp`, `nbf` and `iat`, then the required scopes.
 *
 * @throws VerifierConfigurationError when an option is missing or unsafe (an HMAC algorithm).
 *
 * @example
 * ```ts
 * import { createVerifier } from 'tollbooth/verifier';
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
  const keys = discoveredKeySet(resolved.issuer);
  // Resolving the key lazily lets jose refuse a malformed token or a disallowed alg before
  // any network I/O.
  const getKey: JWTVerifyGetKey = async (header, token) => (await keys())(header, token);
  const checks: JWTVerifyOptions = {
    issuer: resolved.issuer,
    audience: resolved.audience,
    algorithms: [...resolved.algorithms],
    typ: 'at+jwt',
    clockTolerance: resolved.clockTolerance,
    requiredClaims: REQUIRED_CLAIMS,
  };
  const verified = new VerifiedTokenCache(resolved.cacheMaxEntries, VERIFIED_CACHE_MAX_AGE_SECONDS);

  /** Full verification: signature, header and claims. */
  const verifyFully = async (token: string, now: number): Promise<TollboothClaims> => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, getKey, checks));
    } catch (error) {
      throw fromJoseError(error, resolved);
    }
    return toClaims(payload, now, resolved.clockTolerance);
  };

  return {
    issuer: resolved.issuer,
    audience: resolved.audience,
    algorithms: resolved.algorithms,
    async verify(token: string): Promise<TollboothClaims> {
      if (typeof token !== 'string' || token === '') throw new TokenMalformedError('The access token is empty');
      const now = Math.floor(Date.now() / 1000);
      const key = VerifiedTokenCache.key(token);
      // A hit is only trusted before exp (the cache never outlives it); an expired token falls
      // through to full verification, which answers why.
      let claims = verified.get(key, now - resolved.clockTolerance);
      if (!claims) {
        claims = await verifyFully(token, now);
        verified.set(key, claims, now);
      }
      if (resolved.requiredScopes.length > 0) assertScopes(claims, resolved.requiredScopes);
      return claims;
    },
  };
}
