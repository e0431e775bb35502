import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagementApi, type AuthenticateBearer } from '../../src/api/index.js';
import { requestContext } from '../../src/http/index.js';
import type { Runtime } from '../../src/runtime.js';
import { findUsableTokenBySecret } from '../../src/tokens/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { addMembership, buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectProblem, tokensPath } from './support.js';

/**
 * A real authenticator standing in for the JWT one, so this file pins down the API's bearer
 * rules on their own: the "JWT" is a platform token, optionally followed by `.scope,scope`
 * to narrow its scopes (as an exchange with `scope=` would). The end-to-end test with real
 * JWTs lives with the OAuth tests.
 */
function platformTokenAuthenticator(runtime: Runtime): AuthenticateBearer {
  return async (credential) => {
    const dot = credential.indexOf('.');
    const secret = dot < 0 ? credential : credential.slice(0, dot);
    const narrowed = dot < 0 ? undefined : credential.slice(dot + 1);
    const usable = await findUsableTokenBySecret(runtime.dataSource, runtime.config.services, secret);
    if (!usable) return null;
    const scopes = narrowed ? narrowed.split(',').filter((scope) => usable.scopes.includes(scope)) : usable.scopes;
    return { userId: usable.userId, organizationId: usable.organizationId, role: usable.role, tokenId: usable.id, scopes };
  };
}

async function composeApi(runtime: Runtime, authenticateBearer?: AuthenticateBearer): Promise<{ server: Server; url: string }> {
  const app = new Koa();
  app.silent = true;
  app.use(requestContext(runtime.logger));
  app.use(createManagementApi(runtime, { authenticateBearer }));
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('bearer-authenticated management API calls', () => {
  let database: TestDatabase;
  let tollbooth: TestServer;
  let composed: { server: Server; url: string };
  let withoutAuthenticator: { server: Server; url: string };
  let admin: BuiltUser;
  let api: TestClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    tollbooth = await startTestServer({ databaseUrl: database.url });
    composed = await composeApi(tollbooth.runtime, platformTokenAuthenticator(tollbooth.runtime));
    withoutAuthenticator = await composeApi(tollbooth.runtime);
    admin = await buildUser(tollbooth.runtime.dataSource, { organization: 'bearer-org', role: 'admin' });
    await addMembership(tollbooth.runtime.dataSource, admin.id, 'other-org', 'owner');
    api = new TestClient(composed.url);
  });
  afterAll(async () => {
    composed?.server.close();
    withoutAuthenticator?.server.close();
    await tollbooth?.close();
    await database?.drop();
  });

  const bearer = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` } });

  it('acts inside the token’s organization without a cookie or CSRF header', async () => {
    const { secret } = await buildToken(tollbooth.runtime.dataSource, admin, { service: 'platform', name: 'automation' });
    const listed = await api.get(tokensPath('bearer-org'), bearer(secret));
    expect(listed.status).toBe(200);
    expect(listed.body.tokens.map((token: { name: string }) => token.name)).toContain('automation');
    const created = await api.post(tokensPath('bearer-org'), { name: 'made by a script', service: 'strings' }, bearer(secret));
    expect([created.status, created.body.token.role]).toEqual([201, 'admin']);
    const disabled = await api.post(tokensPath('bearer-org', `/${created.body.token.id}/disable`), undefined, bearer(secret));
    expect(disabled.body.token.status).toBe('disabled');
    expect((await api.get('/api/services', bearer(secret))).status).toBe(200);
  });

  it('answers 404 for any other organization, even one the user owns', async () => {
    const { secret } = await buildToken(tollbooth.runtime.dataSource, admin, { service: 'platform' });
    expectProblem(await api.get(tokensPath('other-org'), bearer(secret)), 404, 'organization_not_found');
    expectProblem(
      await api.post(tokensPath('other-org'), { name: 'x', service: 'strings' }, bearer(secret)),
      404,
      'organization_not_found',
    );
  });

  it('acts with the token’s role, not the user’s (least privilege)', async () => {
    const { secret } = await buildToken(tollbooth.runtime.dataSource, admin, { service: 'platform', role: 'viewer' });
    expectProblem(await api.get(tokensPath('bearer-org', '?owner=all'), bearer(secret)), 403, 'insufficient_role');
    expectProblem(
      await api.post(tokensPath('bearer-org'), { name: 'escalate', service: 'strings', role: 'admin' }, bearer(secret)),
      403,
      'role_exceeds_membership',
    );
    const created = await api.post(tokensPath('bearer-org'), { name: 'as viewer', service: 'strings' }, bearer(secret));
    expect([created.status, created.body.token.role]).toEqual([201, 'viewer']);
  });

  it('needs tokens.read to read and tokens.write to change (403 insufficient_scope)', async () => {
    const { secret } = await buildToken(tollbooth.runtime.dataSource, admin, { service: 'platform' });
    const readOnly = `${secret}.tokens.read`;
    expect((await api.get(tokensPath('bearer-org'), bearer(readOnly))).status).toBe(200);
    const refused = await api.post(tokensPath('bearer-org'), { name: 'nope', service: 'strings' }, bearer(readOnly));
    expectProblem(refused, 403, 'insufficient_scope');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="tollbooth", error="insufficient_scope", scope="tokens.write"');

    const { secret: stringsToken } = await buildToken(tollbooth.runtime.dataSource, admin, { service: 'strings' });
    expectProblem(await api.get(tokensPath('bearer-org'), bearer(stringsToken)), 403, 'insufficient_scope');
  });

  it('refuses a bearer whose token was deleted, with 401 invalid_token', async () => {
    const built = await buildToken(tollbooth.runtime.dataSource, admin, { service: 'platform' });
    expect((await api.delete(tokensPath('bearer-org', `/${built.id}`), bearer(built.secret))).status).toBe(204);
    const response = await api.get(tokensPath('bearer-org'), bearer(built.secret));
    expectProblem(response, 401, 'invalid_token');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="tollbooth", error="invalid_token"');
  });

  it('refuses every bearer with 401 invalid_token when no authenticator is configured', async () => {
    const { secret } = await buildToken(tollbooth.runtime.dataSource, admin, { service: 'platform' });
    const response = await new TestClient(withoutAuthenticator.url).get(tokensPath('bearer-org'), bearer(secret));
    expectProblem(response, 401, 'invalid_token');
  });
});
