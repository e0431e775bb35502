import { beforeAll, describe, expect, it } from 'vitest';
import { loggedInClient } from '../support/api.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import { TestClient, type TestResponse } from '../support/http.js';
import { exchangeToken } from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

/** One request: a label for failure messages and how to make it with a given (logged-in) client. */
type Probe = [label: string, send: (client: TestClient, anonymous: TestClient) => Promise<TestResponse>];

describe('security headers', () => {
  const fixture = useServer();
  let plain: TestServer;
  let https: TestServer;
  let user: BuiltUser;
  let secret: string;

  beforeAll(async () => {
    plain = fixture.server;
    // The header decision is configuration: PUBLIC_URL says how people reach Tollbooth (through a
    // TLS-terminating proxy), whatever this hop speaks. Requests still go over plain http.
    https = await fixture.startInstance({ env: { PUBLIC_URL: 'https://tollbooth.example' } });
    user = await buildUser(fixture.dataSource, { organization: 'headers-org', role: 'owner' });
    secret = (await buildToken(fixture.dataSource, user)).secret;
  });

  const probes: Probe[] = [
    ['GET /api/services', (client) => client.get('/api/services')],
    ['GET /api/orgs/{org}/tokens', (client) => client.get('/api/orgs/headers-org/tokens')],
    ['GET /api/orgs/{org}/audit', (client) => client.get('/api/orgs/headers-org/audit')],
    ['GET /api/session (401)', (_client, anonymous) => anonymous.get('/api/session')],
    ['GET /api/openapi.json', (_client, anonymous) => anonymous.get('/api/openapi.json')],
    ['GET /api/nowhere (404)', (client) => client.get('/api/nowhere')],
    ['PUT /api/session (405)', (client) => client.request('PUT', '/api/session')],
    ['POST /api/orgs/{org}/tokens (400)', (client) => client.post('/api/orgs/headers-org/tokens', { name: '' })],
    [
      'POST /api/orgs/{org}/tokens (415)',
      (client) =>
        client.request('POST', '/api/orgs/headers-org/tokens', {
          raw: 'name=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
    ],
    ['POST /oauth/token (200)', (_client, anonymous) => exchangeToken(anonymous, secret)],
    ['POST /oauth/token (400)', (_client, anonymous) => exchangeToken(anonymous, 'tbp_not-a-token')],
    [
      'POST /oauth/token (401)',
      (_client, anonymous) =>
        anonymous.request('POST', '/oauth/token', {
          form: { grant_type: 'client_credentials' },
          headers: { authorization: 'Basic Zm9vOmJhcg==' },
        }),
    ],
    ['GET /oauth/jwks', (_client, anonymous) => anonymous.get('/oauth/jwks')],
    ['GET /.well-known/oauth-authorization-server', (_client, anonymous) => anonymous.get('/.well-known/oauth-authorization-server')],
    ['GET /login', (_client, anonymous) => anonymous.get('/login')],
    ['GET /settings/profile/access-tokens', (client) => client.get('/settings/profile/access-tokens')],
    ['GET /settings/profile/access-tokens (302)', (_client, anonymous) => anonymous.get('/settings/profile/access-tokens')],
    ['GET /healthz', (_client, anonymous) => anonymous.get('/healthz')],
    ['GET /readyz', (_client, anonymous) => anonymous.get('/readyz')],
    ['GET /nowhere (404)', (_client, anonymous) => anonymous.get('/nowhere')],
  ];

  async function answers(server: TestServer): Promise<Array<[string, TestResponse]>> {
    const client = await loggedInClient(server, user);
    const anonymous = new TestClient(server.url);
    const results: Array<[string, TestResponse]> = [];
    for (const [label, send] of probes) results.push([label, await send(client, anonymous)]);
    return results;
  }

  function expectBrowserHardening(label: string, response: TestResponse): void {
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      policy.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(directives.get('frame-ancestors'), `${label}: ${policy}`).toEqual(["'none'"]);
    expect(directives.get('default-src'), label).toEqual(["'self'"]);
    expect(directives.get('object-src'), label).toEqual(["'none'"]);
    expect(policy, label).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers.get('x-content-type-options'), label).toBe('nosniff');
    expect(response.headers.get('referrer-policy'), label).toBe('no-referrer');
  }

  it('sends CSP with frame-ancestors none, nosniff and Referrer-Policy on every kind of answer, and no HSTS over http', async () => {
    const results = await answers(plain);
    const statuses = Object.fromEntries(results.map(([label, response]) => [label, response.status]));
    // The probes reach the answers they are named for (a probe that silently 500s proves nothing).
    for (const [label, status] of Object.entries(statuses)) {
      const named = /\((\d{3})\)$/.exec(label)?.[1];
      expect(status, label).toBe(named ? Number(named) : 200);
    }
    for (const [label, response] of results) {
      expectBrowserHardening(label, response);
      expect(response.headers.get('strict-transport-security'), label).toBeNull();
    }
  });

  it('adds HSTS when PUBLIC_URL is https', async () => {
    for (const [label, response] of await answers(https)) {
      expectBrowserHardening(label, response);
      const hsts = response.headers.get('strict-transport-security') ?? '';
      expect(hsts, label).toMatch(/^max-age=(\d+); includeSubDomains$/);
      expect(Number(/max-age=(\d+)/.exec(hsts)![1]), label).toBeGreaterThanOrEqual(31_536_000);
    }
  });

  it('sends Cache-Control: no-store on every /api answer and every token endpoint answer', async () => {
    const results = await answers(plain);
    const mustNotBeStored = results.filter(([label]) => / \/api\/| \/oauth\/token/.test(label));
    expect(mustNotBeStored.length).toBe(12);
    for (const [label, response] of mustNotBeStored) expect(response.headers.get('cache-control'), label).toBe('no-store');
    const client = await loggedInClient(plain, user);
    const oversized = await client.post('/api/orgs/headers-org/tokens', { name: 'x'.repeat(20_000), service: 'strings' });
    expect([oversized.status, oversized.headers.get('cache-control')]).toEqual([413, 'no-store']);
    const loggedOut = await client.delete('/api/session');
    expect([loggedOut.status, loggedOut.headers.get('cache-control')]).toEqual([204, 'no-store']);
  });
});

describe('security headers on an unexpected failure', () => {
  const server = useServer({ database: 'proxied', env: { PUBLIC_URL: 'https://tollbooth.example' } });

  it('keeps CSP, nosniff, Referrer-Policy and HSTS on a 5xx that escaped every handler', async () => {
    const user = await buildUser(server.dataSource, { organization: 'outage-org', role: 'member' });
    const client = await loggedInClient(server, user);
    // The pages check the session in the database; with MySQL unreachable that check throws.
    server.proxy.cut();
    for (const path of ['/login', '/settings/profile/access-tokens']) {
      const response = await client.get(path);
      // An outage is temporary: 503 with Retry-After, not a bare 500.
      expect(response.status, path).toBe(503);
      expect(response.headers.get('retry-after'), path).toBe('5');
      expect(response.headers.get('content-security-policy') ?? '(none)', path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security'), path).toMatch(/^max-age=31536000/);
      expect(response.text, path).not.toMatch(/mysql|ECONNRE|at \//i);
    }
  });
});
