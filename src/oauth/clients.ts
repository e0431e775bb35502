import { CLIENT_CREDENTIALS_GRANT, TOKEN_EXCHANGE_GRANT } from './token-types.js';

/**
 * The built-in public client that stands in for callers of the token exchange, who send no
 * client authentication: the platform token in `subject_token` is the only credential.
 * RFC 6749 §2.1 public client: `token_endpoint_auth_method: none`, only the exchange grant.
 */
export const EXCHANGE_CLIENT_ID = 'tollbooth-token-exchange';

export const EXCHANGE_CLIENT = {
  client_id: EXCHANGE_CLIENT_ID,
  token_endpoint_auth_method: 'none',
  grant_types: [TOKEN_EXCHANGE_GRANT],
  response_types: [],
  redirect_uris: [],
} as const;

/** Client metadata (RFC 7591 §2) for a platform token acting as a confidential client. */
export interface PlatformTokenClient {
  client_id: string;
  /** The stored SHA-256 digest; the presented secret is digested before comparing. */
  client_secret: string;
  grant_types: string[];
  response_types: string[];
  redirect_uris: string[];
  token_endpoint_auth_method: 'client_secret_basic';
}

/**
 * Client metadata for a platform token that has just been found usable with the presented
 * secret (see the adapter in provider.ts). `client_secret` is the secret's digest, which
 * the overridden `compareClientSecret` compares against in constant time. Besides
 * client_credentials it may use the exchange, for OAuth libraries that always authenticate
 * the client; the exchange then accepts only the client's own token as subject token.
 */
export function platformTokenClient(tokenId: string, digest: string): PlatformTokenClient {
  return {
    client_id: tokenId,
    client_secret: digest,
    grant_types: [CLIENT_CREDENTIALS_GRANT, TOKEN_EXCHANGE_GRANT],
    response_types: [],
    redirect_uris: [],
    // oidc-provider accepts either Basic or a body secret for both client_secret_* methods.
    token_endpoint_auth_method: 'client_secret_basic',
  };
}
