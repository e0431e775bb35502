/**
 * How long signatures must stay verifiable, and so how long keys stay in the JWKS.
 * A JWT lives 4 hours (exp = iat + 14400): the longest any JWT signed by these keys lives.
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 14_400;

/**
 * How long verifiers may cache the JWKS. Short, because the next key must reach every
 * verifier before it starts signing; jose's remote JWKS also refetches on an unknown kid.
 */
export const JWKS_MAX_AGE_SECONDS = 300;

/** Tolerated clock difference between Tollbooth and the product APIs verifying its JWTs. */
export const CLOCK_SKEW_SECONDS = 300;

/**
 * How long a retired key stays in the JWKS (4 h plus skew and more, see below): the
 * longest a JWT it signed can live — minted by an instance that has not re-read the keys yet,
 * up to KEYS_REFRESH_SECONDS after retirement, valid for 4 h — plus clock skew, plus the JWKS
 * cache lifetime so no verifier drops the key while such a JWT is still valid.
 */
export function retiredKeyPublicationSeconds(keysRefreshSeconds: number): number {
  return ACCESS_TOKEN_LIFETIME_SECONDS + keysRefreshSeconds + CLOCK_SKEW_SECONDS + JWKS_MAX_AGE_SECONDS;
}
