import { describe, expect, it } from 'vitest';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

describe('audit trail of token changes', () => {
  const fixture = useServer();

  it('records create, rename, disable, enable and delete with actor, organization, token, IP and user agent', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: 'audited-org', role: 'owner' });
    const worker = await buildUser(fixture.dataSource, { organization: 'audited-org' });
    const ownerClient = await loggedInClient(fixture, owner);
    const workerClient = await loggedInClient(fixture, worker);
    const as = (agent: string) => ({ headers: { 'user-agent': agent } });

    const created = await workerClient.post(tokensPath('audited-org'), { name: 'audited', service: 'tms' }, as('worker-cli/2.1'));
    const second = await workerClient.post(tokensPath('audited-org'), { name: 'second', service: 'tms' }, as('worker-cli/2.1'));
    const id = created.body.token.id;
    const path = tokensPath('audited-org', `/${id}`);
    await workerClient.patch(path, { name: 'audited renamed' }, as('worker-cli/2.1'));
    await workerClient.patch(path, { name: 'audited renamed' }, as('worker-cli/2.1'));
    await ownerClient.post(`${path}/disable`, undefined, as('admin-console'));
    await ownerClient.post(`${path}/disable`, undefined, as('admin-console'));
    // The owner disabled the worker's token, so only an admin or owner enables it again.
    await ownerClient.post(`${path}/enable`, undefined, as('admin-console'));
    await ownerClient.delete(path, as('admin-console'));
    await workerClient.post(tokensPath('audited-org', '/delete'), { ids: [second.body.token.id] }, as('worker-cli/2.1'));

    const events: Array<Record<string, any>> = await fixture.dataSource.query(
      "SELECT action, actor_user_id, organization_id, token_id, ip, user_agent, details FROM audit_events WHERE action LIKE 'token.%' ORDER BY id",
    );
    const summary = events.map((event) => [event.action, event.actor_user_id, event.token_id, event.user_agent]);
    expect(summary).toEqual([
      ['token.created', worker.id, id, 'worker-cli/2.1'],
      ['token.created', worker.id, second.body.token.id, 'worker-cli/2.1'],
      // The repeated rename and disable changed nothing and are not recorded twice.
      ['token.updated', worker.id, id, 'worker-cli/2.1'],
      ['token.disabled', owner.id, id, 'admin-console'],
      ['token.enabled', owner.id, id, 'admin-console'],
      ['token.deleted', owner.id, id, 'admin-console'],
      ['token.deleted', worker.id, second.body.token.id, 'worker-cli/2.1'],
    ]);
    for (const event of events) {
      expect(event.organization_id).toBe(owner.organizationId);
      expect(event.ip).toMatch(/127\.0\.0\.1/);
    }
    expect(JSON.parse(events[0]!.details)).toEqual({ name: 'audited', service: 'tms', role: 'member', scopes: ['tms.read', 'tms.write'] });
    expect(JSON.parse(events[2]!.details)).toEqual({ fields: ['name'], name: { from: 'audited', to: 'audited renamed' } });
    expect(JSON.parse(events[3]!.details)).toEqual({ owner: worker.id });
  });
});
