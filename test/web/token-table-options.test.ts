import { describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.js';
import { THREE_SCOPE_SERVICES } from '../support/fixture.js';
import { browserSuite, logIn, screenshot, tokenRow } from './browser.js';

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
});
