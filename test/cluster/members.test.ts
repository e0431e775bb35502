import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, loggedInClient } from '../support/api.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useGaleraDatabase } from '../support/fixture.js';
import { GALERA_NODE_URLS } from '../support/galera.js';
import { TestClient } from '../support/http.js';
import { exchangeToken, expectOAuthError } from '../support/oauth.js';
import type { TestServer } from '../support/server.js';

const memberPath = (slug: string, userId: string) => `/api/orgs/${slug}/members/${userId}`;

/** Membership changes through instances on two nodes of one Galera cluster. */
describe.skipIf(GALERA_NODE_URLS.length < 3)('member changes across Galera nodes', () => {
  const cluster = useGaleraDatabase();
  let onFirst: TestServer;
  let onSecond: TestServer;

  beforeAll(async () => {
    [onFirst, onSecond] = await Promise.all([cluster.startInstance(0), cluster.startInstance(1)]);
  });

  /** The roles the people hold now, read causally on the third node. */
  async function rolesOnThirdNode(people: BuiltUser[]): Promise<(string | undefined)[]> {
    const rows = await cluster.causalRead<{ user_id: string; role: string }>(
      2,
      'SELECT user_id, role FROM memberships WHERE organization_id = ? AND user_id IN (?, ?)',
      [people[0]!.organizationId, people[0]!.id, people[1]!.id],
    );
    return people.map((person) => rows.find((row) => row.user_id === person.id)?.role);
  }

  it.each([1, 2, 3])('of two owners leaving at once through two nodes, lets exactly one go (round %i)', async (round) => {
    const slug = `leaving-${round}`;
    const first = await buildUser(cluster.dataSource(0), { organization: slug, role: 'owner' });
    const second = await buildUser(cluster.dataSource(0), { organization: slug, role: 'owner' });
    const [asFirst, asSecond] = await Promise.all([loggedInClient(onFirst, first), loggedInClient(onSecond, second)]);

    const answers = await Promise.all([asFirst.delete(memberPath(slug, first.id)), asSecond.delete(memberPath(slug, second.id))]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expectProblem(
      answers.find((answer) => answer.status === 409)!,
      409,
      'last_owner',
    );
    expect((await rolesOnThirdNode([first, second])).filter((role) => role === 'owner')).toHaveLength(1);
  });

  it.each([1, 2, 3])('of two owners demoting each other at once through two nodes, lets one through (round %i)', async (round) => {
    const slug = `demoting-${round}`;
    const first = await buildUser(cluster.dataSource(0), { organization: slug, role: 'owner' });
    const second = await buildUser(cluster.dataSource(0), { organization: slug, role: 'owner' });
    const [asFirst, asSecond] = await Promise.all([loggedInClient(onFirst, first), loggedInClient(onSecond, second)]);

    const answers = await Promise.all([
      asFirst.patch(memberPath(slug, second.id), { role: 'admin' }),
      asSecond.patch(memberPath(slug, first.id), { role: 'admin' }),
    ]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 403]);
    expect((await rolesOnThirdNode([first, second])).filter((role) => role === 'owner')).toHaveLength(1);
  });

  it('refuses at the very next exchange through node B the tokens of a member removed or demoted through node A', async () => {
    const slug = 'membership-fleet';
    const admin = await buildUser(cluster.dataSource(0), { organization: slug, role: 'admin' });
    const leaving = await buildUser(cluster.dataSource(0), { organization: slug, role: 'manager' });
    const lowered = await buildUser(cluster.dataSource(0), { organization: slug, role: 'manager' });
    const leavingToken = await buildToken(cluster.dataSource(0), leaving, { role: 'manager' });
    const aboveToken = await buildToken(cluster.dataSource(0), lowered, { role: 'manager' });
    const withinToken = await buildToken(cluster.dataSource(0), lowered, { role: 'viewer' });
    const asAdmin = await loggedInClient(onFirst, admin);
    const onB = new TestClient(onSecond.url);
    for (const token of [leavingToken, aboveToken, withinToken]) expect((await exchangeToken(onB, token.secret)).status).toBe(200);

    expect((await asAdmin.delete(memberPath(slug, leaving.id))).status).toBe(200);
    expectOAuthError(await exchangeToken(onB, leavingToken.secret), 400, 'invalid_grant');
    expect((await asAdmin.patch(memberPath(slug, lowered.id), { role: 'viewer' })).status).toBe(200);
    expectOAuthError(await exchangeToken(onB, aboveToken.secret), 400, 'invalid_grant');
    expect((await exchangeToken(onB, withinToken.secret)).status).toBe(200);
  });
});
