import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import {
  addMembership,
  buildExpiredToken,
  buildToken,
  buildUser,
  daysAgo,
  removeMembership,
  type BuiltToken,
  type BuiltUser,
} from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN_FIELDS = [
  'allowed_ips',
  'created_at',
  'deletion',
  'description',
  'disabled',
  'expires_at',
  'id',
  'last_used_at',
  'last_used_ip',
  'name',
  'owner',
  'prefix',
  'previous_secret',
  'role',
  'rolled_at',
  'scopes',
  'service',
  'status',
  'suspended',
];

describe('platform tokens over the management API', () => {
  const fixture = useServer();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = fixture.dataSource;
  });

  async function member(organization: string, role: BuiltUser['role'] = 'member'): Promise<{ user: BuiltUser; client: TestClient }> {
    const user = await buildUser(dataSource, { organization, role });
    return { user, client: await loggedInClient(fixture, user) };
  }

  describe('create', () => {
    it('answers 201 with the token object and the secret, expiring 730 days later', async () => {
      const { user, client } = await member('create-org', 'manager');
      const response = await client.post(tokensPath('create-org'), {
        name: '  deploy bot  ',
        service: 'tms',
        description: 'CI for the web app',
      });
      expect(response.status).toBe(201);
      const { token, secret } = response.body;
      expect(Object.keys(response.body).sort()).toEqual(['secret', 'token']);
      expect(Object.keys(token).sort()).toEqual(TOKEN_FIELDS);
      expect(secret).toMatch(/^tbp_[0-9A-Za-z]{38}$/);
      expect(token).toMatchObject({
        name: 'deploy bot',
        description: 'CI for the web app',
        service: 'tms',
        role: 'manager',
        scopes: ['tms.read', 'tms.write'],
        prefix: secret.slice(0, 10),
        status: 'active',
        last_used_at: null,
        last_used_ip: null,
        owner: { id: user.id, email: user.email },
        suspended: null,
      });
      expect(Date.parse(token.expires_at) - Date.parse(token.created_at)).toBe(730 * DAY_MS);
      expect(token.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(response.headers.get('location')).toBe(tokensPath('create-org', `/${token.id}`));
    });

    it('lets the role be lowered but not raised above the membership', async () => {
      const { client } = await member('role-org', 'manager');
      const lowered = await client.post(tokensPath('role-org'), { name: 'read only', service: 'strings', role: 'viewer' });
      expect([lowered.status, lowered.body.token.role]).toEqual([201, 'viewer']);
      const raised = await client.post(tokensPath('role-org'), { name: 'too much', service: 'strings', role: 'owner' });
      expectProblem(raised, 403, 'role_exceeds_membership');
      const invented = await client.post(tokensPath('role-org'), { name: 'what', service: 'strings', role: 'superuser' });
      expectProblem(invented, 400, 'invalid_request');
    });

    describe('refusals', () => {
      let client: TestClient;
      beforeAll(async () => {
        ({ client } = await member('invalid-org'));
      });

      it.each([
        ['an unknown service', { name: 'x', service: 'nope' }, 'unknown_service'],
        ['an empty name', { name: '', service: 'strings' }, 'invalid_request'],
        ['a blank name', { name: '   ', service: 'strings' }, 'invalid_request'],
        ['a 101-character name', { name: 'n'.repeat(101), service: 'strings' }, 'invalid_request'],
        ['a line break in the name', { name: 'line\nbreak', service: 'strings' }, 'invalid_request'],
        ['a NUL in the name', { name: 'nul\u0000', service: 'strings' }, 'invalid_request'],
        ['a name of only a zero-width space', { name: '\u200B', service: 'strings' }, 'invalid_request'],
        ['a zero-width space inside the name', { name: 'zero\u200Bwidth', service: 'strings' }, 'invalid_request'],
        ['a name of only a zero-width joiner', { name: '\u200D', service: 'strings' }, 'invalid_request'],
        ['a number as name', { name: 42, service: 'strings' }, 'invalid_request'],
        ['a null name', { name: null, service: 'strings' }, 'invalid_request'],
        ['no name', { service: 'strings' }, 'invalid_request'],
        ['a 501-character description', { name: 'x', service: 'strings', description: 'd'.repeat(501) }, 'invalid_request'],
      ])('refuses %s with 400 %s, creating nothing', async (_case, body, code) => {
        expectProblem(await client.post(tokensPath('invalid-org'), body), 400, code);
        expect((await client.get(tokensPath('invalid-org'))).body.tokens).toEqual([]);
      });

      it('refuses a field the create call does not take, naming it', async () => {
        const extra = expectProblem(
          await client.post(tokensPath('invalid-org'), { name: 'x', service: 'strings', colour: 'blue' }),
          400,
          'invalid_request',
        );
        expect(extra.errors).toEqual([expect.objectContaining({ field: 'colour' })]);
        expect((await client.get(tokensPath('invalid-org'))).body.tokens).toEqual([]);
      });
    });

    it('accepts a 100-character name and a 500-character multi-line description', async () => {
      const { client } = await member('limits-org');
      const description = `${'d'.repeat(249)}\n${'e'.repeat(250)}`;
      const response = await client.post(tokensPath('limits-org'), { name: '名'.repeat(100), service: 'strings', description });
      expect(response.status).toBe(201);
      expect(response.body.token).toMatchObject({ name: '名'.repeat(100), description });
      const joined = await client.post(tokensPath('limits-org'), { name: '👩‍💻 می‌خواهم', service: 'strings' });
      expect([joined.status, joined.body.token?.name]).toEqual([201, '👩‍💻 می‌خواهم']);
    });

    it('refuses the 21st live token with 409 token_limit_reached and the limit', async () => {
      const { user, client } = await member('cap-org');
      for (let index = 0; index < 19; index += 1) await buildToken(dataSource, user);
      expect((await client.post(tokensPath('cap-org'), { name: 'twentieth', service: 'strings' })).status).toBe(201);
      const refused = expectProblem(
        await client.post(tokensPath('cap-org'), { name: 'one too many', service: 'strings' }),
        409,
        'token_limit_reached',
      );
      expect(refused.limit).toBe(20);
      const listed = await client.get(tokensPath('cap-org'));
      expect([listed.body.tokens.length, listed.body.count, listed.body.limit]).toEqual([20, 20, 20]);
    });
  });

  describe('read and list', () => {
    describe('filters', () => {
      let client: TestClient;
      let deploy: BuiltToken;
      let expired: BuiltToken;
      beforeAll(async () => {
        let user: BuiltUser;
        ({ user, client } = await member('filter-org'));
        deploy = await buildToken(dataSource, user, { name: 'Deploy Production', service: 'strings' });
        await buildToken(dataSource, user, { name: '100% coverage', service: 'tms' });
        const disabled = await buildToken(dataSource, user, { name: 'old deploy', service: 'tms' });
        expired = await buildExpiredToken(dataSource, user, { name: 'ancient', service: 'strings' });
        expect((await client.post(tokensPath('filter-org', `/${disabled.id}/disable`))).status).toBe(200);
      });
      const names = async (query: string) =>
        (await client.get(tokensPath('filter-org', query))).body.tokens.map((token: { name: string }) => token.name);

      it.each([
        ['no filter: every token, newest first', '', ['old deploy', '100% coverage', 'Deploy Production', 'ancient']],
        ['a name, case-insensitively', '?q=DEPLOY', ['old deploy', 'Deploy Production']],
        ['a literal % in the name', '?q=%25', ['100% coverage']],
        ['a literal _ (no wildcard)', '?q=_', []],
        ['the service', '?service=tms', ['old deploy', '100% coverage']],
        ['status active', '?status=active', ['100% coverage', 'Deploy Production']],
        ['status disabled', '?status=disabled', ['old deploy']],
        ['status expired, derived from the expiry', '?status=expired', ['ancient']],
        ['all three together', '?q=deploy&service=strings&status=active', ['Deploy Production']],
        ['empty parameters as no filter', '?q=&service=&status=', ['old deploy', '100% coverage', 'Deploy Production', 'ancient']],
      ])('filters by %s', async (_case, query, expected) => {
        expect(await names(query)).toEqual(expected);
      });

      it('counts an expired token as expired, and not toward the cap', async () => {
        const listed = await client.get(tokensPath('filter-org'));
        expect(listed.body.count).toBe(3);
        expect(listed.body.tokens.find((token: { id: string }) => token.id === expired.id).status).toBe('expired');
      });

      it('reads one token by id', async () => {
        expect((await client.get(tokensPath('filter-org', `/${deploy.id}`))).body.token).toMatchObject({ id: deploy.id, status: 'active' });
      });
    });

    describe('refusals', () => {
      let client: TestClient;
      beforeAll(async () => {
        ({ client } = await member('mine-org'));
        await buildUser(dataSource, { organization: 'their-org' });
      });

      it.each([
        ['an unknown status', '?status=gone', 'invalid_request'],
        ['an unknown owner', '?owner=them', 'invalid_request'],
        ['a 101-character search', `?q=${'q'.repeat(101)}`, 'invalid_request'],
        ['a repeated search', '?q=a&q=b', 'invalid_request'],
        ['an array-style parameter', '?owner[]=all', 'invalid_request'],
        ['an unknown parameter', '?sort=name', 'invalid_request'],
        ['a NUL as service', '?service=%00', 'unknown_service'],
        ['an unknown service', '?service=nope', 'unknown_service'],
      ])('answers 400 for %s (%s)', async (_case, query, code) => {
        expectProblem(await client.get(tokensPath('mine-org', query)), 400, code);
      });

      it.each([
        ['an unknown organization', tokensPath('no-such-org'), 'organization_not_found'],
        ['an organization the caller is not in', tokensPath('their-org'), 'organization_not_found'],
        ['an unknown token id', tokensPath('mine-org', '/00000000-0000-4000-8000-000000000000'), 'token_not_found'],
        ['a malformed token id', tokensPath('mine-org', '/not-a-uuid'), 'token_not_found'],
      ])('answers 404 for %s', async (_case, path, code) => {
        expectProblem(await client.get(path), 404, code);
      });
    });

    it('lists the services a token can be bound to', async () => {
      const { client } = await member('services-org');
      const response = await client.get('/api/services');
      expect(response.status).toBe(200);
      expect(response.body.services.map((service: { id: string }) => service.id)).toEqual(['strings', 'tms', 'platform']);
      expect(response.body.services[0]).toEqual({
        id: 'strings',
        name: 'Strings',
        audience: 'https://strings.tollbooth.example/api',
        scopes: ['strings.read', 'strings.write'],
      });
    });
  });

  describe('visibility', () => {
    describe("another member's token", () => {
      let alice: { user: BuiltUser; client: TestClient };
      let bob: { user: BuiltUser; client: TestClient };
      let path: string;
      let bobs: BuiltToken;
      beforeAll(async () => {
        alice = await member('team-org');
        bob = await member('team-org');
        bobs = await buildToken(dataSource, bob.user, { name: 'bob secret thing' });
        await buildToken(dataSource, alice.user, { name: 'alice thing' });
        path = tokensPath('team-org', `/${bobs.id}`);
      });

      it('is not in the list', async () => {
        const listed = await alice.client.get(tokensPath('team-org'));
        expect(listed.body.tokens.map((token: { name: string }) => token.name)).toEqual(['alice thing']);
      });

      it.each([
        ['read', (client: TestClient) => client.get(path)],
        ['renamed', (client: TestClient) => client.patch(path, { name: 'mine now' })],
        ['disabled', (client: TestClient) => client.post(`${path}/disable`)],
        ['deleted', (client: TestClient) => client.delete(path)],
      ])('cannot be %s (404 token_not_found)', async (_action, call) => {
        expectProblem(await call(alice.client), 404, 'token_not_found');
        expect((await bob.client.get(path)).body.token).toMatchObject({ name: 'bob secret thing', status: 'active' });
      });

      it('is not found by a bulk delete', async () => {
        expect((await alice.client.post(tokensPath('team-org', '/delete'), { ids: [bobs.id] })).body).toEqual({
          deleted: [],
          not_found: [bobs.id],
        });
        expect((await bob.client.get(path)).status).toBe(200);
      });

      it('is not reachable through owner=all (403 insufficient_role for a member)', async () => {
        expectProblem(await alice.client.get(tokensPath('team-org', '?owner=all')), 403, 'insufficient_role');
      });
    });

    it('lets an admin or owner see, disable and delete every token of the org, but not rename others', async () => {
      const admin = await member('managed-org', 'admin');
      const owner = await member('managed-org', 'owner');
      const worker = await member('managed-org');
      const elsewhere = await buildUser(dataSource, { organization: 'unrelated-org' });
      await buildToken(dataSource, elsewhere, { name: 'unrelated' });
      const first = await buildToken(dataSource, worker.user, { name: 'worker one' });
      const second = await buildToken(dataSource, worker.user, { name: 'worker two' });
      await buildToken(dataSource, admin.user, { name: 'admin own' });

      expect((await admin.client.get(tokensPath('managed-org'))).body.tokens.map((token: { name: string }) => token.name)).toEqual([
        'admin own',
      ]);
      const all = await admin.client.get(tokensPath('managed-org', '?owner=all'));
      expect(all.body.tokens.map((token: { name: string }) => token.name)).toEqual(['admin own', 'worker two', 'worker one']);
      expect(all.body.tokens[1].owner).toEqual({ id: worker.user.id, email: worker.user.email });
      expect(all.body.count).toBe(1);

      const firstPath = tokensPath('managed-org', `/${first.id}`);
      expect((await admin.client.get(firstPath)).status).toBe(200);
      expect((await admin.client.post(`${firstPath}/disable`)).body.token.status).toBe('disabled');
      expect((await owner.client.post(`${firstPath}/enable`)).body.token.status).toBe('active');
      expectProblem(await admin.client.patch(firstPath, { name: 'renamed by admin' }), 403, 'not_token_owner');
      expect((await admin.client.delete(firstPath)).status).toBe(204);
      expect((await owner.client.post(tokensPath('managed-org', '/delete'), { ids: [second.id] })).body).toEqual({
        deleted: [second.id],
        not_found: [],
      });
      expect((await worker.client.get(tokensPath('managed-org'))).body.tokens).toEqual([]);
    });

    it('stops showing an org to a user removed from it', async () => {
      const { user, client } = await member('leaving-org');
      await addMembership(dataSource, user.id, 'staying-org', 'member');
      expect((await client.get(tokensPath('leaving-org'))).status).toBe(200);
      await removeMembership(dataSource, user);
      expectProblem(await client.get(tokensPath('leaving-org')), 404, 'organization_not_found');
      expect((await client.get(tokensPath('staying-org'))).status).toBe(200);
    });
  });

  describe('rename, disable, enable, delete', () => {
    it('renames and re-describes, trimming', async () => {
      const { user, client } = await member('rename-org');
      const built = await buildToken(dataSource, user, { name: 'before' });
      const path = tokensPath('rename-org', `/${built.id}`);
      const renamed = await client.patch(path, { name: '  after  ', description: 'now described' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.token).toMatchObject({
        id: built.id,
        name: 'after',
        description: 'now described',
        prefix: built.secret.slice(0, 10),
      });
      expect((await client.patch(path, { description: '' })).body.token).toMatchObject({ name: 'after', description: '' });
    });

    it.each([
      ['an empty change', {}],
      ['a blank name', { name: ' ' }],
    ])('refuses %s with 400 invalid_request, changing nothing', async (_case, change) => {
      const { user, client } = await member('rename-org');
      const built = await buildToken(dataSource, user, { name: 'unchanged' });
      const path = tokensPath('rename-org', `/${built.id}`);
      expectProblem(await client.patch(path, change), 400, 'invalid_request');
      expect((await client.get(path)).body.token.name).toBe('unchanged');
    });

    describe('fields fixed at creation', () => {
      let owner: Awaited<ReturnType<typeof member>>;
      beforeAll(async () => {
        owner = await member('immutable-org');
      });

      // Only the name and description change: the token's other fields, and any unknown field, are refused.
      it.each([
        'service',
        'role',
        'scopes',
        'expires_at',
        'created_at',
        'status',
        'prefix',
        'owner',
        'suspended',
        'id',
        'last_used_at',
        'last_used_ip',
        'scope',
        'expires_in',
        'secret',
        'colour',
        'nickname',
      ])('refuses to change %s with 400 immutable_field', async (field) => {
        const built = await buildToken(dataSource, owner.user, { name: 'fixed' });
        const path = tokensPath('immutable-org', `/${built.id}`);
        const before = (await owner.client.get(path)).body.token;
        const refused = expectProblem(
          await owner.client.patch(path, { name: 'changed too', [field]: before[field] ?? 'x' }),
          400,
          'immutable_field',
        );
        expect(refused.field).toBe(field);
        expect((await owner.client.get(path)).body.token).toEqual(before);
      });
    });

    it('disables and re-enables idempotently', async () => {
      const { user, client } = await member('status-org');
      const built = await buildToken(dataSource, user);
      const path = tokensPath('status-org', `/${built.id}`);
      expect((await client.post(`${path}/disable`)).body.token.status).toBe('disabled');
      expect((await client.post(`${path}/disable`)).body.token.status).toBe('disabled');
      expect((await client.get(path)).body.token.status).toBe('disabled');
      expect((await client.post(`${path}/enable`)).body.token.status).toBe('active');
      expect((await client.post(`${path}/enable`)).body.token.status).toBe('active');
    });

    it('keeps an expired token expired whatever is asked', async () => {
      const { user, client } = await member('expired-org');
      const built = await buildToken(dataSource, user, { now: daysAgo(800) });
      const path = tokensPath('expired-org', `/${built.id}`);
      expect((await client.post(`${path}/disable`)).body.token.status).toBe('expired');
      expect((await client.post(`${path}/enable`)).body.token.status).toBe('expired');
    });

    it('deletes one token permanently', async () => {
      const { user, client } = await member('delete-org');
      const built = await buildToken(dataSource, user);
      const path = tokensPath('delete-org', `/${built.id}`);
      const deleted = await client.delete(path);
      expect([deleted.status, deleted.text]).toEqual([204, '']);
      expectProblem(await client.get(path), 404, 'token_not_found');
      expectProblem(await client.delete(path), 404, 'token_not_found');
      expectProblem(await client.post(`${path}/enable`), 404, 'token_not_found');
      expect((await client.get(tokensPath('delete-org'))).body).toEqual({ tokens: [], count: 0, limit: 20 });
    });

    it('bulk-deletes up to 100 ids and reports which were deleted', async () => {
      const { user, client } = await member('bulk-org');
      const tokens = await Promise.all([1, 2, 3].map((index) => buildToken(dataSource, user, { name: `bulk ${index}` })));
      const unknown = '00000000-0000-4000-8000-000000000000';
      const response = await client.post(tokensPath('bulk-org', '/delete'), {
        ids: [tokens[0]!.id, unknown, tokens[2]!.id, tokens[0]!.id],
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ deleted: [tokens[0]!.id, tokens[2]!.id], not_found: [unknown] });
      expect((await client.get(tokensPath('bulk-org'))).body.tokens.map((token: { id: string }) => token.id)).toEqual([tokens[1]!.id]);
      expect((await client.post(tokensPath('bulk-org', '/delete'), { ids: [tokens[0]!.id] })).body).toEqual({
        deleted: [],
        not_found: [tokens[0]!.id],
      });

      const many = Array.from({ length: 101 }, () => crypto.randomUUID());
      expectProblem(await client.post(tokensPath('bulk-org', '/delete'), { ids: many }), 400, 'invalid_request');
      expect((await client.post(tokensPath('bulk-org', '/delete'), { ids: many.slice(0, 100) })).body.not_found).toHaveLength(100);
    });

    it.each([
      ['an empty list', () => ({ ids: [] })],
      ['an id that is not a UUID', () => ({ ids: ['not-a-uuid'] })],
      ['ids that are not a list', (id: string) => ({ ids: id })],
      ['no ids', () => ({})],
      ['an unknown field', (id: string) => ({ ids: [id], force: true })],
    ])('refuses a bulk delete with %s (400 invalid_request), deleting nothing', async (_case, body) => {
      const { user, client } = await member('bulk-refusal-org');
      const kept = await buildToken(dataSource, user);
      expectProblem(await client.post(tokensPath('bulk-refusal-org', '/delete'), body(kept.id)), 400, 'invalid_request');
      expect((await client.get(tokensPath('bulk-refusal-org'))).body.tokens.map((token: { id: string }) => token.id)).toContain(kept.id);
    });
  });
});
