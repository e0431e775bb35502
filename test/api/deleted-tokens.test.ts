import { describe, expect, it } from 'vitest';
import { createTokenThroughApi, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

describe('listing deleted tokens (status=deleted)', () => {
  const fixture = useServer();

  it.each(['admin', 'owner'] as const)(
    'shows an %s the org’s deleted tokens with who deleted them, when and why, and none of the live ones',
    async (role) => {
      const org = `deleted-${role}`;
      const member = await buildUser(fixture.dataSource, { organization: org, role: 'member' });
      const manager = await buildUser(fixture.dataSource, { organization: org, role });
      const asMember = await loggedInClient(fixture, member);
      const asManager = await loggedInClient(fixture, manager);
      const gone = await createTokenThroughApi(asMember, org, { name: 'gone' });
      const removed = await createTokenThroughApi(asMember, org, { name: 'removed by admin' });
      await createTokenThroughApi(asMember, org, { name: 'still here' });
      expect((await asMember.delete(tokensPath(org, `/${gone.id}`))).status).toBe(204);
      expect((await asManager.delete(tokensPath(org, `/${removed.id}`))).status).toBe(204);

      const listed = await asManager.get(tokensPath(org, '?status=deleted&owner=all'));
      expect(listed.status).toBe(200);
      expect(listed.body.tokens.map((token: { name: string }) => token.name)).toEqual(['removed by admin', 'gone']);
      const [byAdmin, byOwner] = listed.body.tokens;
      expect(byAdmin).toMatchObject({ status: 'deleted', deletion: { by: { id: manager.id, email: manager.email }, reason: 'deleted' } });
      expect(byOwner).toMatchObject({ status: 'deleted', deletion: { by: { id: member.id, email: member.email }, reason: 'deleted' } });
      expect(Date.parse(byOwner.deletion.at)).toBeGreaterThan(Date.now() - 60_000);

      // The ordinary list never shows them, and a deleted token cannot be read or acted on.
      const live = await asManager.get(tokensPath(org, '?owner=all'));
      expect(live.body.tokens.map((token: { name: string; deletion: unknown }) => [token.name, token.deletion])).toEqual([
        ['still here', null],
      ]);
      expectProblem(await asManager.get(tokensPath(org, `/${gone.id}`)), 404, 'token_not_found');
      expectProblem(await asManager.post(tokensPath(org, `/${gone.id}/enable`)), 404, 'token_not_found');
      expectProblem(await asManager.post(tokensPath(org, `/${gone.id}/disable`)), 404, 'token_not_found');
      expect((await asManager.post(tokensPath(org, '/delete'), { ids: [gone.id] })).body).toEqual({ deleted: [], not_found: [gone.id] });
      // owner=me narrows to the admin's own deleted tokens: none.
      expect((await asManager.get(tokensPath(org, '?status=deleted'))).body.tokens).toEqual([]);
    },
    60_000,
  );

  it.each(['viewer', 'member', 'manager'] as const)('refuses a %s with 403 insufficient_role', async (role) => {
    const org = `deleted-refused-${role}`;
    const user = await buildUser(fixture.dataSource, { organization: org, role });
    const client = await loggedInClient(fixture, user);
    const own = await createTokenThroughApi(client, org, { name: 'mine' });
    await client.delete(tokensPath(org, `/${own.id}`));
    expectProblem(await client.get(tokensPath(org, '?status=deleted')), 403, 'insufficient_role');
  });
});
