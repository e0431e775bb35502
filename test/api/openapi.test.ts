import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { createManagementRouter, openApiDocument } from '../../src/api/index.js';
import { createLimiters } from '../../src/limits/index.js';
import { TOKEN_CAP } from '../../src/tokens/index.js';
import { buildToken, buildUser, type BuiltToken, type BuiltUser } from '../support/factories.js';
import { loggedInClient, tokensPath } from '../support/api.js';
import { useServer } from '../support/fixture.js';
import type { TestClient, TestResponse } from '../support/http.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ORG = 'openapi-org';

/** `/api/orgs/:org/tokens/:id` → `/api/orgs/{org}/tokens/{id}`. */
function openApiPath(routerPath: string): string {
  return routerPath.replace(/:(\w+)/g, '{$1}');
}

/** A URI fragment naming a place in the document (RFC 6901 pointer, each segment escaped). */
function pointer(...segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

describe('the OpenAPI document', () => {
  const server = useServer();
  /** The document as served, compiled once: every schema in it is reachable by pointer. */
  let ajv: Ajv2020;

  beforeAll(async () => {
    const served = await server.client().get('/api/openapi.json');
    expect(served.status).toBe(200);
    ajv = new Ajv2020({ strict: false, allErrors: true });
    // ajv-formats is CommonJS; its function is the default export's `default`.
    formats.default(ajv);
    // A UI hint (OpenAPI's own format), nothing to check.
    ajv.addFormat('password', true);
    ajv.addSchema(served.body, 'openapi.json');
  });

  function schemaAt(...segments: string[]): ValidateFunction | undefined {
    return ajv.getSchema(`openapi.json#/${pointer(...segments)}`);
  }

  /**
   * Fails unless the document lists this status for the operation and its schema for the
   * response's content type accepts the body. The message names the call and every mismatch.
   */
  function expectDocumented(method: string, template: string, response: TestResponse): void {
    const call = `${method.toUpperCase()} ${template} → ${response.status}`;
    const documented = openApiDocument.paths[template]?.[method]?.responses[String(response.status)];
    if (!documented) throw new Error(`${call} is not in the document`);
    if (!documented.content) {
      expect(response.text, `${call} is documented without a body`).toBe('');
      return;
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
    if (!documented.content[type])
      throw new Error(`${call} answered ${type}; the document says ${Object.keys(documented.content).join(', ')}`);
    const validate = schemaAt('paths', template, method, 'responses', String(response.status), 'content', type, 'schema')!;
    if (!validate(response.body)) {
      const problems = validate.errors!.map((error) => `${error.instancePath || '(body)'} ${error.message}`).join('; ');
      throw new Error(`${call} does not match the document: ${problems}\n${JSON.stringify(response.body, null, 2)}`);
    }
  }

  /** The request body schema accepts what the test sends as a valid request. */
  function expectValidRequest(method: string, template: string, body: unknown): void {
    const validate = schemaAt('paths', template, method, 'requestBody', 'content', 'application/json', 'schema')!;
    expect(validate(body), `${method.toUpperCase()} ${template} request: ${JSON.stringify(validate.errors)}`).toBe(true);
  }

  it('documents exactly the routes the router serves, method by method', () => {
    const router = createManagementRouter(server.server.runtime, { limiters: createLimiters(server.server.runtime) });
    const served = router.stack
      .flatMap((layer) =>
        layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method.toLowerCase()} ${openApiPath(layer.path as string)}`),
      )
      .sort();
    const documented = Object.entries(openApiDocument.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((key) => HTTP_METHODS.includes(key))
          .map((method) => `${method} ${path}`),
      )
      .sort();
    expect(served.length).toBeGreaterThan(10);
    expect(documented).toEqual(served);
  });

  it('is served as OpenAPI 3.1 whose schemas all compile, with unique operation ids', () => {
    expect(openApiDocument.openapi).toBe('3.1.0');
    for (const name of Object.keys(openApiDocument.components.schemas)) {
      expect(schemaAt('components', 'schemas', name), name).toBeTypeOf('function');
    }
    const operations = Object.values(openApiDocument.paths).flatMap((item) => Object.values(item));
    const ids = operations.map((operation) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe('describes real answers', () => {
    let admin: BuiltUser;
    let member: BuiltUser;
    let adminClient: TestClient;
    let memberClient: TestClient;
    let memberToken: BuiltToken;
    const anonymous = () => server.client();

    beforeAll(async () => {
      const { dataSource } = server;
      admin = await buildUser(dataSource, { organization: ORG, role: 'admin' });
      member = await buildUser(dataSource, { organization: ORG, role: 'member' });
      adminClient = await loggedInClient(server, admin);
      memberClient = await loggedInClient(server, member);
      memberToken = await buildToken(dataSource, member, { description: 'first line\nsecond line' });
    });

    const tokens = tokensPath(ORG);
    const token = (id: string, rest = '') => tokensPath(ORG, `/${id}${rest}`);

    it.each<[string, string, string, () => Promise<TestResponse>]>([
      ['session', 'get', '/api/session', () => memberClient.get('/api/session')],
      ['session', 'get', '/api/session', () => anonymous().get('/api/session')],
      ['login', 'post', '/api/session', () => anonymous().post('/api/session', { email: member.email, password: 'wrong password' })],
      ['login', 'post', '/api/session', () => anonymous().post('/api/session', { email: member.email })],
      [
        'login',
        'post',
        '/api/session',
        () => anonymous().request('POST', '/api/session', { raw: 'x', headers: { 'content-type': 'text/plain' } }),
      ],
      ['services', 'get', '/api/services', () => memberClient.get('/api/services')],
      ['services', 'get', '/api/services', () => anonymous().get('/api/services')],
      ['list', 'get', '/api/orgs/{org}/tokens', () => memberClient.get(tokens)],
      ['list', 'get', '/api/orgs/{org}/tokens', () => adminClient.get(`${tokens}?owner=all&status=active`)],
      ['list', 'get', '/api/orgs/{org}/tokens', () => memberClient.get(`${tokens}?service=nope`)],
      ['list', 'get', '/api/orgs/{org}/tokens', () => memberClient.get(`${tokens}?owner=all`)],
      ['list', 'get', '/api/orgs/{org}/tokens', () => memberClient.get(`${tokens}?colour=blue`)],
      ['list', 'get', '/api/orgs/{org}/tokens', () => memberClient.get(tokensPath('no-such-org'))],
      ['create', 'post', '/api/orgs/{org}/tokens', () => memberClient.post(tokens, { name: '', service: 'strings' })],
      ['create', 'post', '/api/orgs/{org}/tokens', () => memberClient.post(tokens, { name: 'x', service: 'strings', role: 'owner' })],
      [
        'create',
        'post',
        '/api/orgs/{org}/tokens',
        () => memberClient.post(tokens, { name: 'x', service: 'strings' }, { withoutCsrf: true }),
      ],
      ['create', 'post', '/api/orgs/{org}/tokens', () => memberClient.post(tokens, { name: 'x'.repeat(20_000), service: 'strings' })],
      ['read', 'get', '/api/orgs/{org}/tokens/{id}', () => memberClient.get(token(memberToken.id))],
      ['read', 'get', '/api/orgs/{org}/tokens/{id}', () => memberClient.get(token('00000000-0000-4000-8000-000000000000'))],
      ['change', 'patch', '/api/orgs/{org}/tokens/{id}', () => memberClient.patch(token(memberToken.id), { service: 'tms' })],
      ['change', 'patch', '/api/orgs/{org}/tokens/{id}', () => adminClient.patch(token(memberToken.id), { name: 'taken over' })],
      ['disable', 'post', '/api/orgs/{org}/tokens/{id}/disable', () => adminClient.post(token(memberToken.id, '/disable'))],
      ['enable', 'post', '/api/orgs/{org}/tokens/{id}/enable', () => adminClient.post(token(memberToken.id, '/enable'))],
      ['roll', 'post', '/api/orgs/{org}/tokens/{id}/roll', () => adminClient.post(token(memberToken.id, '/roll'))],
      ['roll', 'post', '/api/orgs/{org}/tokens/{id}/roll', () => memberClient.post(token(memberToken.id, '/roll'), { grace_seconds: -1 })],
      ['self-roll', 'post', '/api/tokens/self/roll', () => anonymous().post('/api/tokens/self/roll', {})],
      ['audit', 'get', '/api/orgs/{org}/audit', () => adminClient.get(`/api/orgs/${ORG}/audit?limit=2`)],
      ['audit', 'get', '/api/orgs/{org}/audit', () => memberClient.get(`/api/orgs/${ORG}/audit`)],
      ['audit', 'get', '/api/orgs/{org}/audit', () => adminClient.get(`/api/orgs/${ORG}/audit?cursor=forged`)],
      ['bulk delete', 'post', '/api/orgs/{org}/tokens/delete', () => memberClient.post(`${tokens}/delete`, { ids: ['nope'] })],
      ['delete', 'delete', '/api/orgs/{org}/tokens/{id}', () => memberClient.delete(token('00000000-0000-4000-8000-000000000000'))],
      ['members', 'get', '/api/orgs/{org}/members', () => adminClient.get(`/api/orgs/${ORG}/members`)],
      ['members', 'get', '/api/orgs/{org}/members', () => memberClient.get(`/api/orgs/${ORG}/members`)],
      ['remove member', 'delete', '/api/orgs/{org}/members/{user}', () => memberClient.delete(`/api/orgs/${ORG}/members/${admin.id}`)],
      [
        'remove member',
        'delete',
        '/api/orgs/{org}/members/{user}',
        () => adminClient.delete(`/api/orgs/${ORG}/members/00000000-0000-4000-8000-000000000000`),
      ],
      [
        'member role',
        'patch',
        '/api/orgs/{org}/members/{user}',
        () => adminClient.patch(`/api/orgs/${ORG}/members/${member.id}`, { role: 'emperor' }),
      ],
      [
        'member role',
        'patch',
        '/api/orgs/{org}/members/{user}',
        () => adminClient.patch(`/api/orgs/${ORG}/members/${member.id}`, { role: 'owner' }),
      ],
    ])('%s: %s %s', async (_name, method, template, call) => {
      expectDocumented(method, template, await call());
    });

    it.each<[string, string, string, unknown]>([
      ['create', 'post', '/api/orgs/{org}/tokens', { name: 'documented', service: 'tms', description: 'made by the OpenAPI test' }],
      ['login', 'post', '/api/session', undefined],
      ['change', 'patch', '/api/orgs/{org}/tokens/{id}', { name: 'renamed', description: 'new words' }],
      ['bulk delete', 'post', '/api/orgs/{org}/tokens/delete', undefined],
      ['roll', 'post', '/api/orgs/{org}/tokens/{id}/roll', { grace_seconds: 300 }],
    ])('%s: a valid %s %s request and its answer are both as documented', async (name, method, template, body) => {
      const { dataSource } = server;
      const owner = await buildUser(dataSource, { organization: ORG });
      const client = await loggedInClient(server, owner);
      const own = await buildToken(dataSource, owner);
      const request =
        body ??
        (name === 'login'
          ? { email: ` ${owner.email.toUpperCase()} `, password: owner.password }
          : { ids: [own.id, '00000000-0000-4000-8000-000000000000'] });
      expectValidRequest(method, template, request);
      const path = template.replace('{org}', ORG).replace('{id}', own.id);
      const response = await client.request(method.toUpperCase(), path, { json: request });
      expect(response.status).toBeLessThan(300);
      expectDocumented(method, template, response);
    });

    it('documents a deletion, a logout and the cap', async () => {
      const { dataSource } = server;
      const owner = await buildUser(dataSource, { organization: ORG });
      const client = await loggedInClient(server, owner);
      const doomed = await buildToken(dataSource, owner);
      expectDocumented('delete', '/api/orgs/{org}/tokens/{id}', await client.delete(token(doomed.id)));
      for (let index = 0; index < TOKEN_CAP; index += 1) await buildToken(dataSource, owner);
      expectDocumented('post', '/api/orgs/{org}/tokens', await client.post(tokens, { name: 'one too many', service: 'strings' }));
      expectDocumented('delete', '/api/session', await client.delete('/api/session'));
    });

    it('documents a role change, a removal and the last owner', async () => {
      const { dataSource } = server;
      const someone = await buildUser(dataSource, { organization: ORG, role: 'manager' });
      await buildToken(dataSource, someone, { role: 'manager' });
      const path = `/api/orgs/${ORG}/members/${someone.id}`;
      expectValidRequest('patch', '/api/orgs/{org}/members/{user}', { role: 'member' });
      const lowered = await adminClient.patch(path, { role: 'member' });
      expect(lowered.status).toBe(200);
      expect(lowered.body.tokens_revoked).toHaveLength(1);
      expectDocumented('patch', '/api/orgs/{org}/members/{user}', lowered);
      const removed = await adminClient.delete(path);
      expect(removed.status).toBe(200);
      expectDocumented('delete', '/api/orgs/{org}/members/{user}', removed);

      const soleOwner = await buildUser(dataSource, { organization: `${ORG}-sole`, role: 'owner' });
      const last = await (await loggedInClient(server, soleOwner)).delete(`/api/orgs/${ORG}-sole/members/${soleOwner.id}`);
      expect(last.status).toBe(409);
      expectDocumented('delete', '/api/orgs/{org}/members/{user}', last);
    });

    it('documents a self-roll', async () => {
      const owner = await buildUser(server.dataSource, { organization: ORG });
      const own = await buildToken(server.dataSource, owner);
      expectValidRequest('post', '/api/tokens/self/roll', { grace_seconds: 0 });
      const response = await anonymous().post(
        '/api/tokens/self/roll',
        { grace_seconds: 0 },
        { headers: { authorization: `Bearer ${own.secret}` } },
      );
      expect(response.status).toBe(200);
      expectDocumented('post', '/api/tokens/self/roll', response);
    });

    it('documents a blocked login', async () => {
      const { dataSource } = server;
      const target = await buildUser(dataSource, { organization: ORG });
      let response: TestResponse | undefined;
      for (let attempt = 0; attempt < 20 && response?.status !== 429; attempt += 1) {
        response = await anonymous().post('/api/session', { email: target.email, password: `wrong ${attempt}` });
      }
      expect(response!.status).toBe(429);
      expectDocumented('post', '/api/session', response!);
      // Each failed login costs the server a full scrypt verification: slow on a busy machine.
    }, 90_000);
  });

  it('refuses an answer that does not match, naming the call and the field', () => {
    const fake = { status: 200, headers: new Headers({ 'content-type': 'application/json' }), text: '{}', body: { services: [{ id: 1 }] } };
    expect(() => expectDocumented('get', '/api/services', fake)).toThrow(
      /GET \/api\/services → 200 does not match the document: \/services\/0/,
    );
    expect(() => expectDocumented('get', '/api/services', { ...fake, status: 418 })).toThrow(/is not in the document/);
  });
});
