import { exchangeClientCredentials, type ExchangeDependencies, type TokenResponse } from '../exchange.js';
import { CLIENT_CREDENTIALS_GRANT } from '../token-types.js';
import { repeated, single, type GrantRequest } from './parameters.js';

/**
 * RFC 6749 §4.4 client_credentials: client_id = the platform token's id, client_secret = the
 * platform token. Replaces oidc-provider's built-in handler so both grants mint the same JWT.
 */
export const grantType = CLIENT_CREDENTIALS_GRANT;

/** RFC 6749 §4.4.2 `scope`; RFC 8707 `resource`; `audience` as in the exchange. */
export const parameters = ['scope', 'resource', 'audience'] as const;

export const repeatable = ['audience', 'resource'] as const;

export async function handler(
  deps: ExchangeDependencies,
  { params, clientId, clientSecret, authenticatedToken, ip }: GrantRequest,
): Promise<TokenResponse> {
  return exchangeClientCredentials(deps, {
    clientId,
    clientSecret,
    authenticatedToken,
    audiences: repeated(params, 'audience'),
    resources: repeated(params, 'resource'),
    scope: single(params, 'scope'),
    ip,
  });
}
