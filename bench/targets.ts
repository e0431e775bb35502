import type { Request } from 'autocannon';
import type { Target } from './load.js';
import type { SeededToken } from './seed.js';

/** RFC 8693 §2.1 */
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** RFC 6749 §2.3.1: client_id and client_secret are form-urlencoded before Basic encoding. */
export function basicAuthorization(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/** (a) RFC 8693 token exchange at POST /oauth/token, one request per seeded token, in turn. */
export function tokenExchangeTarget(url: string, tokens: SeededToken[], key = 'a', label = 'Tollbooth: RFC 8693 token exchange'): Target {
  const requests: Request[] = tokens.map((token) => ({
    method: 'POST',
    path: '/oauth/token',
    headers: FORM,
    body: new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: token.secret }).toString(),
  }));
  return { key, label, url, requests };
}

/** (b) client_credentials with client_id = token id, client_secret = the token, by HTTP Basic. */
export function clientCredentialsTarget(url: string, tokens: SeededToken[]): Target {
  const requests: Request[] = tokens.map((token) => ({
    method: 'POST',
    path: '/oauth/token',
    headers: { ...FORM, authorization: basicAuthorization(token.id, token.secret) },
    body: 'grant_type=client_credentials',
  }));
  return { key: 'b', label: 'Tollbooth: client_credentials', url, requests };
}

function bearerRequests(jwts: string[]): Request[] {
  return jwts.map((jwt) => ({ method: 'GET', path: '/v1/whoami', headers: { authorization: `Bearer ${jwt}` } }));
}

/** (c) the example product API's whoami, verifying Tollbooth JWTs against the JWKS. */
export function whoamiTarget(url: string, jwts: string[]): Target {
  return { key: 'c', label: 'example API: GET /v1/whoami (verifies)', url, requests: bearerRequests(jwts) };
}

/** (d) the bare oidc-provider baseline, client_credentials for its one static client. */
export function oidcProviderBaselineTarget(url: string, client: { id: string; secret: string; scope: string }): Target {
  const requests: Request[] = [
    {
      method: 'POST',
      path: '/token',
      headers: { ...FORM, authorization: basicAuthorization(client.id, client.secret) },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: client.scope }).toString(),
    },
  ];
  return { key: 'd', label: 'baseline: bare oidc-provider', url, requests };
}

/** (e) the bare Koa baseline: the same requests as (c), answered without verification. */
export function koaBaselineTarget(url: string, jwts: string[]): Target {
  return { key: 'e', label: 'baseline: bare Koa route', url, requests: bearerRequests(jwts) };
}
