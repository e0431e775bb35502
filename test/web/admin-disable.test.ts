import { describe, expect, it } from 'vitest';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser } from '../support/factories.js';
import { browserSuite, logIn, tokenRow } from './browser.js';

describe('a token an admin disabled, on the Access tokens tab', () => {
  const suite = browserSuite();

  it('shows its owner who disabled it, and only that when the owner disabled it', async () => {
    const admin = await buildUser(suite.server.dataSource, { organization: 'incident-page', role: 'admin' });
    const member = await buildUser(suite.server.dataSource, { organization: 'incident-page', role: 'member' });
    const byAdmin = await buildToken(suite.server.dataSource, member, { name: 'quarantined' });
    const byMe = await buildToken(suite.server.dataSource, member, { name: 'paused' });
    const adminClient = await loggedInClient(suite.server, admin);
    expect((await adminClient.post(tokensPath('incident-page', `/${byAdmin.id}/disable`))).status).toBe(200);
    const memberClient = await loggedInClient(suite.server, member);
    expect((await memberClient.post(tokensPath('incident-page', `/${byMe.id}/disable`))).status).toBe(200);

    const session = await suite.session();
    await logIn(session, member);
    await expect.poll(() => tokenRow(session.page, 'quarantined').locator('.col-status').textContent()).toBe(`Disabledby ${admin.email}`);
    expect(await tokenRow(session.page, 'paused').locator('.col-status').textContent()).toBe('Disabled');
  });
});
