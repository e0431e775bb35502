import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenThroughApi, loggedInClient } from '../support/api.js';
import { buildUser, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';

/**
 * Every bad input gets a clear 4xx with a stable error code, never a 5xx, and loses nothing.
 * Over 200 malformed requests against the token endpoint, the session endpoint and the token
 * API; each answer must be a 4xx in that endpoint's error format.
 */
interface Attack {
  label: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  format: 'oauth' | 'problem';
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const TWO_MB = 2 * 1024 * 1024;

const brokenJson = [
  '{',
  '{"email":',
  'null',
  '[]',
  '"just a string"',
  '123',
  'true',
  '{"email": "a@b.c", "password": "x",}',
  "{'email': 'a@b.c'}",
  '\uFEFF{"email":"a@b.c","password":"x"}',
  '{"email": NaN}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  '{"__proto__": {"admin": true}}',
  '{"constructor": {"prototype": {"admin": true}}}',
  '\u0000\u0001\u0002',
  '{"a":"\\ud800"}',
];

const brokenForms = [
  '%',
  '%zz',
  'a=%E0%A4%A',
  '&&&',
  '=',
  'grant_type',
  'grant_type=',
  '==&==',
  `grant_type=${'%'.repeat(100)}`,
  'subject_token=%00%00',
];

const contentTypes = ['', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/html'];

const hostileStrings = [
  '',
  ' ',
  '\u202Eevil.exe',
  'name\u0000with-nul',
  'line\nbreak',
  'tab\tseparated',
  '\u200B',
  'x'.repeat(101),
  'y'.repeat(10_000),
  '<script>alert(1)</script>'.repeat(10),
];

const wrongTypes: unknown[] = [['array'], { nested: 'object' }, 42, true, null, { $gt: '' }];

function oauthAttacks(): Attack[] {
  const attacks: Attack[] = [];
  const form = (body: string, label: string, headers?: Record<string, string>) =>
    attacks.push({
      label,
      method: 'POST',
      path: '/oauth/token',
      contentType: 'application/x-www-form-urlencoded',
      body,
      headers,
      format: 'oauth',
    });
  for (const body of brokenForms) form(body, `broken form ${JSON.stringify(body).slice(0, 40)}`);
  for (const contentType of contentTypes) {
    attacks.push({
      label: `content type ${contentType || 'none'}`,
      method: 'POST',
      path: '/oauth/token',
      contentType,
      body: `grant_type=${TOKEN_EXCHANGE}&subject_token=x`,
      format: 'oauth',
    });
  }
  attacks.push({
    label: 'JSON instead of a form',
    method: 'POST',
    path: '/oauth/token',
    contentType: 'application/json',
    body: JSON.stringify({ grant_type: TOKEN_EXCHANGE, subject_token: 'x' }),
    format: 'oauth',
  });
  form(`grant_type=${TOKEN_EXCHANGE}&grant_type=client_credentials`, 'repeated grant_type');
  form(`grant_type=${TOKEN_EXCHANGE}&subject_token=a&subject_token=b`, 'repeated subject_token');
  form(`grant_type=${TOKEN_EXCHANGE}&subject_token=tbp_x&scope=a&scope=b`, 'repeated scope');
  form(`grant_type=client_credentials&client_id=a&client_id=b&client_secret=c`, 'repeated client_id');
  form(`grant_type[]=${TOKEN_EXCHANGE}&subject_token=x`, 'array-style grant_type');
  form(`grant_type=${TOKEN_EXCHANGE}&subject_token[a]=b`, 'object-style subject_token');
  for (const value of hostileStrings) {
    form(
      new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: value }).toString(),
      `hostile subject_token ${JSON.stringify(value).slice(0, 30)}`,
    );
    form(
      new URLSearchParams({ grant_type: value || 'x', subject_token: 'tbp_x' }).toString(),
      `hostile grant_type ${JSON.stringify(value).slice(0, 30)}`,
    );
    form(
      new URLSearchParams({ grant_type: 'client_credentials', client_id: value, client_secret: value }).toString(),
      `hostile client ${JSON.stringify(value).slice(0, 30)}`,
    );
  }
  form(
    new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: 'tbp_x', subject_token_type: 'urn:bogus' }).toString(),
    'bogus subject_token_type',
  );
  form(
    new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: 'tbp_x', requested_token_type: 'urn:bogus' }).toString(),
    'bogus requested_token_type',
  );
  form(
    new URLSearchParams({ grant_type: TOKEN_EXCHANGE, subject_token: 'tbp_x', scope: '\u0000\u0001' }).toString(),
    'control characters in scope',
  );
  form(`grant_type=${TOKEN_EXCHANGE}&subject_token=${'a'.repeat(TWO_MB)}`, '2 MB form body');
  form('grant_type=client_credentials', 'garbage basic auth', { authorization: 'Basic !!!notbase64' });
  form('grant_type=client_credentials', 'basic auth without colon', {
    authorization: `Basic ${Buffer.from('nocolon').toString('base64')}`,
  });
  form('grant_type=client_credentials', 'bearer on token endpoint', { authorization: 'Bearer abc' });
  form(`grant_type=${TOKEN_EXCHANGE}&subject_token=x&resource=not a uri`, 'resource not a URI');
  form(`grant_type=${TOKEN_EXCHANGE}&subject_token=x&audience=`, 'empty audience');
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    attacks.push({ label: `${method} on the token endpoint`, method, path: '/oauth/token', format: 'oauth' });
  }
  for (const path of [
    '/oauth/auth',
    '/oauth/me',
    '/oauth/token/introspection',
    '/oauth/reg',
    '/oauth/%00',
    '/oauth/x/..%2f..%2fapi',
    '/oauth/session/end',
  ]) {
    attacks.push({ label: `route outside token/JWKS/metadata ${path}`, method: 'GET', path, format: 'oauth' });
  }
  return attacks;
}

