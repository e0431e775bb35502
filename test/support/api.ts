import { expect } from 'vitest';
import { TestClient, type TestResponse } from './http.js';

/** A client logged in through POST /api/session, holding the cookie and CSRF token. */
export async function loggedInClient(server: { url: string }, user: { email: string; password: string }): Promise<TestClient> {
  const client = new TestClient(server.url);
  const response = await client.login(user.email, user.password);
  expect(response.status).toBe(200);
  return client;
}

/** `/api/orgs/{slug}/tokens` plus an optional rest. */
export function tokensPath(slug: string, rest = ''): string {
  return `/api/orgs/${encodeURIComponent(slug)}/tokens${rest}`;
}

/** `Authorization: Bearer <credential>` as request options for the test client. */
export function bearer(credential: string): { headers: { authorization: string } } {
  return { headers: { authorization: `Bearer ${credential}` } };
}

export interface CreatedThroughApi {
  id: string;
  /** The plaintext platform token, shown only in this one response. */
  secret: string;
  /** The token object of the 201 response. */
  token: Record<string, any>;
}

/**
 * Creates a token through `POST /api/orgs/{org}/tokens` as `client` (logged in, or with a
 * bearer in `options`), asserts the 201, and returns the token and its secret.
 */
export async function createTokenThroughApi(
  client: TestClient,
  organization: string,
  body: { name: string; service?: string; role?: string; description?: string; scopes?: string[]; allowed_ips?: string[] },
  options: { headers?: Record<string, string> } = {},
): Promise<CreatedThroughApi> {
  const response = await client.post(tokensPath(organization), { service: 'strings', ...body }, options);
  expect(response.status, response.text).toBe(201);
  return { id: response.body.token.id, secret: response.body.secret, token: response.body.token };
}

/** Asserts an RFC 9457 problem with a stable code, and returns its body. */
export function expectProblem(response: Pick<TestResponse, 'status' | 'headers' | 'body'>, status: number, code: string): any {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code });
  return response.body;
}
