import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { expect } from 'vitest';
import type { TestClient } from './http.js';

export interface FeedEntry {
  token_id: string;
  not_before: number;
}

export interface FeedPayload {
  iss: string;
  iat: number;
  window_seconds: number;
  revocations: FeedEntry[];
}

export interface ReadFeed {
  etag: string;
  cacheControl: string | null;
  payload: FeedPayload;
}

/**
 * `GET /oauth/revocations`, asserting a 200 signed feed: the JWS verifies against the server's
 * own JWKS with `typ: revocations+jwt`. Returns its validator and payload.
 */
export async function readRevocationFeed(client: TestClient, issuer: string): Promise<ReadFeed> {
  const response = await client.get('/oauth/revocations');
  expect(response.status, response.text).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/jwt/);
  const jwks = (await client.get('/oauth/jwks')).body;
  const { payload } = await jwtVerify(response.text, createLocalJWKSet(jwks), { issuer, typ: 'revocations+jwt' });
  return { etag: response.headers.get('etag')!, cacheControl: response.headers.get('cache-control'), payload: payload as never };
}

/** The feed's `not_before` for one token, or undefined when the feed does not list it. */
export async function notBeforeOf(client: TestClient, issuer: string, tokenId: string): Promise<number | undefined> {
  const { payload } = await readRevocationFeed(client, issuer);
  return payload.revocations.find((entry) => entry.token_id === tokenId)?.not_before;
}

/** The `iat` of a compact JWT. */
export function issuedAt(jwt: string): number {
  return decodeJwt(jwt).iat!;
}