function sessionAttacks(): Attack[] {
  const attacks: Attack[] = [];
  const json = (body: string, label: string) =>
    attacks.push({ label, method: 'POST', path: '/api/session', contentType: 'application/json', body, format: 'problem' });
  for (const body of brokenJson) json(body, `broken JSON ${JSON.stringify(body).slice(0, 30)}`);
  for (const contentType of contentTypes) {
    attacks.push({
      label: `content type ${contentType || 'none'}`,
      method: 'POST',
      path: '/api/session',
      contentType,
      body: '{"email":"a@b.c","password":"x"}',
      format: 'problem',
    });
  }
  attacks.push({
    label: 'form instead of JSON',
    method: 'POST',
    path: '/api/session',
    contentType: 'application/x-www-form-urlencoded',
    body: 'email=a@b.c&password=x',
    format: 'problem',
  });
  for (const value of wrongTypes) {
    json(JSON.stringify({ email: value, password: 'long enough password' }), `email as ${JSON.stringify(value)}`);
    json(JSON.stringify({ email: 'a@example.test', password: value }), `password as ${JSON.stringify(value)}`);
  }
  for (const value of hostileStrings)
    json(JSON.stringify({ email: value, password: value }), `hostile credentials ${JSON.stringify(value).slice(0, 30)}`);
  json(JSON.stringify({ email: 'a@example.test', password: 'x', admin: true }), 'unknown field');
  json(JSON.stringify({ email: 'a@example.test', password: 'p'.repeat(TWO_MB) }), '2 MB JSON body');
  json('{}', 'empty object');
  return attacks;
}

/** Paths naming TOKEN_ID are sent with the id of the file's one real token in its place. */
const TOKEN_ID = '{token-id}';

