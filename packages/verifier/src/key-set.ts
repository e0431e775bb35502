import { createRemoteJWKSet, jwksCache, type JWKSCacheInput, type JWTVerifyGetKey } from 'jose';
import type { IssuerEndpoints } from './discovery.js';
import { fromKeyLookupError } from './jose-errors.js';

/** jose's default: an unknown kid refetches the JWKS at most this often, so junk kids cannot flood the issuer. */
const JWKS_COOLDOWN_MS = 30_000;

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
 * Creates the key set behind the `jwks_uri` that `discover` finds (on first use; see
 * issuerDiscovery for how a failed discovery is retried).
 */
export function issuerKeySet(discover: () => Promise<IssuerEndpoints>, maxAgeSeconds: number): IssuerKeySet {
  const maxAgeMs = maxAgeSeconds * 1000;
  let loading: { endpoints: Promise<IssuerEndpoints>; keySet: Promise<LoadedKeySet> } | undefined;
  let current: LoadedKeySet | undefined;

  const load = async (endpoints: Promise<IssuerEndpoints>): Promise<LoadedKeySet> => {
    const { jwksUri } = await endpoints;
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

  // One remote set per discovery: a retried discovery (after a failure) builds a new one.
  const keySet = (): Promise<LoadedKeySet> => {
    const endpoints = discover();
    if (loading?.endpoints !== endpoints) loading = { endpoints, keySet: load(endpoints) };
    return loading.keySet;
  };

  return {
    getKey: async (header, token) => (await keySet()).getKey(header, token),
    freshUntil: () => {
      const loaded = current?.loaded;
      return loaded !== undefined && 'uat' in loaded ? loaded.uat + maxAgeMs : 0;
    },
  };
}
