import { describe, expect, it } from 'vitest';
import { expectProblem, tokensPath } from '../support/api.js';
import { addMembership, buildUser } from '../support/factories.js';
import { useServer, type ServerFixture } from '../support/fixture.js';
import type { RequestOptions } from '../support/http.js';

async function auditActions(server: ServerFixture, action: string): Promise<Array<Record<string, any>>> {
  return server.dataSource.query('SELECT * FROM audit_events WHERE action = ? ORDER BY id', [action]);
}

describe('logging in and out (POST/GET/DELETE /api/session)', () => {
  const server = useServer();

  it('sets an HttpOnly SameSite=Lax session cookie and returns the user, organizations and CSRF token', async () => {
    const user = await buildUser(server.dataSource, { organization: 'zeta-org', role: 'admin' });
    await addMembership(server.dataSource, user.id, 'alpha-org', 'viewer');
    const client = server.client();
    const response = await client.post('/api/session', { email: user.email.toUpperCase(), password: user.password });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tollbooth_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      user: { id: user.id, email: user.email },
      organizations: [
        { id: expect.any(String), slug: 'alpha-org', role: 'viewer' },
        { id: user.organizationId, slug: 'zeta-org', role: 'admin' },
      ],
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    client.csrfToken = response.body.csrf_token;
    expect((await client.get('/api/session')).body).toEqual(response.body);
    const [login] = await auditActions(server, 'session.login');
    expect(login).toMatchObject({ actor_user_id: user.id, ip: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it('answers the same 401 for a wrong password and an unknown email, and audits both', async () => {
    const user = await buildUser(server.dataSource);
    const client = server.client();
    const wrong = expectProblem(
      await client.post('/api/session', { email: user.email, password: 'not-the-password' }, { headers: { 'user-agent': 'probe/1.0' } }),
      401,
      'invalid_credentials',
    );
    const unknown = expectProblem(
      await client.post('/api/session', { email: 'nobody@example.test', password: 'whatever-password' }),
      401,
      'invalid_credentials',
    );
    expect(unknown).toEqual(wrong);
    expect((await client.get('/api/session')).status).toBe(401);
    const failures = await auditActions(server, 'session.login_failed');
    expect(failures.map((event) => JSON.parse(event.details).email)).toEqual(expect.arrayContaining([user.email, 'nobody@example.test']));
    expect(failures.find((event) => JSON.parse(event.details).email === user.email)).toMatchObject({
      user_agent: 'probe/1.0',
      ip: expect.any(String),
    });
    expect(JSON.stringify(failures)).not.toContain('not-the-password');
  });

  it('does the same password-hashing work for an unknown email as for a wrong password (a dummy hash is verified)', async () => {
    const user = await buildUser(server.dataSource);
    const client = server.client();
    // CPU time, not wall time: the server runs in this process and scrypt runs on its thread
    // pool, so the measure holds however busy the machine is.
    const cpuMilliseconds = async (email: string) => {
      const before = process.cpuUsage();
      expect((await client.post('/api/session', { email, password: 'wrong-password-1' })).status).toBe(401);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    const known = await cpuMilliseconds(user.email);
    const unknown = await cpuMilliseconds(`ghost-${user.email}`);
    // One scrypt verification costs tens of ms of CPU; without the dummy hash an unknown email costs ~1 ms.
    expect(known).toBeGreaterThan(20);
    expect(unknown).toBeGreaterThan(known * 0.5);
  });

  it.each<[string, RequestOptions, number, string]>([
    ['no password', { json: { email: 'a@b.c' } }, 400, 'invalid_request'],
    ['an unknown field', { json: { email: 'a@b.c', password: 'x', remember: true } }, 400, 'invalid_request'],
    ['an array', { json: ['a@b.c', 'x'] }, 400, 'invalid_request'],
    ['a form', { form: { email: 'a@b.c', password: 'x' } }, 415, 'unsupported_media_type'],
    ['truncated JSON', { raw: '{"email":', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
  ])('refuses a login body with %s (%i %s)', async (_case, body, status, code) => {
    expectProblem(await server.client().request('POST', '/api/session', body), status, code);
  });

  it('logs out with the CSRF token: the session ends on the server and the cookie is cleared', async () => {
    const user = await buildUser(server.dataSource, { organization: 'logout-org' });
    const client = server.client();
    const login = await client.login(user.email, user.password);
    const stolenCookie = login.headers.get('set-cookie')!.split(';')[0]!;

    expectProblem(await client.delete('/api/session', { withoutCsrf: true }), 403, 'csrf_token_invalid');
    expectProblem(await client.delete('/api/session', { headers: { 'x-csrf-token': 'forged' } }), 403, 'csrf_token_invalid');
    expect((await client.get('/api/session')).status).toBe(200);

    const out = await client.delete('/api/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^tollbooth_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    const replay = server.client();
    expectProblem(await replay.get(tokensPath('logout-org'), { headers: { cookie: stolenCookie } }), 401, 'unauthenticated');
    expectProblem(await replay.get('/api/session', { headers: { cookie: stolenCookie } }), 401, 'unauthenticated');
    expect((await replay.delete('/api/session')).status).toBe(204);
    expect((await auditActions(server, 'session.logout')).map((event) => event.actor_user_id)).toContain(user.id);
  });

  it('ends the previous session when logging in again (a new session id every login)', async () => {
    const user = await buildUser(server.dataSource);
    const client = server.client();
    const first = await client.login(user.email, user.password);
    const firstCookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const second = await client.login(user.email, user.password);
    expect(second.headers.get('set-cookie')!.split(';')[0]).not.toBe(firstCookie);
    expect((await server.client().get('/api/session', { headers: { cookie: firstCookie } })).status).toBe(401);
    expect((await client.get('/api/session')).status).toBe(200);
  });

  it('blocks an account after 10 failed logins in 15 minutes with 429, even with the right password', async () => {
    const user = await buildUser(server.dataSource);
    const client = server.client();
    for (let attempt = 0; attempt < 11; attempt += 1) {
      expect((await client.post('/api/session', { email: user.email, password: `wrong-${attempt}-password` })).status).toBe(401);
    }
    const blocked = expectProblem(await client.post('/api/session', { email: user.email, password: user.password }), 429, 'rate_limited');
    expect(Number(blocked.retry_after)).toBeGreaterThan(0);
    // Eleven scrypt verifications in a row: minutes on a busy machine, not seconds.
  }, 120_000);
});

describe('session cookie over https', () => {
  const server = useServer({ env: { PUBLIC_URL: 'https://tollbooth.example.test' } });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const user = await buildUser(server.dataSource);
    const response = await server.client().post('/api/session', { email: user.email, password: user.password });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });
});
