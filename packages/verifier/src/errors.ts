/**
 * Typed errors of the verifier, each with a stable `code` callers can switch on (as jose's
 * `ERR_JWT_EXPIRED`), plus the RFC 6750 §3.1 answer it maps to: `status` and `bearerError`.
 * Messages say why, without quotes or backslashes, so they fit an RFC 6750 `error_description`.
 */

/**
 * The RFC 6750 §3.1 error codes a resource server answers with.
 *
 * @example
 * ```ts
 * const code: BearerErrorCode | undefined = error.bearerError; // 'invalid_token'
 * ```
 */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * Base class of every error the verifier throws.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof VerifierError) console.log(error.code, error.message);
 * }
 * ```
 */
export abstract class VerifierError extends Error {
  /** Stable machine-readable code, e.g. `ERR_TOLLBOOTH_TOKEN_EXPIRED`. */
  abstract readonly code: string;
  /** The HTTP status a resource server should answer with. */
  abstract readonly status: number;
  /** The RFC 6750 `error` code; absent when the request carried no credentials (§3.1) or the fault is the server's. */
  readonly bearerError: BearerErrorCode | undefined = undefined;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The request carried no bearer token at all (or used another scheme). RFC 6750 §3.1: answer
 * 401 with a bare challenge and no error code.
 *
 * @example
 * ```ts
 * if (error instanceof TokenMissingError) ctx.set('WWW-Authenticate', 'Bearer realm="strings"');
 * ```
 */
export class TokenMissingError extends VerifierError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_MISSING';
  readonly status = 401;
}

/**
 * The `Authorization` header names the Bearer scheme but is not `Bearer <token>`
 * (RFC 6750 §2.1); §3.1 calls that `invalid_request`, status 400.
 *
 * @example
 * ```ts
 * readBearerToken('Bearer'); // throws AuthorizationHeaderError
 * ```
 */
export class AuthorizationHeaderError extends VerifierError {
  readonly code = 'ERR_TOLLBOOTH_AUTHORIZATION_HEADER';
  readonly status = 400;
  override readonly bearerError = 'invalid_request' as const;
}

/**
 * Any reason a presented token is not acceptable: RFC 6750 §3.1 `invalid_token`, status 401.
 * The subclasses say which check failed.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidTokenError) return reply(401, error.message);
 * ```
 */
export abstract class InvalidTokenError extends VerifierError {
  readonly status = 401;
  override readonly bearerError = 'invalid_token' as const;
}

/**
 * Not a compact JWS, not JSON, or a required claim is missing or of the wrong type.
 *
 * @example
 * ```ts
 * await verifier.verify('not-a-jwt'); // rejects with TokenMalformedError
 * ```
 */
export class TokenMalformedError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_MALFORMED';
}

/**
 * The header `alg` is not in the allowlist (`none`, HMAC, or an algorithm not configured).
 *
 * @example
 * ```ts
 * // a token with {"alg":"none"} or {"alg":"HS256"} rejects with TokenAlgorithmError
 * ```
 */
export class TokenAlgorithmError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_ALGORITHM';
}

/**
 * The header `typ` is not `at+jwt` (RFC 9068 §4): an ID token or another JWT is not an access token.
 *
 * @example
 * ```ts
 * // a token with {"typ":"JWT"} rejects with TokenTypeError
 * ```
 */
export class TokenTypeError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_TYPE';
}

/**
 * No key in the issuer's JWKS matches the token's `kid`, even after refetching it.
 *
 * @example
 * ```ts
 * // a JWT signed by another issuer's key rejects with TokenKeyUnknownError
 * ```
 */
export class TokenKeyUnknownError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_KEY_UNKNOWN';
}

/**
 * The signature does not verify: the token was altered or signed by someone else.
 *
 * @example
 * ```ts
 * // a token whose payload was edited rejects with TokenSignatureError
 * ```
 */
export class TokenSignatureError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_SIGNATURE';
}

