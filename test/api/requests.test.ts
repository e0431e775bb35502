import { beforeAll, describe, expect, it } from 'vitest';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { expectProblem, loggedInClient, tokensPath, useTestServer } from './support.js';

describe('management API request handling', () => {
  const server = useTestServer();
  let user: BuiltUser;
  let client: TestClient;

  beforeAll(async () => {
    user = await buildUser(server().runtime.dataSource, { organization: 'requests-org', role: 'owner' });
    client = await loggedInClient(server(), user);
  });

  it('refuses anonymous calls with 401 unauthenticated and a WWW-Authenticate challenge', async () => {
    const anonymous = new TestClient(server().url);
    for (const response of [
      await anonymous.get(tokensPath('requests-org')),
      await anonymous.post(tokensPath('requests-org'), { name: 'x', service: 'strings' }),
      await anonymous.get('/api/services'),
      await anonymous.get('/api/session'),
      await anonymous.get(tokensPath('requests-org'), { headers: { cookie: 'tollbooth_session=forged-value' } }),
    ]) {
      expectProblem(response, 401, 'unauthenticated');
    }
    expect((await anonymous.get('/api/services')).headers.get('www-authenticate')).toBe('Bearer realm="tollbooth"');
  });

  it('refuses a malformed or unverifiable bearer token with 401 invalid_token', async () => {
    const anonymous = new TestClient(server().url);
    for (const authorization of ['Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b']) {
      const response = await anonymous.get(tokensPath('requests-org'), { headers: { authorization } });
      expectProblem(response, 401, 'invalid_token');
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="tollbooth", error="invalid_token"');
    }
  });

  it('requires the CSRF token on every cookie-authenticated state change and changes nothing without it', async () => {
    const built = await buildToken(server().runtime.dataSource, user, { name: 'guarded' });
    const path = tokensPath('requests-org', `/${built.id}`);
    const attempts = [
      () => client.post(tokensPath('requests-org'), { name: 'forged', service: 'strings' }, { withoutCsrf: true }),
      () => client.patch(path, { name: 'forged' }, { withoutCsrf: true }),
      () => client.post(`${path}/disable`, undefined, { withoutCsrf: true }),
      () => client.delete(path, { withoutCsrf: true }),
      () => client.post(tokensPath('requests-org', '/delete'), { ids: [built.id] }, { withoutCsrf: true }),
      () => client.delete(path, { headers: { 'x-csrf-token': `${client.csrfToken}x` } }),
      () => client.delete(path, { headers: { 'x-csrf-token': client.csrfToken!.slice(0, -1) } }),
    ];
    for (const attempt of attempts) expectProblem(await attempt(), 403, 'csrf_token_invalid');
    const listed = await client.get(tokensPath('requests-org'), { withoutCsrf: true });
    expect(listed.body.tokens.map((token: { name: string; status: string }) => [token.name, token.status])).toEqual([
      ['guarded', 'active'],
    ]);
  });

  it('does not accept another session’s CSRF token', async () => {
    const other = await loggedInClient(server(), await buildUser(server().runtime.dataSource, { organization: 'requests-org' }));
    const response = await client.post(
      tokensPath('requests-org'),
      { name: 'x', service: 'strings' },
      { headers: { 'x-csrf-token': other.csrfToken! } },
    );
    expectProblem(response, 403, 'csrf_token_invalid');
  });

  it('accepts only application/json bodies of at most 16 KB, and only objects', async () => {
    const path = tokensPath('requests-org');
    expectProblem(
      await client.request('POST', path, {
        raw: 'name=x&service=strings',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    );
    expectProblem(
      await client.request('POST', path, { raw: '{"name":"x","service":"strings"}', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
    expectProblem(
      await client.request('POST', path, { raw: '{"name":', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
    expectProblem(
      await client.request('POST', path, { raw: '"just a string"', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
    expectProblem(
      await client.request('POST', path, { raw: 'null', headers: { 'content-type': 'application/json' } }),
      400,
      'malformed_json',
    );
    expectProblem(await client.post(path, [{ name: 'x', service: 'strings' }]), 400, 'invalid_request');
    expectProblem(await client.post(path, { name: 'x', service: 'strings', description: 'd'.repeat(20_000) }), 413, 'body_too_large');
    expectProblem(await client.request('POST', path, { headers: { 'content-type': 'application/json' } }), 400, 'invalid_request');
    expect(
      (
        await client.request('POST', path, {
          raw: '{"name":"charset ok","service":"strings"}',
          headers: { 'content-type': 'application/json; charset=utf-8' },
        })
      ).status,
    ).toBe(201);
  });

  it('sends Cache-Control: no-store on every /api answer, success or error', async () => {
    const responses = [
      await client.get(tokensPath('requests-org')),
      await client.get('/api/services'),
      await client.get('/api/openapi.json'),
      await client.get('/api/nothing-here'),
      await client.request('PUT', tokensPath('requests-org')),
      await new TestClient(server().url).get(tokensPath('requests-org')),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 404, 405, 401]);
    for (const response of responses) expect(response.headers.get('cache-control')).toBe('no-store');
    expectProblem(responses[3]!, 404, 'not_found');
    const notAllowed = expectProblem(responses[4]!, 405, 'method_not_allowed');
    expect(notAllowed).toBeDefined();
    expect(responses[4]!.headers.get('allow')).toBe('HEAD, GET, POST');
  });

  it('answers hostile paths and parameters with 4xx, never 5xx', async () => {
    const paths = [
      `/api/orgs/${'a'.repeat(5000)}/tokens`,
      '/api/orgs/%00/tokens',
      '/api/orgs/%E2%80%AE/tokens',
      "/api/orgs/requests-org'%20OR%20'1'='1/tokens",
      tokensPath('requests-org', `/${'f'.repeat(36)}`),
      tokensPath('requests-org', '/%27%3B%20DROP%20TABLE%20platform_tokens%3B--'),
      tokensPath('requests-org', '?q=%00%25%5C'),
      tokensPath('requests-org', '?status[]=active'),
      tokensPath('requests-org', '/..%2F..%2Fsession'),
    ];
    for (const path of paths) {
      const response = await client.get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(200);
      expect(response.status, path).toBeLessThan(500);
      if (response.status >= 400) expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
  });
});