function tokenApiAttacks(org: string): Attack[] {
  const attacks: Attack[] = [];
  const base = `/api/orgs/${org}/tokens`;
  const create = (body: string, label: string, contentType = 'application/json') =>
    attacks.push({ label, method: 'POST', path: base, contentType, body, format: 'problem' });
  for (const body of brokenJson) create(body, `create with broken JSON ${JSON.stringify(body).slice(0, 30)}`);
  for (const contentType of contentTypes)
    create('{"name":"x","service":"strings"}', `create with content type ${contentType || 'none'}`, contentType);
  for (const value of hostileStrings)
    create(JSON.stringify({ name: value, service: 'strings' }), `hostile name ${JSON.stringify(value).slice(0, 30)}`);
  for (const value of wrongTypes) {
    create(JSON.stringify({ name: value, service: 'strings' }), `name as ${JSON.stringify(value)}`);
    create(JSON.stringify({ name: 'ok', service: value }), `service as ${JSON.stringify(value)}`);
    create(JSON.stringify({ name: 'ok', service: 'strings', role: value }), `role as ${JSON.stringify(value)}`);
    create(JSON.stringify({ name: 'ok', service: 'strings', description: value }), `description as ${JSON.stringify(value)}`);
  }
  create(JSON.stringify({ name: 'ok', service: 'strings', description: 'd'.repeat(501) }), 'description over 500');
  create(JSON.stringify({ name: 'ok', service: 'nope' }), 'unknown service');
  create(JSON.stringify({ name: 'ok', service: 'strings', role: 'emperor' }), 'unknown role');
  create(JSON.stringify({ name: 'ok', service: 'strings', expires_at: '2999-01-01' }), 'unknown field expires_at');
  create(JSON.stringify({ name: 'ok', service: 'strings', extra: 1 }), 'unknown field');
  create(JSON.stringify({ name: 'n'.repeat(TWO_MB), service: 'strings' }), '2 MB JSON body');
  const patch = (body: string, label: string) =>
    attacks.push({ label, method: 'PATCH', path: `${base}/${TOKEN_ID}`, contentType: 'application/json', body, format: 'problem' });
  for (const field of ['service', 'role', 'scopes', 'expires_at', 'status', 'prefix', 'id', 'created_at', 'owner']) {
    patch(JSON.stringify({ [field]: 'x' }), `patch immutable ${field}`);
  }
  for (const value of hostileStrings.slice(0, 9))
    patch(JSON.stringify({ name: value }), `patch hostile name ${JSON.stringify(value).slice(0, 30)}`);
  for (const body of brokenJson.slice(0, 8)) patch(body, `patch broken JSON ${JSON.stringify(body).slice(0, 30)}`);
  const bulk = (body: string, label: string) =>
    attacks.push({ label, method: 'POST', path: `${base}/delete`, contentType: 'application/json', body, format: 'problem' });
  bulk(JSON.stringify({ ids: 'not-an-array' }), 'bulk ids not an array');
  bulk(JSON.stringify({ ids: [1, 2] }), 'bulk ids numbers');
  bulk(JSON.stringify({ ids: Array.from({ length: 101 }, (_, index) => `id-${index}`) }), 'bulk over 100 ids');
  bulk(JSON.stringify({}), 'bulk without ids');
  bulk(JSON.stringify({ ids: [{ $ne: null }] }), 'bulk ids objects');
  for (const query of [
    'status=bogus',
    'owner=everyone',
    'service=%00',
    `q=${'q'.repeat(5000)}`,
    'owner[]=all',
    'status=active&status=disabled',
  ]) {
    attacks.push({ label: `list with ${query.slice(0, 30)}`, method: 'GET', path: `${base}?${query}`, format: 'problem' });
  }
  for (const path of [
    `/api/orgs/${org}/tokens/not-a-uuid`,
    `/api/orgs/${org}/tokens/00000000-0000-0000-0000-000000000000`,
    `/api/orgs/${org}/tokens/%00`,
    `/api/orgs/${org}/tokens/..%2F..%2Fetc%2Fpasswd`,
    '/api/orgs/%E0%A4%A/tokens',
    '/api/orgs/no-such-org/tokens',
    `/api/orgs/${org}/tokens/${TOKEN_ID}/explode`,
    '/api/nothing-here',
    `/api/orgs/${'o'.repeat(3000)}/tokens`,
  ]) {
    attacks.push({ label: `path junk ${path.slice(0, 40)}`, method: 'GET', path, format: 'problem' });
  }
  attacks.push({
    label: 'disable unknown id',
    method: 'POST',
    path: `${base}/00000000-0000-0000-0000-000000000000/disable`,
    format: 'problem',
  });
  attacks.push({
    label: 'PUT on a token',
    method: 'PUT',
    path: `${base}/${TOKEN_ID}`,
    contentType: 'application/json',
    body: '{}',
    format: 'problem',
  });
  return attacks;
}

const ATTACKS = [...oauthAttacks(), ...sessionAttacks(), ...tokenApiAttacks('hostile')];

describe('hostile input', () => {
  const server = useServer();
  let owner: BuiltUser;
  let client: TestClient;
  let survivor: { id: string; secret: string };

  beforeAll(async () => {
    owner = await buildUser(server.dataSource, { organization: 'hostile', role: 'owner' });
    client = await loggedInClient(server, owner);
    survivor = await createTokenThroughApi(client, 'hostile', { name: 'survivor' });
  });

  it('tries over 200 kinds of malformed request', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(200);
  });

  it.each(ATTACKS)('answers $method [$label] with a 4xx in the endpoint format', async (attack) => {
    const headers: Record<string, string> = { ...attack.headers };
    if (attack.contentType) headers['content-type'] = attack.contentType;
    const response = await client.request(attack.method, attack.path.replace(TOKEN_ID, survivor.id), { raw: attack.body, headers });
    const summary = `${response.status} ${response.headers.get('content-type')} ${response.text.slice(0, 120)}`;
    expect(response.status, summary).toBeGreaterThanOrEqual(400);
    expect(response.status, summary).toBeLessThan(500);
    if (attack.format === 'oauth') {
      expect(response.headers.get('content-type'), summary).toMatch(/^application\/json/);
      expect(response.body, summary).toMatchObject({ error: expect.any(String) });
    } else {
      expect(response.headers.get('content-type'), summary).toMatch(/^application\/problem\+json/);
      expect(response.body, summary).toMatchObject({ code: expect.any(String), status: response.status });
    }
  });

  it('loses nothing: the token is still listed, unchanged, still exchanges, and the owner still logs in', async () => {
    const listed = await client.get(`/api/orgs/hostile/tokens`);
    expect(listed.status).toBe(200);
    expect(listed.body.tokens.map((token: { name: string }) => token.name)).toEqual(['survivor']);
    const exchanged = await client.request('POST', '/oauth/token', {
      form: { grant_type: TOKEN_EXCHANGE, subject_token: survivor.secret },
    });
    expect(exchanged.status).toBe(200);
    await loggedInClient(server, owner);
  });
});