/**
 * The `iss` claim is not the configured issuer.
 *
 * @example
 * ```ts
 * if (error instanceof TokenIssuerError) log.warn('token from another issuer');
 * ```
 */
export class TokenIssuerError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_ISSUER';
}

/**
 * The `aud` claim does not name this API: the token was minted for another service.
 *
 * @example
 * ```ts
 * if (error instanceof TokenAudienceError) log.info('token for another service');
 * ```
 */
export class TokenAudienceError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_AUDIENCE';
}

/**
 * The `exp` claim is in the past (beyond the clock tolerance).
 *
 * @example
 * ```ts
 * if (error instanceof TokenExpiredError) refreshAndRetry();
 * ```
 */
export class TokenExpiredError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_EXPIRED';
}

/**
 * The `nbf` or `iat` claim is in the future (beyond the clock tolerance).
 *
 * @example
 * ```ts
 * if (error instanceof TokenNotYetValidError) log.warn('clock skew between issuer and API?');
 * ```
 */
export class TokenNotYetValidError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_NOT_YET_VALID';
}

/**
 * Tollbooth revoked the token after this JWT was issued (deleted, disabled, reported leaked, or
 * its owner left the organization or lost the role): its revocation feed lists the token with
 * a not-before time after the JWT's `iat`.
 *
 * @example
 * ```ts
 * if (error instanceof TokenRevokedError) log.info({ token: claims.token_id }, 'revoked token refused');
 * ```
 */
export class TokenRevokedError extends InvalidTokenError {
  readonly code = 'ERR_TOLLBOOTH_TOKEN_REVOKED';
}

/**
 * The token is valid but lacks a scope the API or route requires: RFC 6750 §3.1
 * `insufficient_scope`, status 403, with the needed scopes in `requiredScopes`.
 *
 * @example
 * ```ts
 * if (error instanceof InsufficientScopeError) console.log('needs', error.requiredScopes.join(' '));
 * ```
 */
export class InsufficientScopeError extends VerifierError {
  readonly code = 'ERR_TOLLBOOTH_INSUFFICIENT_SCOPE';
  readonly status = 403;
  override readonly bearerError = 'insufficient_scope' as const;

  constructor(readonly requiredScopes: readonly string[]) {
    super(`The access token lacks the scope ${requiredScopes.join(' ')}`);
  }
}

/**
 * The issuer's metadata or key set could not be fetched or is unusable, so no token can be
 * verified right now. The fault is not the client's: answer 503 and alert.
 *
 * @example
 * ```ts
 * if (error instanceof DiscoveryError) logger.error({ err: error }, 'cannot reach Tollbooth');
 * ```
 */
export class DiscoveryError extends VerifierError {
  readonly code = 'ERR_TOLLBOOTH_DISCOVERY';
  readonly status = 503;
}

/**
 * The verifier's copy of the revocation feed is older than `maxStaleness` and cannot be
 * refreshed (Tollbooth unreachable, or an answer that does not verify), so it cannot tell
 * whether a token was revoked: it fails closed. Answer 503 and alert, as for DiscoveryError.
 *
 * @example
 * ```ts
 * if (error instanceof RevocationFeedError) logger.error({ err: error }, 'revocation feed is stale');
 * ```
 */
export class RevocationFeedError extends VerifierError {
  readonly code = 'ERR_TOLLBOOTH_REVOCATION_FEED';
  readonly status = 503;
}

/**
 * `createVerifier` was given options it refuses (no issuer, an HMAC algorithm, …). Thrown at
 * start-up, never per request.
 *
 * @example
 * ```ts
 * createVerifier({ issuer, audience, algorithms: ['HS256'] }); // throws VerifierConfigurationError
 * ```
 */
export class VerifierConfigurationError extends VerifierError {
  readonly code = 'ERR_TOLLBOOTH_VERIFIER_CONFIGURATION';
  readonly status = 500;
}
