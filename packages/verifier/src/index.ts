/**
 * `@tollbooth/verifier`: verify Tollbooth access tokens (RFC 9068 JWTs) in a product API.
 *
 * This entry is the framework-free core and depends only on jose: `createVerifier`,
 * `readBearerToken`, `bearerErrorResponse`, `assertScopes`. Koa middleware built on it lives
 * in `@tollbooth/verifier/koa`, which imports only Koa's types (an optional peer dependency).
 *
 * Inside, one module per concern: `key-set.ts` (the issuer's JWKS and how long it is trusted),
 * `verified-cache.ts` (tokens already verified, trusted no longer than their key),
 * `verifier.ts` (the pipeline: a remembered token or a full verification, then `admit()`, the
 * checks every request gets), `revocations.ts` (the issuer's revocation feed, polled, which
 * `admit()` consults for every request), `discovery.ts`, `claims.ts`, `errors.ts` with
 * `jose-errors.ts`, and `bearer.ts` and `koa.ts` for HTTP.
 *
 * @example
 * ```ts
 * import { createVerifier, readBearerToken } from '@tollbooth/verifier';
 *
 * const verifier = createVerifier({
 *   issuer: 'https://tollbooth.example/oauth',
 *   audience: 'https://strings.tollbooth.example/api',
 * });
 * const claims = await verifier.verify(readBearerToken(request.headers.authorization));
 * ```
 *
 * @packageDocumentation
 */
export { bearerErrorResponse, readBearerToken, type BearerErrorResponse } from './bearer.js';
export type { TollboothClaims, TollboothRole } from './claims.js';
export {
  AuthorizationHeaderError,
  DiscoveryError,
  InsufficientScopeError,
  RevocationFeedError,
  InvalidTokenError,
  TokenAlgorithmError,
  TokenAudienceError,
  TokenExpiredError,
  TokenIssuerError,
  TokenKeyUnknownError,
  TokenMalformedError,
  TokenMissingError,
  TokenNotYetValidError,
  TokenRevokedError,
  TokenSignatureError,
  TokenTypeError,
  VerifierConfigurationError,
  VerifierError,
  type BearerErrorCode,
} from './errors.js';
export { DEFAULT_ALGORITHMS, type AsymmetricAlgorithm, type RevocationOptions, type VerifierOptions } from './options.js';
export { assertScopes } from './scopes.js';
export { createVerifier, type Verifier } from './verifier.js';
