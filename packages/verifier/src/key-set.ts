import { createRemoteJWKSet, jwksCache, type JWKSCacheInput, type JWTVerifyGetKey } from 'jose';
import { discoverJwksUri } from './discovery.js';
import { fromKeyLookupError } from './jose-errors.js';

/** jose's default: an unknown kid refetches the JWKS at most this often, so junk kids cannot flood the issuer. */
const JWKS_COOLDOWN_MS = 30_000;
/** After a failed discovery, callers get the same error for this long instead of hammering the issuer. */
const DISCOVERY_RETRY_MS = 10_000;

/**
 * The issuer's published signing keys, found through its metadata and kept for at most
 * `maxAgeSeconds`: once the set is that old, the next lookup fetches it again before answering,
 * so a key withdrawn from the JWKS stops verifying within that bound. A lookup that cannot
 * fetch a stale set fails (the verifier answers 503) rather than trusting keys it can no longer
 * confirm.
 */
export interface IssuerKeySet {
  /** Finds the key for a token's header (jose's resolver): refetches a stale set, and the set on an unknown kid. */
  readonly getKey: JWTVerifyGetKey;
  /**
   * Until when (ms since the epoch) the set in use now stays fresh; 0 before one was fetched.
   * Read it before a verification: anything verified against the set may be trusted that long.
   */
  freshUntil(): number;
}

/** The remote set behind one discovered `jwks_uri`, and when jose last loaded it. */
interface LoadedKeySet {
  getKey: JWTVerifyGetKey;
  loaded: JWKSCacheInput;
}

/**
 * Creates the key set for `issuer`. Discovery runs on first use; a failed discovery is
 * remembered for DISCOVERY_RETRY_MS and then retried, so an issuer outage at start-up heals by
 * itself.
 */
export function issuerKeySet(issuer: string, maxAgeSeconds: number): IssuerKeySet {
  const maxAgeMs = maxAgeSeconds * 1000;
  let attempt: { keySet: Promise<LoadedKeySet>; failedAt?: number } | undefined;
  let current: LoadedKeySet | undefined;

  const discover = async (): Promise<LoadedKeySet> => {
    const jwksUri = await discoverJwksUri(issuer);
    // jose records each successful fetch here (`uat`), which is what freshUntil() reports.
    const loaded: JWKSCacheInput = {};
    const remote = createRemoteJWKSet(jwksUri, { cacheMaxAge: maxAgeMs, cooldownDuration: JWKS_COOLDOWN_MS, [jwksCache]: loaded });
    const getKey: JWTVerifyGetKey = async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        throw fromKeyLookupError(error, jwksUri);
      }
    };
    current = { getKey, loaded };
    return current;
  };

  const keySet = (): Promise<LoadedKeySet> => {
    if (attempt && (attempt.failedAt === undefined || Date.now() - attempt.failedAt < DISCOVERY_RETRY_MS)) return attempt.keySet;
    const next: { keySet: Promise<LoadedKeySet>; failedAt?: number } = { keySet: discover() };
    next.keySet.catch(() => {
      next.failedAt = Date.now();
    });
    attempt = next;
    return next.keySet;
  };

  return {
    getKey: async (header, token) => (await keySet()).getKey(header, token),
    freshUntil: () => {
      const loaded = current?.loaded;
      return loaded !== undefined && 'uat' in loaded ? loaded.uat + maxAgeMs : 0;
    },
  };
}
