import { describe, expect, it } from 'vitest';
import { buildToken, buildUser } from '../support/factories.js';
import { exchangeToken } from '../support/oauth.js';
import { browserSuite, FULL_TOKEN, logIn, screenshot, tokenRow } from './browser.js';

describe('rolling and allowed networks on the Access tokens tab', () => {
  const suite = browserSuite();

  /** Logs in as a member of `organization` owning one token named `name`, and opens its Roll dialog. */
  async function openRollDialog(organization: string, name: string) {
    const user = await buildUser(suite.server.dataSource, { organization, role: 'member' });
    const token = await buildToken(suite.server.dataSource, user, { name });
    const current = await suite.session();
    const { page } = current;
    await logIn(current, user);
    await tokenRow(page, name)
      .getByRole('button', { name: `Roll ${name}` })
      .click();
    return { token, page, dialog: page.getByRole('dialog', { name: `Roll “${name}”?` }) };
  }

  it('generates a token limited to the networks typed, and shows them on its row', async () => {
    const user = await buildUser(suite.server.dataSource, { organization: 'pinned-page', role: 'member' });
    const current = await suite.session();
    const { page } = current;
    await logIn(current, user);

    await page.getByRole('button', { name: 'Generate token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate token' });
    await dialog.getByLabel('Token name').fill('CI only');
    await dialog.getByLabel('Service').selectOption({ label: 'Strings' });
    // A bad entry comes back next to the field, naming it.
    await dialog.getByLabel('Allowed networks').fill('203.0.113.0/24\nci.example.com');
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    await expect
      .poll(() => dialog.locator('#token-networks-error').textContent())
      .toContain('"ci.example.com" is not an IPv4 or IPv6 network');
    expect(await dialog.getByLabel('Allowed networks').getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Allowed networks').fill('203.0.113.9/24\n2001:DB8::/32');
    await dialog.getByRole('button', { name: 'Generate token' }).click();
    const reveal = page.getByRole('dialog', { name: 'Copy your new token' });
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'hidden' });
    await expect
      .poll(() => tokenRow(page, 'CI only').locator('.row-networks').textContent())
      .toBe('Only from 203.0.113.0/24, 2001:db8::/32');
  });

  it('rolls a token with the grace period chosen, shows the new secret once, and both secrets work', async () => {
    const { dataSource } = suite.server;
    const { token, page, dialog } = await openRollDialog('rolling-page', 'Deploy bot');
    // Keyboard: the grace period is focused first, one hour chosen.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('roll-grace');
    expect(await dialog.getByLabel('Keep the old secret working for').inputValue()).toBe('3600');
    await dialog.getByLabel('Keep the old secret working for').selectOption({ label: '1 day' });
    await dialog.getByRole('button', { name: 'Roll token' }).click();

    const reveal = page.getByRole('dialog', { name: 'Copy the new secret' });
    await reveal.waitFor();
    const secret = (await reveal.locator('#reveal-token').textContent()) ?? '';
    expect(secret).toMatch(FULL_TOKEN);
    expect(secret).not.toBe(token.secret);
    expect(await reveal.getByText("won't be shown again").isVisible()).toBe(true);
    await screenshot(page, 'access-tokens-rolled.png');
    await page.keyboard.press('Escape');
    await reveal.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(secret);

    const row = tokenRow(page, 'Deploy bot');
    await expect.poll(() => row.locator('code.prefix').textContent()).toBe(`${secret.slice(0, 10)}…`);
    expect(await row.locator('.row-previous').textContent()).toContain(`Old secret ${token.secret.slice(0, 10)}… works until`);
    const [answer] = await dataSource.query("SELECT details FROM audit_events WHERE action = 'token.rolled' AND token_id = ?", [token.id]);
    expect(JSON.parse(answer.details).grace_seconds).toBe(86_400);
    const client = suite.server.client();
    expect((await exchangeToken(client, token.secret)).status).toBe(200);
    expect((await exchangeToken(client, secret)).status).toBe(200);
  });

  it("keeps the roll dialog open with the server's answer when the roll is refused, and rolls nothing", async () => {
    const { dataSource } = suite.server;
    const { token, page, dialog } = await openRollDialog('refused-roll-page', 'Gone bot');
    await dialog.waitFor();
    // Deleted elsewhere while the dialog is open.
    await dataSource.query('UPDATE platform_tokens SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?', [token.id]);
    await dialog.getByRole('button', { name: 'Roll token' }).click();

    await expect.poll(async () => ((await dialog.locator('#roll-error').textContent()) ?? '').trim()).not.toBe('');
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Roll token' }).isEnabled()).toBe(true);
    expect(await page.getByRole('dialog', { name: 'Copy the new secret' }).isVisible()).toBe(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const [row] = await dataSource.query('SELECT digest, previous_digest FROM platform_tokens WHERE id = ?', [token.id]);
    expect(row.previous_digest).toBeNull();
  });
});
