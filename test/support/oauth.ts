import { expect } from 'vitest';
import { basicAuthorization as basicHeader } from '../../src/oauth/basic-credentials.js';
import { TOKEN_EXCHANGE_GRANT } from '../../src/oauth/index.js';
import type { TestClient, TestResponse } from './http.js';

/** `POST /oauth/token` with an RFC 8693 exchange of `secret`, plus any extra parameters. */
export function exchangeToken(
  client: TestClient,
  secret: string | undefined,
  extra: Record<string, string | string[]> = {},
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const form: Record<string, string | string[]> = { grant_type: TOKEN_EXCHANGE_GRANT, ...extra };
  if (secret !== undefined) form.subject_token = secret;
  return client.request('POST', '/oauth/token', { form, headers });
}

/** Exchanges `secret` (RFC 8693), asserts the 200, and returns the JWT. */
export async function exchangedJwt(client: TestClient, secret: string, extra: Record<string, string> = {}): Promise<string> {
  const response = await exchangeToken(client, secret, extra);
  expect(response.status, response.text).toBe(200);
  return response.body.access_token;
}

/** HTTP Basic client authentication (RFC 6749 §2.3.1: both parts form-encoded first), as a header. */
export function basicAuthorization(id: string, secret: string): { authorization: string } {
  return { authorization: basicHeader(id, secret) };
}

/** `POST /oauth/token` with client_credentials, the secret in HTTP Basic (RFC 6749 §2.3.1). */
export function clientCredentials(
  client: TestClient,
  id: string,
  secret: string,
  extra: Record<string, string> = {},
): Promise<TestResponse> {
  return client.request('POST', '/oauth/token', {
    form: { grant_type: 'client_credentials', ...extra },
    headers: basicAuthorization(id, secret),
  });
}

/**
 * Asserts an RFC 6749 §5.2 error answer: the status, JSON (never HTML or problem+json), the
 * `error` code with a description, and `Cache-Control: no-store`. Returns the body.
 */
export function expectOAuthError(response: TestResponse, status: number, error: string): { error: string; error_description: string } {
  expect({ status: response.status, error: response.body?.error }).toEqual({ status, error });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.body).toEqual({ error, error_description: expect.any(String) });
  if (response.status !== 404 && response.status !== 405) expect(response.headers.get('cache-control')).toBe('no-store');
  return response.body;
}
