import { describe, expect, it } from 'vitest';
import { OrganizationEntity, PlatformTokenEntity } from '../../src/db/index.js';
import { findUsableTokenBySecret } from '../../src/tokens/index.js';
import { addMembership, buildToken, buildUser } from '../support/factories.js';
import { browserSuite, FULL_TOKEN, logIn, logInThroughForm, screenshot, tokenNames, tokenRow, waitForTokens } from './browser.js';

describe('the Access tokens tab in a real browser', () => {
  const suite = browserSuite();
  const session = (viewport?: { width: number; height: number }) => suite.session(viewport);

  it('generates tokens, shows each once, copies it, then searches, filters, disables and deletes', async () => {
    const user = await buildUser(suite.server.runtime.dataSource, { organization: 'acme', role: 'member' });
    const { page } = await session();
    await logInThroughForm(page, user);
    await expect.poll(() => page.locator('#token-count').textContent()).toBe('0 of 20 tokens');

    const secrets: Record<string, string> = {};
    for (const [name, service] of [
      ['CI deploy', 'Strings'],
      ['Nightly export', 'Strings'],
      ['TMS sync', 'Translation Management'],
    ] as const) {
      await page.getByRole('button', { name: 'Generate token' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Token name').fill(name);
      await dialog.getByLabel('Service').selectOption({ label: service });
      await dialog.getByRole('button', { name: 'Generate token' }).click();
      const shown = dialog.locator('#reveal-token');
      await shown.waitFor();
      secrets[name] = (await shown.textContent())!;
      expect(secrets[name]).toMatch(new RegExp(`^${FULL_TOKEN.source}$`));
      await expect.poll(() => dialog.textContent()).toContain("it won't be shown again.");

      if (name === 'CI deploy') {
        await dialog.getByRole('button', { name: 'Copy token' }).click();
        await expect.poll(() => dialog.locator('#copy-status').textContent()).toBe('Copied to your clipboard.');
        const clipboard = await page.evaluate(() => navigator.clipboard.readText());
        expect(clipboard).toBe(secrets[name]);
        // The copied text is the real, usable secret.
        expect(await findUsableTokenBySecret(suite.server.runtime.dataSource, suite.server.config.services, clipboard)).toMatchObject({
          userId: user.id,
          serviceId: 'strings',
        });
        await screenshot(page, 'access-tokens-new-token.png');
      }

      await dialog.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      expect(await page.content()).not.toMatch(FULL_TOKEN);
    }
    await expect.poll(() => page.locator('#token-count').textContent()).toBe('3 of 20 tokens');
    await expect.poll(() => tokenNames(page)).toEqual(['TMS sync', 'Nightly export', 'CI deploy']);

    await page.reload();
    await waitForTokens(page);
    expect(await page.content()).not.toMatch(FULL_TOKEN);
    expect(await tokenRow(page, 'CI deploy').locator('code').textContent()).toBe(`${secrets['CI deploy']!.slice(0, 10)}…`);
    expect(await tokenRow(page, 'CI deploy').getByText('Never').count()).toBe(1);

    await page.getByLabel('Search').fill('nightly');
    await expect.poll(() => tokenNames(page)).toEqual(['Nightly export']);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => tokenNames(page)).toHaveLength(3);

    await page.getByRole('search').getByLabel('Service').selectOption({ label: 'Translation Management' });
    await expect.poll(() => tokenNames(page)).toEqual(['TMS sync']);
    await page.getByRole('search').getByLabel('Service').selectOption({ label: 'All services' });
    await expect.poll(() => tokenNames(page)).toHaveLength(3);

    await tokenRow(page, 'CI deploy').getByRole('button', { name: 'Disable CI deploy' }).click();
    await expect.poll(() => tokenRow(page, 'CI deploy').getByText('Disabled', { exact: true }).count()).toBe(1);
    expect(await tokenRow(page, 'CI deploy').getAttribute('class')).toContain('status-disabled');
    expect(await findUsableTokenBySecret(suite.server.runtime.dataSource, suite.server.config.services, secrets['CI deploy'])).toBeNull();
    await page.getByRole('search').getByLabel('Status').selectOption('disabled');
    await expect.poll(() => tokenNames(page)).toEqual(['CI deploy']);
    await page.getByRole('search').getByLabel('Status').selectOption('');
    await expect.poll(() => tokenNames(page)).toHaveLength(3);

    await page.getByLabel('Select CI deploy').check();
    await page.getByLabel('Select Nightly export').check();
    await page.getByRole('button', { name: 'Delete 2 tokens' }).click();
    const confirmation = page.getByRole('dialog', { name: 'Delete 2 tokens?' });
    await confirmation.waitFor();
    expect(await confirmation.locator('li').allTextContents()).toEqual(['Nightly export', 'CI deploy']);
    await confirmation.getByRole('button', { name: 'Delete 2 tokens' }).click();
    await expect.poll(() => tokenNames(page)).toEqual(['TMS sync']);
    await expect.poll(() => page.locator('#token-count').textContent()).toBe('1 of 20 tokens');
    expect(
      await findUsableTokenBySecret(suite.server.runtime.dataSource, suite.server.config.services, secrets['Nightly export']),
    ).toBeNull();
    expect(
      await findUsableTokenBySecret(suite.server.runtime.dataSource, suite.server.config.services, secrets['TMS sync']),
    ).not.toBeNull();

    await page.mouse.move(0, 0);
    await screenshot(page, 'access-tokens.png');
  });

  it("checks the form inline, offers roles up to the person's own, and works from the keyboard", async () => {
    const user = await buildUser(suite.server.runtime.dataSource, { organization: 'acme', role: 'manager' });
    const current = await session();
    const { page } = current;
    await logIn(current, user);
    const activeId = () => page.evaluate(() => document.activeElement?.id);

    await page.getByRole('button', { name: 'Generate token' }).focus();
    await page.keyboard.press('Enter');
    // Named "Generate token" until the token is made, then "Copy your new token".
    const dialog = page.getByRole('dialog');
    await page.getByRole('dialog', { name: 'Generate token' }).waitFor();
    expect(await activeId()).toBe('token-name');

    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.locator('#token-name-error').textContent()).toBe('Enter a name for the token.');
    expect(await dialog.locator('#token-service-error').textContent()).toBe('Choose the service this token is for.');
    expect(await dialog.getByLabel('Token name').getAttribute('aria-invalid')).toBe('true');
    expect(await activeId()).toBe('token-name');

    const roles = dialog.getByLabel('Role');
    expect(await roles.locator('option').allTextContents()).toEqual(['viewer', 'member', 'manager (your role)']);
    expect(await roles.inputValue()).toBe('manager');

    // The focus trap: Tab from the last control wraps to the first, Shift+Tab goes back.
    await dialog.getByRole('button', { name: 'Generate token' }).focus();
    await page.keyboard.press('Tab');
    expect(await activeId()).toBe('token-name');
    await page.keyboard.press('Shift+Tab');
    expect(await activeId()).toBe('generate-submit');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await activeId()).toBe('generate-open');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.locator('#token-name-error').isVisible()).toBe(false);
    // What only the server checks comes back next to the field it concerns.
    await page.keyboard.type('Read-only \u202Eexport');
    await dialog.getByLabel('Service').selectOption('strings');
    await dialog.getByLabel('Token name').press('Enter');
    await expect.poll(() => dialog.locator('#token-name-error').textContent()).toBe('Must contain only printable characters.');
    expect(await activeId()).toBe('token-name');
    await dialog.getByLabel('Token name').fill('');
    await page.keyboard.type('Read-only export');
    await dialog.getByLabel('Service').selectOption('strings');
    await roles.selectOption('viewer');
    await dialog.getByLabel('Token name').press('Enter');
    await page.getByRole('dialog', { name: 'Copy your new token' }).getByRole('button', { name: 'Copy token' }).waitFor();
    expect(await activeId()).toBe('copy-token');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toMatch(FULL_TOKEN);
    await expect.poll(() => tokenRow(page, 'Read-only export').locator('.row-role').textContent()).toBe('as viewer');

    await tokenRow(page, 'Read-only export').getByRole('button', { name: 'Rename Read-only export' }).click();
    const rename = page.getByLabel('New name for Read-only export');
    expect(await activeId()).toBe(await rename.getAttribute('id'));
    await rename.fill('   ');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.rename-form .field-error').textContent()).toBe('Enter a name for the token.');
    await rename.fill('Nightly read-only export');
    await page.keyboard.press('Enter');
    await expect.poll(() => tokenNames(page)).toEqual(['Nightly read-only export']);
    expect(await page.getByRole('status').first().textContent()).toBe('Renamed to “Nightly read-only export”.');
  });

  it('disables Generate at 20 tokens across organizations and says why', async () => {
    const { dataSource } = suite.server.runtime;
    const user = await buildUser(dataSource, { organization: 'umbrella', role: 'member' });
    await addMembership(dataSource, user.id, 'wayne', 'member');
    const wayne = (await dataSource.getRepository(OrganizationEntity).findOneByOrFail({ slug: 'wayne' })).id;
    for (let index = 1; index <= 14; index += 1) await buildToken(dataSource, user, { name: `umbrella ${index}` });
    for (let index = 1; index <= 5; index += 1)
      await buildToken(dataSource, { id: user.id, organizationId: wayne }, { name: `wayne ${index}`, service: 'tms' });
    const current = await session();
    const { page } = current;
    await logIn(current, user);
    expect(await page.getByLabel('Organization', { exact: true }).inputValue()).toBe('umbrella');
    expect(await page.locator('#token-count').textContent()).toBe('19 of 20 tokens');
    expect(await page.getByText('The limit counts your live tokens in all your organizations.').isVisible()).toBe(true);

    // The 20th token appears elsewhere while the dialog is open: the API's refusal is shown in it.
    const generate = page.getByRole('button', { name: 'Generate token' });
    await generate.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Token name').fill('One too many');
    await dialog.getByLabel('Service').selectOption('strings');
    await buildToken(dataSource, user, { name: 'umbrella 15' });
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toBe('You already have 20 live tokens; delete one to create another.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.reload();
    await waitForTokens(page);

    expect(await tokenNames(page)).toHaveLength(15);
    expect(await page.locator('#token-count').textContent()).toBe('20 of 20 tokens');
    expect(await generate.isDisabled()).toBe(true);
    expect(await page.locator('#cap-explanation').textContent()).toBe(
      'You have reached the limit of 20 tokens. Delete a token you no longer need to generate a new one.',
    );

    await page.getByLabel('Organization', { exact: true }).selectOption('wayne');
    await expect.poll(() => tokenNames(page)).toEqual(['wayne 5', 'wayne 4', 'wayne 3', 'wayne 2', 'wayne 1']);
    expect(new URL(page.url()).searchParams.get('org')).toBe('wayne');
    expect(await generate.isDisabled()).toBe(true);

    await page.getByLabel('Select all tokens').check();
    expect(await page.getByRole('button', { name: 'Delete 5 tokens' }).isEnabled()).toBe(true);
    await page.getByLabel('Select all tokens').uncheck();
    await page.getByLabel('Select wayne 1').check();
    await page.getByRole('button', { name: 'Delete 1 token' }).click();
    await page.getByRole('dialog', { name: 'Delete 1 token?' }).getByRole('button', { name: 'Delete 1 token' }).click();
    await expect.poll(() => page.locator('#token-count').textContent()).toBe('19 of 20 tokens');
    expect(await generate.isEnabled()).toBe(true);
    expect(await page.locator('#cap-explanation').isVisible()).toBe(false);
  });

  it('shows a member only their own tokens, and an admin every token of the organization with the toggle', async () => {
    const { dataSource } = suite.server.runtime;
    const alice = await buildUser(dataSource, { organization: 'globex', role: 'member' });
    const bob = await buildUser(dataSource, { organization: 'globex', role: 'member' });
    const admin = await buildUser(dataSource, { organization: 'globex', role: 'admin' });
    await buildToken(dataSource, alice, { name: 'Alice build' });
    await buildToken(dataSource, bob, { name: 'Bob build', service: 'tms' });
    await buildToken(dataSource, admin, { name: 'Admin audit' });

    const asAlice = await session();
    await logIn(asAlice, alice, '?owner=all');
    expect(await tokenNames(asAlice.page)).toEqual(['Alice build']);
    expect(await asAlice.page.getByLabel('All tokens in the organization').isVisible()).toBe(false);
    expect(await asAlice.page.getByRole('columnheader', { name: 'Issued by' }).isVisible()).toBe(false);
    expect(await asAlice.page.content()).not.toContain('Bob build');

    const asAdmin = await session();
    const { page } = asAdmin;
    await logIn(asAdmin, admin);
    expect(await tokenNames(page)).toEqual(['Admin audit']);
    await page.getByLabel('All tokens in the organization').check();
    await expect.poll(() => tokenNames(page)).toEqual(['Admin audit', 'Bob build', 'Alice build']);
    expect(await page.getByRole('columnheader', { name: 'Issued by' }).isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.get('owner')).toBe('all');
    await screenshot(page, 'access-tokens-admin.png');
    expect(await tokenRow(page, 'Bob build').locator('td.col-issuer').textContent()).toBe(bob.email);
    // Someone else's token can be disabled by an admin but is not theirs to rename.
    expect(
      await tokenRow(page, 'Bob build')
        .getByRole('button', { name: /^Rename/ })
        .count(),
    ).toBe(0);

    await page.getByLabel('Issued by').selectOption({ label: bob.email });
    await expect.poll(() => tokenNames(page)).toEqual(['Bob build']);
    await tokenRow(page, 'Bob build').getByRole('button', { name: 'Disable Bob build' }).click();
    await expect.poll(() => tokenRow(page, 'Bob build').locator('.badge').textContent()).toBe('Disabled');
    expect(await page.locator('#token-count').textContent()).toBe('1 of 20 tokens');
  });

  it('flags tokens expiring within 7 days, expired ones, and when each was last used', async () => {
    const { dataSource } = suite.server.runtime;
    const user = await buildUser(dataSource, { organization: 'hooli' });
    const day = 24 * 60 * 60 * 1000;
    await buildToken(dataSource, user, { name: 'Old', now: new Date(Date.now() - 731 * day) });
    await buildToken(dataSource, user, { name: 'Ending', now: new Date(Date.now() - 725 * day) });
    const used = await buildToken(dataSource, user, { name: 'Fresh' });
    await dataSource
      .getRepository(PlatformTokenEntity)
      .update({ id: used.id }, { lastUsedAt: new Date(Date.now() - 3 * day), lastUsedIp: '203.0.113.7' });
    const current = await session();
    const { page } = current;
    await logIn(current, user);

    expect(await tokenRow(page, 'Old').locator('.badge').allTextContents()).toEqual(['Expired']);
    expect(await tokenRow(page, 'Old').locator('.expired-date').count()).toBe(1);
    expect(
      await tokenRow(page, 'Old')
        .getByRole('button', { name: /^(Disable|Enable)/ })
        .count(),
    ).toBe(0);
    expect(await tokenRow(page, 'Ending').locator('.badge').allTextContents()).toEqual(['Expires soon', 'Active']);
    expect(await tokenRow(page, 'Fresh').locator('.badge').allTextContents()).toEqual(['Active']);
    expect(await tokenRow(page, 'Fresh').locator('td[data-label="Last used"]').textContent()).toBe('3 days ago from 203.0.113.7');
    expect(await tokenRow(page, 'Ending').locator('td[data-label="Last used"]').textContent()).toBe('Never');
    // An expired token no longer counts against the cap.
    expect(await page.locator('#token-count').textContent()).toBe('2 of 20 tokens');
    await page.getByRole('search').getByLabel('Status').selectOption('expired');
    await expect.poll(() => tokenNames(page)).toEqual(['Old']);
  });

  it('shows hostile token names as plain text', async () => {
    const { dataSource } = suite.server.runtime;
    const user = await buildUser(dataSource, { organization: 'massive-dynamic' });
    const hostile = '<img src=x onerror="window.pwned=1">';
    await buildToken(dataSource, user, { name: hostile, description: '<b>bold</b>' });
    const current = await session();
    const { page } = current;
    await logIn(current, user);
    expect(await tokenNames(page)).toEqual([hostile]);
    expect(await page.locator('#tokens-body img, #tokens-body b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.getByLabel(`Select ${hostile}`).check();
    await page.getByRole('button', { name: 'Delete 1 token' }).click();
    expect(await page.locator('#delete-names li').textContent()).toBe(hostile);
    await page.keyboard.press('Escape');
  });

  it('fits a phone screen', async () => {
    const { dataSource } = suite.server.runtime;
    const user = await buildUser(dataSource, { organization: 'pied-piper' });
    await buildToken(dataSource, user, { name: 'Compression CI', description: 'Runs the nightly benchmarks' });
    await buildToken(dataSource, user, { name: 'Translations sync', service: 'tms' });
    const current = await session({ width: 390, height: 844 });
    const { page } = current;
    await logIn(current, user);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.getByLabel('Select Compression CI').isVisible()).toBe(true);
    expect(await tokenRow(page, 'Compression CI').getByRole('button', { name: 'Disable Compression CI' }).isVisible()).toBe(true);
    await screenshot(page, 'access-tokens-phone.png');
    await page.getByRole('button', { name: 'Generate token' }).click();
    const box = await page.getByRole('dialog').boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  });
});
