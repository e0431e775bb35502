import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { startProductApi, type RunningProductApi } from '../../examples/product-api/api.js';
import { expect } from 'vitest';
import { bearer } from './api.js';
import { eventually } from './eventually.js';
import type { TestClient, TestResponse } from './http.js';

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

/** Polls a product API's `/v1/whoami` with `jwt` until it refuses it; returns the refusal. */
export async function refusedEventually(api: TestClient, jwt: string, timeoutMs = 10_000): Promise<TestResponse> {
  return eventually(
    async () => {
      const response = await api.get('/v1/whoami', bearer(jwt));
      return response.status === 200 ? undefined : response;
    },
    { timeoutMs, intervalMs: 100, what: 'the product API to refuse the JWT' },
  );
}

/** Asserts the verifier kit's answer to a revoked JWT, as a product API for `audience` sends it. */
export function expectRevokedAnswer(response: TestResponse, audience: string): void {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe(
    `Bearer realm="${audience}", error="invalid_token", error_description="The access token has been revoked"`,
  );
  expect(response.body).toEqual({ error: 'invalid_token', error_description: 'The access token has been revoked' });
}

/**
 * The example product API for `audience`, verifying JWTs of the Tollbooth at `tollboothUrl` and
 * polling its revocation feed every 0.2 s, so a revocation case takes a fraction of a second
 * rather than up to 15.
 */
export function startQuicklyPollingProductApi(tollboothUrl: string, audience: string): Promise<RunningProductApi> {
  return startProductApi({ issuerUrl: `${tollboothUrl}/oauth`, audience, port: 0, revocation: { pollInterval: 0.2 } });
}
