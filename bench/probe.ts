import type { Request } from 'autocannon';
import type { Target } from './load.js';

/**
 * Before anything is timed, each target answers its first request once and the answer is
 * checked: a benchmark of error responses would measure nothing. Token endpoints must
 * return an RFC 9068 `at+jwt` signed ES256 (the same kind of JWT from Tollbooth and from the
 * baseline).
 */
export async function send(url: string, request: Request): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}${request.path ?? '/'}`, {
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

export interface JwtHeader {
  alg?: string;
  typ?: string;
  kid?: string;
}

export function jwtHeader(jwt: string): JwtHeader {
  return JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as JwtHeader;
}

/** Sends one request; returns the access token when the target is a token endpoint. */
export async function probeTarget(target: Target, expectJwt: boolean, index = 0): Promise<string | undefined> {
  const request = target.requests[index]!;
  const { status, body } = await send(target.url, request);
  if (status !== 200) throw new Error(`${target.label}: expected 200, got ${status}: ${body.slice(0, 300)}`);
  if (!expectJwt) return undefined;
  const accessToken = (JSON.parse(body) as { access_token?: string }).access_token;
  if (!accessToken) throw new Error(`${target.label}: no access_token in ${body.slice(0, 300)}`);
  const header = jwtHeader(accessToken);
  if (header.typ !== 'at+jwt' || header.alg !== 'ES256') {
    throw new Error(`${target.label}: expected an ES256 at+jwt, got header ${JSON.stringify(header)}`);
  }
  return accessToken;
}
