import { describe, expect, it } from 'vitest';
import { AuditEventEntity } from '../../src/db/index.js';
import { expectProblem, loggedInClient } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

const PATH = '/api/me/notifications';

describe('notification preferences over the management API', () => {
  const fixture = useServer();

  async function person() {
    const user = await buildUser(fixture.dataSource, { organization: 'notify', role: 'member' });
    return { user, client: await loggedInClient(fixture, user) };
  }

  it('has every mail on for someone who never changed anything', async () => {
    const { client } = await person();
    const response = await client.get(PATH);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ expiry_notices: true, new_network_alerts: true });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('stores a choice, answers it, keeps it for the next read, and audits the change', async () => {
    const { user, client } = await person();
    const saved = await client.put(PATH, { expiry_notices: false, new_network_alerts: true });
    expect([saved.status, saved.body]).toEqual([200, { expiry_notices: false, new_network_alerts: true }]);
    expect((await client.get(PATH)).body).toEqual({ expiry_notices: false, new_network_alerts: true });
    const turnedBack = await client.put(PATH, { expiry_notices: true, new_network_alerts: false });
    expect(turnedBack.body).toEqual({ expiry_notices: true, new_network_alerts: false });

    const events = await fixture.dataSource
      .getRepository(AuditEventEntity)
      .find({ where: { action: 'user.notifications_changed', actorUserId: user.id }, order: { id: 'ASC' } });
    expect(events.map((event) => JSON.parse(event.details))).toEqual([
      { expiry_notices: false, new_network_alerts: true },
      { expiry_notices: true, new_network_alerts: false },
    ]);
  });

  it("changes only the caller's own preferences", async () => {
    const first = await person();
    const second = await person();
    await first.client.put(PATH, { expiry_notices: false, new_network_alerts: false });
    expect((await second.client.get(PATH)).body).toEqual({ expiry_notices: true, new_network_alerts: true });
  });

  it('refuses a change without the CSRF token with 403 csrf_token_invalid, and changes nothing', async () => {
    const { client } = await person();
    expectProblem(
      await client.put(PATH, { expiry_notices: false, new_network_alerts: false }, { withoutCsrf: true }),
      403,
      'csrf_token_invalid',
    );
    expect((await client.get(PATH)).body).toEqual({ expiry_notices: true, new_network_alerts: true });
  });

  it.each([
    ['GET', () => fixture.client().get(PATH)],
    ['PUT', () => fixture.client().put(PATH, { expiry_notices: false, new_network_alerts: false })],
  ])('answers %s without a session with 401', async (_method, call) => {
    expectProblem(await call(), 401, 'unauthenticated');
  });

  it.each([
    ['one field missing', { expiry_notices: false }],
    ['a string for a boolean', { expiry_notices: 'false', new_network_alerts: true }],
    ['an unknown field', { expiry_notices: true, new_network_alerts: true, weekly_digest: true }],
    ['an array', [true, true]],
  ])('refuses %s with 400 invalid_request', async (_case, body) => {
    const { client } = await person();
    const problem = expectProblem(await client.put(PATH, body), 400, 'invalid_request');
    expect(problem.detail).toEqual(expect.any(String));
    expect((await client.get(PATH)).body).toEqual({ expiry_notices: true, new_network_alerts: true });
  });
});
