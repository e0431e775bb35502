import { afterAll, beforeAll, expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TestClient } from '../support/http.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.js';

/**
 * Starts Tollbooth on a fresh MySQL database before the file's tests and drops both after.
 * Returns the running server (call it inside tests and hooks).
 */
export function useTestServer(options: Omit<TestServerOptions, 'databaseUrl'> = {}): () => TestServer {
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ ...options, databaseUrl: database.url });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });
  return () => {
    if (!server) throw new Error('the test server has not started');
    return server;
  };
}

/** A client logged in through POST /api/session, holding the cookie and CSRF token. */
export async function loggedInClient(server: TestServer, user: { email: string; password: string }): Promise<TestClient> {
  const client = new TestClient(server.url);
  const response = await client.login(user.email, user.password);
  expect(response.status).toBe(200);
  return client;
}

/** `/api/orgs/{slug}/tokens` plus an optional rest. */
export function tokensPath(slug: string, rest = ''): string {
  return `/api/orgs/${encodeURIComponent(slug)}/tokens${rest}`;
}

/** Asserts an RFC 9457 problem with a stable code, and returns its body. */
export function expectProblem(response: { status: number; headers: Headers; body: any }, status: number, code: string): any {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code });
  return response.body;
}
