import { expect } from 'vitest';
import type { DataSource } from 'typeorm';
import { TOKEN_EXCHANGE_GRANT } from '../../src/oauth/index.js';
import { deleteToken, setTokenStatus } from '../../src/tokens/index.js';
import type { BuiltUser } from './factories.js';
import { createTestDatabase } from './database.js';
import { TestClient, type TestResponse } from './http.js';
import { startTestServer, type TestServer, type TestServerOptions } from './server.js';

const DAY_MS = 86_400_000;

/** A moment 731 days ago: a token created then has expired (its expiry is fixed at creation). */
export function longAgo(): Date {
  return new Date(Date.now() - 731 * DAY_MS);
}

/** Disables a token through the real lifecycle, as its owner would. */
export async function disableToken(dataSource: DataSource, owner: BuiltUser, tokenId: string): Promise<void> {
  const actor = { userId: owner.id, organizationId: owner.organizationId, role: owner.role };
  await setTokenStatus(dataSource, actor, tokenId, 'disabled', { actorUserId: owner.id, ip: null, userAgent: null });
}

/** Deletes a token through the real lifecycle, as its owner would. */
export async function deleteOwnToken(dataSource: DataSource, owner: BuiltUser, tokenId: string): Promise<void> {
  const actor = { userId: owner.id, organizationId: owner.organizationId, role: owner.role };
  await deleteToken(dataSource, actor, tokenId, { actorUserId: owner.id, ip: null, userAgent: null });
}

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

/** HTTP Basic client authentication (RFC 6749 §2.3.1: both parts form-encoded first). */
export function basicAuthorization(id: string, secret: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` };
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

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
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

/** A real server on a fresh MySQL database, for one test file; `close` stops it and drops the database. */
export interface ServerOnFreshDatabase {
  server: TestServer;
  /** DATABASE_URL, for a second instance on the same database. */
  databaseUrl: string;
  dataSource: DataSource;
  /** A client without cookies, as scripts and CI call the token endpoint. */
  client: TestClient;
  close(): Promise<void>;
}

export async function serverOnFreshDatabase(options: Omit<TestServerOptions, 'databaseUrl'> = {}): Promise<ServerOnFreshDatabase> {
  const database = await createTestDatabase();
  const server = await startTestServer({ ...options, databaseUrl: database.url });
  return {
    server,
    databaseUrl: database.url,
    dataSource: server.runtime.dataSource,
    client: new TestClient(server.url),
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
