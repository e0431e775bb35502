import { AuthorizationHeaderError, InsufficientScopeError, TokenMissingError, VerifierError } from './errors.js';

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^([^\s]+)/;

/**
 * Reads the token from an `Authorization` header value (RFC 6750 §2.1).
 *
 * @throws TokenMissingError when there is no header or it uses another scheme (RFC 6750 §3.1:
 * answer without an error code); AuthorizationHeaderError when it says Bearer but is malformed.
 *
 * @example
 * ```ts
 * const token = readBearerToken(request.headers.authorization);
 * const claims = await verifier.verify(token);
 * ```
 */
export function readBearerToken(authorization: string | null | undefined): string {
  const header = (authorization ?? '').trim();
  const scheme = SCHEME.exec(header)?.[1];
  if (scheme === undefined || scheme.toLowerCase() !== 'bearer') {
    throw new TokenMissingError('This API needs an access token: send Authorization: Bearer followed by a Tollbooth JWT');
  }
  const match = BEARER.exec(header);
  if (!match)
    throw new AuthorizationHeaderError('The Authorization header must be Bearer followed by exactly one token (RFC 6750 section 2.1)');
  return match[1]!;
}

/**
 * An HTTP answer to a refused request, for any framework: status, headers and a JSON body.
 *
 * @example
 * ```ts
 * const answer: BearerErrorResponse = bearerErrorResponse(error, { realm: 'strings' });
 * ```
 */
export interface BearerErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error?: string; error_description: string; scope?: string };
}

// RFC 6750 §3: error_description and scope values are limited to %x20-21 / %x23-5B / %x5D-7E,
// so neither can break out of the quoted string.
function headerSafe(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
}

/**
 * Builds the RFC 6750 §3 answer to a VerifierError: 401 `invalid_token`, 403
 * `insufficient_scope` with the needed `scope`, 400 `invalid_request`, or a bare 401 challenge
 * for a request without a token. A DiscoveryError becomes 503 with a generic description — its
 * message names internal URLs, so log it rather than send it.
 *
 * @example
 * ```ts
 * // Express
 * } catch (error) {
 *   if (!(error instanceof VerifierError)) throw error;
 *   const answer = bearerErrorResponse(error, { realm: 'strings' });
 *   res.status(answer.status).set(answer.headers).json(answer.body);
 * }
 * ```
 */
export function bearerErrorResponse(error: VerifierError, { realm }: { realm?: string } = {}): BearerErrorResponse {
  if (error.status >= 500) {
    return {
      status: 503,
      headers: {},
      body: { error: 'temporarily_unavailable', error_description: 'The API cannot verify access tokens right now; try again shortly' },
    };
  }
  const description = headerSafe(error.message);
  const scope = error instanceof InsufficientScopeError ? headerSafe(error.requiredScopes.join(' ')) : undefined;
  const parameters: string[] = [];
  if (realm !== undefined) parameters.push(`realm="${headerSafe(realm)}"`);
  if (error.bearerError !== undefined) {
    parameters.push(`error="${error.bearerError}"`, `error_description="${description}"`);
    if (scope !== undefined) parameters.push(`scope="${scope}"`);
  }
  const challenge = parameters.length > 0 ? `Bearer ${parameters.join(', ')}` : 'Bearer';
  return {
    status: error.status,
    headers: { 'www-authenticate': challenge },
    body: {
      ...(error.bearerError !== undefined ? { error: error.bearerError } : {}),
      error_description: description,
      ...(scope !== undefined ? { scope } : {}),
    },
  };
}
