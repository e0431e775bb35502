import { describe, expect, it } from 'vitest';
import { PlatformTokenEntity } from '../../src/db/index.js';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('a deleted token keeps who deleted it and why (%s)', (database) => {
  const server = useServer({ database });

  const stored = (id: string) => server.dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id });

  it('records the person and reason deleted on DELETE /api/orgs/{org}/tokens/{id}', async () => {
    const admin = await buildUser(server.dataSource, { organization: `del-one-${database}`, role: 'admin' });
    const member = await buildUser(server.dataSource, { organization: admin.organizationSlug });
    const { id } = await buildToken(server.dataSource, member);
    const client = await loggedInClient(server, admin);

    expect((await client.delete(tokensPath(admin.organizationSlug, `/${id}`))).status).toBe(204);

    expect(await stored(id)).toMatchObject({ deletedAt: expect.any(Date), deletedByUserId: admin.id, deletionReason: 'deleted' });
  });

  it('records the person and reason deleted on a bulk delete', async () => {
    const member = await buildUser(server.dataSource, { organization: `del-bulk-${database}` });
    const first = await buildToken(server.dataSource, member);
    const second = await buildToken(server.dataSource, member);
    const client = await loggedInClient(server, member);

    const response = await client.post(tokensPath(member.organizationSlug, '/delete'), { ids: [first.id, second.id] });

    expect(response.body.deleted).toEqual([first.id, second.id]);
    for (const id of [first.id, second.id]) {
      expect(await stored(id)).toMatchObject({ deletedByUserId: member.id, deletionReason: 'deleted' });
    }
  });

  it('leaves both empty on a live token', async () => {
    const member = await buildUser(server.dataSource, { organization: `del-live-${database}` });
    const { id } = await buildToken(server.dataSource, member);

    expect(await stored(id)).toMatchObject({ deletedAt: null, deletedByUserId: null, deletionReason: null });
  });
});
