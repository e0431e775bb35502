import type { UsableToken } from '../../tokens/index.js';
import { InvalidRequest } from '../../errors/index.js';

/** Token endpoint parameters as oidc-provider hands them over: repeated ones become arrays. */
export type GrantParameters = Readonly<Record<string, string | string[] | undefined>>;

/** What a grant handler sees of a token request, independent of Koa and oidc-provider. */
export interface GrantRequest {
  params: GrantParameters;
  /** The authenticated client (the built-in public client for the exchange). */
  clientId: string;
  /** The presented client secret (client_credentials), as read from Basic or the body. */
  clientSecret: string | undefined;
  /** client_credentials: the token the client lookup already found usable with that secret. */
  authenticatedToken?: UsableToken;
  ip: string | undefined;
}

/** A parameter that may appear once (RFC 6749 §3.2: "MUST NOT be included more than once"). */
export function single(params: GrantParameters, name: string): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw new InvalidRequest(`'${name}' parameter must not be provided twice`);
  return value === '' ? undefined : value;
}

/** A parameter RFC 8693 §2.1 allows to repeat (`audience`, `resource`). */
export function repeated(params: GrantParameters, name: string): string[] {
  const value = params[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((item) => item !== '');
}
