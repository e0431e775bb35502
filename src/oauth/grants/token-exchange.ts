import { EXCHANGE_CLIENT_ID } from '../clients.js';
import { InvalidRequest } from '../../errors/index.js';
import { exchangeSubjectToken, type ExchangeDependencies, type TokenResponse } from '../exchange.js';
import { TOKEN_EXCHANGE_GRANT } from '../token-types.js';
import { repeated, single, type GrantRequest } from './parameters.js';

/** RFC 8693 §2.1 token exchange, registered with oidc-provider by provider.ts. */
export const grantType = TOKEN_EXCHANGE_GRANT;

/** Every parameter RFC 8693 §2.1 defines; the actor ones only to refuse them clearly. */
export const parameters = [
  'subject_token',
  'subject_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
  'actor_token',
  'actor_token_type',
] as const;

/** RFC 8693 §2.1: `audience` and `resource` may be given several times. */
export const repeatable = ['audience', 'resource'] as const;

export async function handler(
  deps: ExchangeDependencies,
  { params, clientId, clientSecret, authenticatedToken, ip }: GrantRequest,
): Promise<TokenResponse> {
  // Delegation (RFC 8693 §1.1) is not offered: a JWT always acts as the token's owner.
  if (single(params, 'actor_token') !== undefined || single(params, 'actor_token_type') !== undefined) {
    throw new InvalidRequest('actor tokens (delegation) are not supported');
  }
  return exchangeSubjectToken(deps, {
    subjectToken: single(params, 'subject_token'),
    subjectTokenType: single(params, 'subject_token_type'),
    requestedTokenType: single(params, 'requested_token_type'),
    audiences: repeated(params, 'audience'),
    resources: repeated(params, 'resource'),
    scope: single(params, 'scope'),
    // Sent with client authentication: the platform token that authenticated as the client.
    client: clientId === EXCHANGE_CLIENT_ID ? undefined : { id: clientId, secret: clientSecret, token: authenticatedToken },
    ip,
  });
}
