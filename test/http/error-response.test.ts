import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidClient, KeyDecryptionError, NoSigningKeyError, TemporarilyUnavailable, TokenLimitReached } from '../../src/errors/index.js';
import { errorBoundary, type ErrorFormat } from '../../src/http/index.js';
import { TestClient } from '../support/http.js';

/**
 * The one function that writes errors, behind each surface's boundary on a real Koa server:
 * `/problem/*` answers as /api does, `/oauth/*` as /oauth does. Each path throws one error.
 */
const thrown: Record<string, () => unknown> = {
  'no-signing-key': () => new NoSigningKeyError('no active signing key is loaded'),
  'key-decryption': () => new KeyDecryptionError('signing key abc cannot be decrypted: is KEY_ENCRYPTION_KEY the same on every instance?'),
  'database-down': () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }),
  deadline: () => new TemporarilyUnavailable('The database did not answer in time; try again shortly.'),
  'token-limit': () => new TokenLimitReached(20),
  'invalid-client': () => new InvalidClient(),
  bug: () => new TypeError("Cannot read properties of undefined (reading 'id')"),
};

function boundary(format: ErrorFormat, prefix: string): Koa.Middleware {
  const errors = errorBoundary(format, 'nothing here');
  return async (ctx, next) => {
    if (!ctx.path.startsWith(prefix)) return next();
    await errors(ctx, async () => {
      const make = thrown[ctx.path.slice(prefix.length)];
      if (make) throw make();
    });
  };
}

describe('error answers', () => {
  let server: ReturnType<Koa['listen']>;
  let client: TestClient;

  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    app.use(boundary({ kind: 'problem' }, '/problem/'));
    app.use(boundary({ kind: 'oauth', realm: 'https://issuer.example/oauth' }, '/oauth/'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    client = new TestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  describe.each(['no-signing-key', 'key-decryption', 'database-down', 'deadline'])('%s: the service is unavailable', (name) => {
    it('is a problem+json 503 temporarily_unavailable with Retry-After on /api, never a 500', async () => {
      const response = await client.get(`/problem/${name}`);
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 503, code: 'temporarily_unavailable' });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.text).not.toMatch(/KEY_ENCRYPTION_KEY|ECONNREFUSED|3306/);
    });

    it('is an RFC 6749 503 temporarily_unavailable with Retry-After on /oauth, never a 500', async () => {
      const response = await client.get(`/oauth/${name}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.text).not.toMatch(/KEY_ENCRYPTION_KEY|ECONNREFUSED|3306/);
    });
  });

  it.each<[string, string, number, Record<string, unknown>]>([
    ['/problem/token-limit', 'problem', 409, { code: 'token_limit_reached', limit: 20, title: 'Conflict' }],
    ['/problem/bug', 'problem', 500, { code: 'internal_error', detail: 'An unexpected error occurred.' }],
    ['/oauth/bug', 'oauth', 500, { error: 'server_error' }],
    ['/problem/nowhere', 'problem', 404, { code: 'not_found', detail: 'nothing here' }],
    ['/oauth/nowhere', 'oauth', 404, { error: 'not_found', error_description: 'nothing here' }],
  ])('answers %s in the %s format with %i', async (path, _format, status, fields) => {
    const response = await client.get(path);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject(fields);
    expect(response.text).not.toContain('Cannot read properties');
  });

  it('challenges a failed HTTP Basic client authentication on /oauth only when the client sent Authorization', async () => {
    const basic = await client.get('/oauth/invalid-client', { headers: { authorization: 'Basic eDp5' } });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('Basic realm="https://issuer.example/oauth", error="invalid_client"');
    const inBody = await client.get('/oauth/invalid-client');
    expect(inBody.status).toBe(401);
    expect(inBody.headers.get('www-authenticate')).toBeNull();
  });
});
