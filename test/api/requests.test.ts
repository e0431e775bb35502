import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { RequestOptions, TestClient } from '../support/http.js';

describe('management API request handling', () => {
  const fixture = useServer();
  let user: BuiltUser;
  let client: TestClient;

  beforeAll(async () => {
    user = await buildUser(fixture.dataSource, { organization: 'requests-org', role: 'owner' });
    client = await loggedInClient(fixture, user);
  });

  it.each([
    ['listing tokens', (anonymous: TestClient) => anonymous.get(tokensPath('requests-org'))],
    ['creating a token', (anonymous: TestClient) => anonymous.post(tokensPath('requests-org'), { name: 'x', service: 'strings' })],
    ['listing services', (anonymous: TestClient) => anonymous.get('/api/services')],
    ['reading the session', (anonymous: TestClient) => anonymous.get('/api/session')],
    [
      'a forged session cookie',
      (anonymous: TestClient) => anonymous.get(tokensPath('requests-org'), { headers: { cookie: 'tollbooth_session=forged-value' } }),
    ],
  ])('refuses an anonymous call (%s) with 401 unauthenticated', async (_case, call) => {
    expectProblem(await call(fixture.client()), 401, 'unauthenticated');
  });

  it('challenges an anonymous API call with WWW-Authenticate', async () => {
    const response = await fixture.client().get('/api/services');
    expect([response.status, response.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="tollbooth"']);
  });

  it.each(['Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b'])(
    'refuses Authorization: %s with 401 invalid_token',
    async (authorization) => {
      const response = await fixture.client().get(tokensPath('requests-org'), { headers: { authorization } });
      expectProblem(response, 401, 'invalid_token');
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="tollbooth", error="invalid_token"');
    },
  );

  describe('a cookie-authenticated state change', () => {
    let path: string;
    let tokenId: string;
    beforeAll(async () => {
      tokenId = (await buildToken(fixture.dataSource, user, { name: 'guarded' })).id;
      path = tokensPath('requests-org', `/${tokenId}`);
    });

    it.each([
      [
        'a create without the header',
        () => client.post(tokensPath('requests-org'), { name: 'forged', service: 'strings' }, { withoutCsrf: true }),
      ],
      ['a rename without the header', () => client.patch(path, { name: 'forged' }, { withoutCsrf: true })],
      ['a disable without the header', () => client.post(`${path}/disable`, undefined, { withoutCsrf: true })],
      ['a delete without the header', () => client.delete(path, { withoutCsrf: true })],
      [
        'a bulk delete without the header',
        () => client.post(tokensPath('requests-org', '/delete'), { ids: [tokenId] }, { withoutCsrf: true }),
      ],
      ['a delete with a longer token', () => client.delete(path, { headers: { 'x-csrf-token': `${client.csrfToken}x` } })],
      ['a delete with a shorter token', () => client.delete(path, { headers: { 'x-csrf-token': client.csrfToken!.slice(0, -1) } })],
    ])('is refused for %s with 403 csrf_token_invalid, changing nothing', async (_case, attempt) => {
      expectProblem(await attempt(), 403, 'csrf_token_invalid');
      const listed = await client.get(tokensPath('requests-org'), { withoutCsrf: true });
      expect(listed.body.tokens.map((token: { name: string; status: string }) => [token.name, token.status])).toEqual([
        ['guarded', 'active'],
      ]);
    });
  });

  it('does not accept another session’s CSRF token', async () => {
    const other = await loggedInClient(fixture, await buildUser(fixture.dataSource, { organization: 'requests-org' }));
    const response = await client.post(
      tokensPath('requests-org'),
      { name: 'x', service: 'strings' },
      { headers: { 'x-csrf-token': other.csrfToken! } },
    );
    expectProblem(response, 403, 'csrf_token_invalid');
  });

  describe('request bodies', () => {
    const json = (raw: string, contentType = 'application/json'): RequestOptions => ({ raw, headers: { 'content-type': contentType } });

    it.each([
      ['a form', json('name=x&service=strings', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
      ['JSON sent as text/plain', json('{"name":"x","service":"strings"}', 'text/plain'), 415, 'unsupported_media_type'],
      ['truncated JSON', json('{"name":'), 400, 'malformed_json'],
      ['a JSON string', json('"just a string"'), 400, 'malformed_json'],
      ['JSON null', json('null'), 400, 'malformed_json'],
      ['a JSON array', json('[{"name":"x","service":"strings"}]'), 400, 'invalid_request'],
      [
        'a body over 16 KB',
        json(JSON.stringify({ name: 'x', service: 'strings', description: 'd'.repeat(20_000) })),
        413,
        'body_too_large',
      ],
      ['no body', { headers: { 'content-type': 'application/json' } }, 400, 'invalid_request'],
    ])('refuses %s with %i %s', async (_case, options, status, code) => {
      expectProblem(await client.request('POST', tokensPath('requests-org'), options), status, code);
    });

    it('accepts application/json with a charset', async () => {
      const response = await client.request(
        'POST',
        tokensPath('requests-org'),
        json('{"name":"charset ok","service":"strings"}', 'application/json; charset=utf-8'),
      );
      expect(response.status).toBe(201);
    });
  });

  it('sends Cache-Control: no-store on every /api answer, success or error', async () => {
    const responses = [
      await client.get(tokensPath('requests-org')),
      await client.get('/api/services'),
      await client.get('/api/openapi.json'),
      await client.get('/api/nothing-here'),
      await client.request('PUT', tokensPath('requests-org')),
      await fixture.client().get(tokensPath('requests-org')),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 404, 405, 401]);
    for (const response of responses) expect(response.headers.get('cache-control')).toBe('no-store');
    expectProblem(responses[3]!, 404, 'not_found');
    expectProblem(responses[4]!, 405, 'method_not_allowed');
    expect(responses[4]!.headers.get('allow')).toBe('HEAD, GET, POST');
  });

  it.each([
    `/api/orgs/${'a'.repeat(5000)}/tokens`,
    '/api/orgs/%00/tokens',
    '/api/orgs/%E2%80%AE/tokens',
    "/api/orgs/requests-org'%20OR%20'1'='1/tokens",
    tokensPath('requests-org', `/${'f'.repeat(36)}`),
    tokensPath('requests-org', '/%27%3B%20DROP%20TABLE%20platform_tokens%3B--'),
    tokensPath('requests-org', '?q=%00%25%5C'),
    tokensPath('requests-org', '?status[]=active'),
    tokensPath('requests-org', '/..%2F..%2Fsession'),
  ])('answers the hostile %s with a 4xx problem or a 200, never a 5xx', async (path) => {
    const response = await client.get(path);
    expect(response.status).toBeLessThan(500);
    if (response.status !== 200) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});
