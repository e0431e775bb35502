/**
 * `tollbooth/verifier`: verify Tollbooth access tokens (RFC 9068 JWTs) in a product API.
 *
 * The core (`createVerifier`, `readBearerToken`, `bearerErrorResponse`, `assertScopes`) depends
 * only on jose; `bearerAuth` and `requireScope` are Koa middleware built on it.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import Router from '@koa/router';
 * import { bearerAuth, createVerifier, requireScope, type TollboothState } from 'tollbooth/verifier';
 *
 * const verifier = createVerifier({
 *   issuer: 'https://tollbooth.example/oauth',
 *   audience: 'https://strings.tollbooth.example/api',
 * });
 * const router = new Router<TollboothState>();
 * router.get('/v1/whoami', (ctx) => { ctx.body = { sub: ctx.state.claims.sub }; });
 * router.post('/v1/strings', requireScope('strings.write'), (ctx) => { ctx.status = 201; });
 * new Koa().use(bearerAuth(verifier)).use(router.routes()).listen(4000);
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
  InvalidTokenError,
  TokenAlgorithmError,
  TokenAudienceError,
  TokenExpiredError,
  TokenIssuerError,
  TokenKeyUnknownError,
  TokenMalformedError,
  TokenMissingError,
  TokenNotYetValidError,
  TokenSignatureError,
  TokenTypeError,
  VerifierConfigurationError,
  VerifierError,
  type BearerErrorCode,
} from './errors.js';
export { bearerAuth, requireScope, type BearerAuthOptions, type TollboothState } from './koa.js';
export { DEFAULT_ALGORITHMS, type AsymmetricAlgorithm, type VerifierOptions } from './options.js';
export { assertScopes } from './scopes.js';
export { createVerifier, type Verifier } from './verifier.js';
