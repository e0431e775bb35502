import { errors } from 'jose';
import {
  DiscoveryError,
  TokenAlgorithmError,
  TokenAudienceError,
  TokenExpiredError,
  TokenIssuerError,
  TokenKeyUnknownError,
  TokenMalformedError,
  TokenNotYetValidError,
  TokenSignatureError,
  TokenTypeError,
  VerifierError,
} from './errors.js';

/** What the mapping needs to word its messages. */
export interface Expectations {
  issuer: string;
  audience: string;
}

function fromClaimFailure(error: errors.JWTClaimValidationFailed, expected: Expectations): VerifierError {
  if (error.reason === 'missing' || error.reason === 'invalid') {
    return new TokenMalformedError(`The access token has no valid ${error.claim} claim`, { cause: error });
  }
  switch (error.claim) {
    case 'typ':
      return new TokenTypeError('The token is not an access token (RFC 9068 typ at+jwt expected)', { cause: error });
    case 'iss':
      return new TokenIssuerError(`The access token was not issued by ${expected.issuer}`, { cause: error });
    case 'aud':
      return new TokenAudienceError(`The access token is not for this API (audience ${expected.audience} expected)`, { cause: error });
    case 'nbf':
      return new TokenNotYetValidError('The access token is not valid yet (nbf)', { cause: error });
    default:
      return new TokenMalformedError(`The access token failed the ${error.claim} check`, { cause: error });
  }
}

/**
 * Turns what jose throws into the verifier's typed errors, so callers switch on one set of
 * codes. Anything unrecognised is not the token's fault and is left as is.
 */
export function fromJoseError(error: unknown, expected: Expectations): unknown {
  if (error instanceof VerifierError) return error;
  if (error instanceof errors.JWTExpired) return new TokenExpiredError('The access token expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) return fromClaimFailure(error, expected);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenAlgorithmError('The access token is signed with an algorithm this API does not accept', { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenSignatureError('The access token signature is invalid', { cause: error });
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return new TokenMalformedError('The access token is not a well-formed JWT', { cause: error });
  }
  return error;
}

/**
 * Classifies a failure to find the token's key: an unknown or ambiguous `kid` is the token's
 * fault (401); a JWKS that cannot be fetched or parsed is the server's (503).
 */
export function fromKeyLookupError(error: unknown, jwksUri: URL): VerifierError {
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new TokenKeyUnknownError('No published signing key matches the access token (kid)', { cause: error });
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenKeyUnknownError('The access token names no kid and several published keys match', { cause: error });
  }
  return new DiscoveryError(`Cannot use the JSON Web Key Set at ${jwksUri.href}: ${(error as Error).message}`, { cause: error });
}
