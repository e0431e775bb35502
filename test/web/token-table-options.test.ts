import { describe, expect, it } from 'vitest';
import { buildExpiredToken, buildToken, buildUser, daysAgo, deleteOwnToken } from '../support/factories.js';
import { THREE_SCOPE_SERVICES } from '../support/fixture.js';
import { ACCESS_TOKENS_PATH, browserSuite, logIn, screenshot, tokenRow, waitForTokens } from './browser.js';

describe('scopes, columns, deleted tokens and the expiry mark on the Access tokens tab', () => {
  const suite = browserSuite({ servicesFile: THREE_SCOPE_SERVICES });

  it('creates a token with two of three scopes, all ticked at first, and shows them in the table', async () => {
    const user = await buildUser(suite.server.dataSource, { organization: 'scoped', role: 'member' });
    const current = await suite.session();
    const { page } = current;
    await logIn(current, user);

    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.getByLabel('Token name').fill('Read and admin');
    await dialog.getByLabel('Service').selectOption({ label: 'Strings' });
    const scopes = dialog.getByRole('group', { name: 'Scopes' });
    expect(await scopes.getByRole('checkbox').count()).toBe(3);
    for (const scope of ['strings.read', 'strings.write', 'strings.admin']) {
      expect(await scopes.getByRole('checkbox', { name: scope }).isChecked()).toBe(true);
    }
    // Another service offers its own scopes.
    await dialog.getByLabel('Service').selectOption({ label: 'Translation Management' });
    expect(await scopes.getByRole('checkbox').count()).toBe(2);
    await dialog.getByLabel('Service').selectOption({ label: 'Strings' });

    // Unticking every scope is caught before asking the server.
    for (const scope of ['strings.read', 'strings.write', 'strings.admin']) await scopes.getByRole('checkbox', { name: scope }).uncheck();
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    await expect.poll(() => dialog.locator('#token-scopes-error').textContent()).toBe('Choose at least one scope.');

    await scopes.getByRole('checkbox', { name: 'strings.read' }).check();
    await scopes.getByRole('checkbox', { name: 'strings.admin' }).check();
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    const reveal = page.getByRole('dialog', { name: 'Copy your new token' });
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'hidden' });

    await expect
      .poll(() => tokenRow(page, 'Read and admin').locator('.row-scopes').textContent())
      .toBe('Scopes: strings.read, strings.admin');
    const listed = await current.context.request.get('/api/orgs/scoped/tokens');
    expect((await listed.json()).tokens[0].scopes).toEqual(['strings.read', 'strings.admin']);
    await screenshot(page, 'access-tokens-scopes.png');
  });

  it('shows and hides columns from the Columns menu, by mouse and keyboard, remembered across a reload and on a phone', async () => {
    const { dataSource } = suite.server;
    const user = await buildUser(dataSource, { organization: 'columns', role: 'member' });
    await buildToken(dataSource, user, { name: 'Deploy bot' });
    const current = await suite.session();
    const { page } = current;
    await logIn(current, user);
    const header = (name: string) => page.getByRole('columnheader', { name, exact: true });
    const menu = page.getByRole('group', { name: 'Columns to show' });
    const activeColumn = () =>
      page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.column ?? document.activeElement?.id);

    expect(await menu.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Columns' }).click();
    expect(await page.getByRole('button', { name: 'Columns' }).getAttribute('aria-expanded')).toBe('true');
    expect(await menu.getByRole('checkbox').count()).toBe(8);
    const name = menu.getByRole('checkbox', { name: 'Name (always shown)' });
    expect([await name.isChecked(), await name.isDisabled()]).toEqual([true, true]);

    await menu.getByRole('checkbox', { name: 'Token' }).uncheck();
    await menu.getByRole('checkbox', { name: 'Last used' }).uncheck();
    await expect.poll(() => header('Token').isVisible()).toBe(false);
    expect(await header('Last used').isVisible()).toBe(false);
    expect(await tokenRow(page, 'Deploy bot').locator('td.col-token').isVisible()).toBe(false);
    expect(await tokenRow(page, 'Deploy bot').locator('td.col-last-used').isVisible()).toBe(false);
    expect(await header('Service').isVisible()).toBe(true);
    expect(await menu.isVisible()).toBe(true);

    // Keyboard: Escape closes and returns to the button; Enter opens on the first box it can change.
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect(await activeColumn()).toBe('columns-open');
    await page.keyboard.press('Enter');
    await menu.waitFor();
    expect(await activeColumn()).toBe('service');
    await page.keyboard.press('Space');
    await expect.poll(() => header('Service').isVisible()).toBe(false);
    await page.keyboard.press('Space');
    await expect.poll(() => header('Service').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await screenshot(page, 'access-tokens-columns.png');

    // Remembered in this browser: a reload shows the same columns, and the menu says so.
    await page.reload();
    await waitForTokens(page);
    expect(await header('Token').isVisible()).toBe(false);
    expect(await header('Last used').isVisible()).toBe(false);
    expect(await header('Created').isVisible()).toBe(true);
    expect(await tokenRow(page, 'Deploy bot').locator('td.col-token').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Columns' }).click();
    expect(await menu.getByRole('checkbox', { name: 'Token' }).isChecked()).toBe(false);
    expect(await menu.getByRole('checkbox', { name: 'Created' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');

    // The phone layout (one card per token) leaves the hidden columns out too.
    await page.setViewportSize({ width: 390, height: 844 });
    const row = tokenRow(page, 'Deploy bot');
    expect(await row.locator('td.col-token').isVisible()).toBe(false);
    expect(await row.locator('td.col-last-used').isVisible()).toBe(false);
    expect(await row.locator('td.col-created').isVisible()).toBe(true);
    expect(await row.locator('.token-name').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('lets an admin filter Deleted and see who deleted each token, when and why, with nothing to act on; a member has no such choice', async () => {
    const { dataSource } = suite.server;
    const admin = await buildUser(dataSource, { organization: 'records', role: 'admin' });
    const member = await buildUser(dataSource, { organization: 'records', role: 'member' });
    const retired = await buildToken(dataSource, member, { name: 'Retired deploy' });
    const leaked = await buildToken(dataSource, member, { name: 'Leaked CI' });
    await buildToken(dataSource, member, { name: 'Live deploy' });
    // The admin deletes the member's token through the real lifecycle (an admin may delete any token of the org).
    await deleteOwnToken(dataSource, admin, retired.id);
    const report = await suite.server
      .client()
      .post('/api/credentials/revoke', { credentials: [leaked.secret], source: 'https://example.test/leak' });
    expect(report.status).toBe(202);

    const current = await suite.session();
    const { page } = current;
    await logIn(current, admin);
    const status = page.getByRole('combobox', { name: 'Status' });
    expect(await status.locator('option').allTextContents()).toEqual(['Any status', 'Active', 'Disabled', 'Expired', 'Deleted']);
    await status.selectOption({ label: 'Deleted' });
    // Their own deleted tokens first: none.
    await expect
      .poll(() => page.locator('#tokens-empty').textContent())
      .toBe('None of your tokens in records has been deleted. Turn on “All tokens in the organization” to see everyone’s.');
    await page.getByRole('switch', { name: 'All tokens in the organization' }).check();
    const table = page.getByRole('table', { name: 'Access tokens' });
    await expect.poll(() => page.locator('#tokens-body .token-name').allTextContents()).toEqual(['Leaked CI', 'Retired deploy']);
    expect(new URL(page.url()).searchParams.get('status')).toBe('deleted');

    const note = 'Deleted tokens are kept as a record of who deleted them, when and why.';
    expect(await page.getByText(note).isVisible()).toBe(true);
    expect(await table.getAttribute('aria-describedby')).toBe('deleted-note');
    expect(await page.getByRole('columnheader', { name: 'Deleted', exact: true }).isVisible()).toBe(true);
    const byAdmin = tokenRow(page, 'Retired deploy');
    const deletion = byAdmin.locator('td.col-deletion');
    expect(await deletion.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await deletion.locator('.row-deleted-by').textContent()).toBe(`by ${admin.email}`);
    expect(await deletion.locator('.row-deletion-reason').textContent()).toBe('Why: Deleted by a person');
    expect(await byAdmin.locator('.badge').textContent()).toBe('Deleted');
    const byReport = tokenRow(page, 'Leaked CI').locator('td.col-deletion');
    expect(await byReport.locator('.row-deleted-by').textContent()).toBe('by a leak report');
    expect(await byReport.locator('.row-deletion-reason').textContent()).toBe('Why: Reported as leaked');

    // Nothing to act on: no buttons or boxes in the rows, no select-all, no Delete.
    expect(await table.locator('tbody').getByRole('button').count()).toBe(0);
    expect(await table.locator('tbody').getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'Select all tokens' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /^Delete/ }).isVisible()).toBe(false);
    await screenshot(page, 'access-tokens-deleted.png');

    // The Columns menu holds here too, and a reload keeps the view.
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('group', { name: 'Columns to show' }).getByRole('checkbox', { name: 'Service' }).uncheck();
    await page.keyboard.press('Escape');
    await expect.poll(() => byAdmin.locator('td.col-service').isVisible()).toBe(false);
    await page.reload();
    await waitForTokens(page);
    await expect.poll(() => page.locator('#tokens-body .token-name').allTextContents()).toEqual(['Leaked CI', 'Retired deploy']);
    expect(await status.inputValue()).toBe('deleted');
    expect(await byAdmin.locator('td.col-service').isVisible()).toBe(false);

    // On a phone each deleted token is a card that still says who, when and why, and nothing more.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await deletion.isVisible()).toBe(true);
    expect(await byAdmin.locator('td.col-actions').isVisible()).toBe(false);
    expect(await byAdmin.locator('td.col-select').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'access-tokens-deleted-phone.png');

    // A member is never offered Deleted, not even by an address that asks for it.
    const asMember = await suite.session();
    await logIn(asMember, member, '?status=deleted');
    const memberStatus = asMember.page.getByRole('combobox', { name: 'Status' });
    expect(await memberStatus.locator('option').allTextContents()).toEqual(['Any status', 'Active', 'Disabled', 'Expired']);
    expect(await memberStatus.inputValue()).toBe('');
    expect(await asMember.page.locator('#tokens-body .token-name').allTextContents()).toEqual(['Live deploy']);
    expect(new URL(asMember.page.url()).pathname + new URL(asMember.page.url()).search).toBe(ACCESS_TOKENS_PATH);
  }, 120_000);

  it('marks the Access tokens tab, with a label, while a token the person can see expires within 7 days', async () => {
    const { dataSource } = suite.server;
    const member = await buildUser(dataSource, { organization: 'warned', role: 'member' });
    const admin = await buildUser(dataSource, { organization: 'warned', role: 'admin' });
    const calm = await buildUser(dataSource, { organization: 'calm', role: 'member' });
    // Created 727 days ago: it expires in 3 days.
    await buildToken(dataSource, member, { name: 'Ends in three days', now: daysAgo(727) });
    await buildToken(dataSource, calm, { name: 'Fresh' });
    await buildExpiredToken(dataSource, calm, { name: 'Long gone' });
    const mark = (page: import('playwright-core').Page) => page.getByRole('img', { name: 'A token expires within 7 days' });

    for (const [person, marked] of [
      [member, true],
      [admin, true],
      [calm, false],
    ] as const) {
      const current = await suite.session();
      await logIn(current, person);
      await expect.poll(() => mark(current.page).isVisible()).toBe(marked);
      if (marked) {
        const tab = current.page.getByRole('navigation', { name: 'Profile settings' }).getByRole('link', { name: /^Access tokens/ });
        expect(await tab.textContent()).toContain('!');
        await current.page.getByRole('link', { name: 'Notifications' }).click();
        await current.page.waitForURL((url) => url.pathname === '/settings/profile/notifications');
        await expect.poll(() => mark(current.page).isVisible()).toBe(true);
      } else {
        // The expired one stays red in the table rather than marking the tab.
        expect(await tokenRow(current.page, 'Long gone').locator('.expired-date').count()).toBe(1);
      }
    }
  }, 120_000);
});
