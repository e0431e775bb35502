import type { Server } from 'node:http';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductApi, type RunningProductApi } from '../../examples/product-api/api.js';
import { createVerifier } from '@tollbooth/verifier';
import { bearerAuth, requireScope, type TollboothState } from '@tollbooth/verifier/koa';
import { TestClient } from '../support/http.js';
import { freePort } from '../support/server.js';
import { AUDIENCE, bearer, decodeSegment, encodeSegment, hmacToken, startIssuerServer, type IssuerServer } from './issuer-server.js';

const REALM = `realm="${AUDIENCE}"`;

describe('the example product API (RFC 6750 answers)', () => {
  let issuer: IssuerServer;
  let other: IssuerServer;
  let api: RunningProductApi;
  let client: TestClient;

  beforeAll(async () => {
    issuer = await startIssuerServer();
    other = await startIssuerServer();
    api = await startProductApi({ issuerUrl: issuer.issuer, audience: AUDIENCE, port: 0 });
    client = new TestClient(api.url);
  });
  afterAll(async () => {
    await api?.close();
    await issuer?.close();
    await other?.close();
  });

  it('answers /v1/whoami with the verified claims', async () => {
    const token = await issuer.sign({ claims: { sub: 'user-42', org_id: 'org-7', role: 'manager', scope: 'strings.read' } });
    const response = await client.get('/v1/whoami', bearer(token));
    expect(response.status).toBe(200);
    const { jti, iat, exp } = decodeSegment(token.split('.')[1]!);
    expect(response.body).toEqual({
      iss: issuer.issuer,
      aud: AUDIENCE,
      sub: 'user-42',
      org_id: 'org-7',
      token_id: 'token-1',
      role: 'manager',
      client_id: 'token-1',
      jti,
      scope: ['strings.read'],
      exp,
      iat,
    });
  });

  it('accepts the scheme name in any case', async () => {
    const response = await client.get('/v1/whoami', { headers: { authorization: `bearer ${await issuer.sign()}` } });
    expect(response.status).toBe(200);
  });

  it.each([
    ['no Authorization header', {}],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('answers a request with %s 401 with a bare challenge and no error code (RFC 6750 §3.1)', async (_label, headers) => {
    const response = await client.get('/v1/whoami', { headers: headers as Record<string, string> });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer ${REALM}`);
    expect(response.body.error).toBeUndefined();
    expect(response.body.error_description).toContain('Authorization: Bearer');
  });

  it.each(['Bearer', 'Bearer ', 'Bearer two tokens', 'Bearer "quoted"'])(
    'answers the malformed Authorization header %j 400 invalid_request',
    async (authorization) => {
      const response = await client.get('/v1/whoami', { headers: { authorization } });
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toMatch(
        new RegExp(`^Bearer ${REALM}, error="invalid_request", error_description="[^"]+"$`),
      );
      expect(response.body.error).toBe('invalid_request');
    },
  );

  const refusals: Array<[string, () => Promise<string>, string | (() => string)]> = [
    [
      'an expired token',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return issuer.sign({ claims: { iat: now - 14_460, exp: now - 60 } });
      },
      'The access token expired',
    ],
    [
      "another service's token",
      () => issuer.sign({ claims: { aud: 'https://tms.tollbooth.example/api' } }),
      `The access token is not for this API (audience ${AUDIENCE} expected)`,
    ],
    [
      'a tampered payload',
      async () => {
        const [header, payload, signature] = (await issuer.sign({ claims: { role: 'viewer' } })).split('.');
        return `${header}.${encodeSegment({ ...decodeSegment(payload!), role: 'owner' })}.${signature}`;
      },
      'The access token signature is invalid',
    ],
    [
      'alg none',
      async () => {
        const payload = (await issuer.sign()).split('.')[1];
        return `${encodeSegment({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
      },
      'The access token is signed with an algorithm this API does not accept',
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const key = issuer.keys[0]!;
        return hmacToken(
          { alg: 'HS256', typ: 'at+jwt', kid: key.kid },
          (await issuer.sign()).split('.')[1]!,
          JSON.stringify(key.publicJwk),
        );
      },
      'The access token is signed with an algorithm this API does not accept',
    ],
    ["another issuer's JWT", () => other.sign(), 'No published signing key matches the access token (kid)'],
    [
      'a JWT naming another issuer',
      () => issuer.sign({ claims: { iss: 'https://evil.example/oauth' } }),
      () => `The access token was not issued by ${issuer.issuer}`,
    ],
    [
      'a JWT that is not an access token',
      () => issuer.sign({ header: { typ: 'JWT' } }),
      'The token is not an access token (RFC 9068 typ at+jwt expected)',
    ],
    ['garbage', async () => 'not.a.jwt', 'The access token is not a well-formed JWT'],
  ];

  it.each(refusals)('refuses %s with 401 invalid_token saying why', async (_label, mint, expected) => {
    const description = typeof expected === 'function' ? expected() : expected;
    const response = await client.get('/v1/whoami', bearer(await mint()));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer ${REALM}, error="invalid_token", error_description="${description}"`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({ error: 'invalid_token', error_description: description });
  });

  it('gives a read-only token 403 insufficient_scope on the write route, naming the scope', async () => {
    const token = await issuer.sign({ claims: { scope: 'strings.read', org_id: 'org-read-only' } });
    const write = await client.post('/v1/strings', { key: 'greeting', value: 'hello' }, bearer(token));
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe(
      `Bearer ${REALM}, error="insufficient_scope", error_description="The access token lacks the scope strings.write", scope="strings.write"`,
    );
    expect(write.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token lacks the scope strings.write',
      scope: 'strings.write',
    });
    const read = await client.get('/v1/strings', bearer(token));
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ strings: [] });
  });

  it('lets a write token write, scoped to its organization', async () => {
    const writer = await issuer.sign({ claims: { org_id: 'org-writer', sub: 'user-writer' } });
    const created = await client.post('/v1/strings', { key: 'greeting', value: 'hello' }, bearer(writer));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ key: 'greeting', value: 'hello', created_by: 'user-writer' });
    expect((await client.get('/v1/strings', bearer(writer))).body.strings).toEqual([created.body]);
    const neighbour = await issuer.sign({ claims: { org_id: 'org-neighbour' } });
    expect((await client.get('/v1/strings', bearer(neighbour))).body.strings).toEqual([]);
  });

  it('answers a bad body 400 after authentication, and never parses an anonymous body', async () => {
    const token = await issuer.sign();
    const invalid = await client.post('/v1/strings', { key: 'Bad Key!', value: 1 }, bearer(token));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe('invalid_request');
    const notJson = await client.request('POST', '/v1/strings', {
      raw: '{oops',
      headers: { 'content-type': 'application/json', ...bearer(token).headers },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe('invalid_request');
    const anonymous = await client.request('POST', '/v1/strings', { raw: '{oops', headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
  });
});

describe('bearerAuth when the issuer is down', () => {
  it('answers 503 without a challenge or internal addresses, and reports the error to the app', async () => {
    const issuerPort = await freePort();
    const verifier = createVerifier({ issuer: `http://127.0.0.1:${issuerPort}/oauth`, audience: AUDIENCE });
    const app = new Koa<TollboothState>();
    const reported: unknown[] = [];
    app.on('error', (error: unknown) => reported.push(error));
    app.use(bearerAuth(verifier)).use((ctx) => {
      ctx.body = 'unreachable';
    });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const issuer = await startIssuerServer();
      const token = await issuer.sign();
      await issuer.close();
      const response = await new TestClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`).get('/', bearer(token));
      expect(response.status).toBe(503);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The API cannot verify access tokens right now; try again shortly',
      });
      expect(response.text).not.toContain(String(issuerPort));
      expect(reported).toHaveLength(1);
      expect((reported[0] as { code: string }).code).toBe('ERR_TOLLBOOTH_DISCOVERY');
    } finally {
      server.close();
    }
  });
});

describe('bearerAuth with API-wide scopes and a realm', () => {
  it('answers 403 insufficient_scope naming every scope the API requires', async () => {
    const issuer = await startIssuerServer();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, requiredScopes: ['strings.read'] });
    const app = new Koa<TollboothState>();
    app.use(bearerAuth(verifier, { realm: 'strings' }));
    app.use(requireScope('strings.read', 'strings.write'));
    app.use((ctx) => {
      ctx.body = { org: ctx.state.claims.org_id };
    });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const client = new TestClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
      const writeOnly = await client.get('/', bearer(await issuer.sign({ claims: { scope: 'strings.write' } })));
      expect(writeOnly.status).toBe(403);
      expect(writeOnly.headers.get('www-authenticate')).toBe(
        'Bearer realm="strings", error="insufficient_scope", error_description="The access token lacks the scope strings.read", scope="strings.read"',
      );
      const readOnly = await client.get('/', bearer(await issuer.sign({ claims: { scope: 'strings.read' } })));
      expect(readOnly.status).toBe(403);
      expect(readOnly.headers.get('www-authenticate')).toContain('realm="strings", error="insufficient_scope"');
      expect(readOnly.body.scope).toBe('strings.read strings.write');
      const both = await client.get('/', bearer(await issuer.sign()));
      expect(both.status).toBe(200);
      expect(both.body).toEqual({ org: 'org-1' });
    } finally {
      server.close();
      await issuer.close();
    }
  });
});
