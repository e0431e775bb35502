/** RFC 8693 §2.1: the token exchange grant. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';

/** The one `subject_token_type` the exchange accepts, and its default when none is sent. */
export const PLATFORM_TOKEN_TYPE = 'urn:tollbooth:params:oauth:token-type:platform_token';

/** RFC 8693 §3: the token types a caller may request; both name the same JWT. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
export const REQUESTABLE_TOKEN_TYPES: readonly string[] = [ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE];
