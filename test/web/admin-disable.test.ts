import { describe, expect, it } from 'vitest';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser } from '../support/factories.js';
import { browserSuite, logIn, tokenRow } from './browser.js';

describe('a token an admin disabled, on the Access tokens tab', () => {
  const suite = browserSuite();

  /** A member's two disabled tokens in `organization`: `byAdmin` disabled by an admin, `byMe` by the member. */
  const disabledPair = async (organization: string, byAdminName: string, byMeName: string) => {
    const admin = await buildUser(suite.server.dataSource, { organization, role: 'admin' });
    const member = await buildUser(suite.server.dataSource, { organization, role: 'member' });
    const byAdmin = await buildToken(suite.server.dataSource, member, { name: byAdminName });
    const byMe = await buildToken(suite.server.dataSource, member, { name: byMeName });
    const adminClient = await loggedInClient(suite.server, admin);
    expect((await adminClient.post(tokensPath(organization, `/${byAdmin.id}/disable`))).status).toBe(200);
    const memberClient = await loggedInClient(suite.server, member);
    expect((await memberClient.post(tokensPath(organization, `/${byMe.id}/disable`))).status).toBe(200);
    return { admin, member, byAdmin };
  };

  it('shows its owner who disabled it, and only that when the owner disabled it', async () => {
    const { admin, member } = await disabledPair('incident-page', 'quarantined', 'paused');

    const session = await suite.session();
    await logIn(session, member);
    await expect.poll(() => tokenRow(session.page, 'quarantined').locator('.col-status').textContent()).toBe(`Disabledby ${admin.email}`);
    expect(await tokenRow(session.page, 'paused').locator('.col-status').textContent()).toBe('Disabled');
  });

  it('offers its owner no Enable, only why, and lets an admin enable it', async () => {
    const { admin, member, byAdmin } = await disabledPair('incident-enable', 'locked out', 'my pause');

    const asMember = await suite.session();
    await logIn(asMember, member);
    const locked = tokenRow(asMember.page, 'locked out');
    await expect.poll(() => locked.locator('.col-actions').textContent()).toContain('Rename');
    expect(await locked.getByRole('button', { name: /^Enable/ }).count()).toBe(0);
    expect(
      await locked.locator('.col-actions').getByText(`Disabled by ${admin.email}; only an admin or owner can enable it`).isVisible(),
    ).toBe(true);
    // A token its owner disabled stays theirs to enable.
    expect(await tokenRow(asMember.page, 'my pause').getByRole('button', { name: 'Enable my pause' }).isVisible()).toBe(true);

    const asAdmin = await suite.session();
    await logIn(asAdmin, admin, '?owner=all');
    const row = tokenRow(asAdmin.page, 'locked out');
    await expect.poll(() => row.getByRole('button', { name: 'Enable locked out' }).isVisible()).toBe(true);
    expect(await row.getByText('only an admin or owner can enable it').count()).toBe(0);
    await row.getByRole('button', { name: 'Enable locked out' }).click();
    await expect.poll(() => row.locator('.col-status').textContent()).toBe('Active');
    const [stored] = await suite.server.dataSource.query('SELECT status FROM platform_tokens WHERE id = ?', [byAdmin.id]);
    expect(stored.status).toBe('active');
  });
});
