import { describe, expect, it } from 'vitest';
import { OutboxMessageEntity } from '../../src/db/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createMailer, runExpiryNotices } from '../../src/notices/index.js';
import { buildToken, buildUser, daysAgo } from '../support/factories.js';
import { browserSuite, logIn, type BrowserSession } from './browser.js';

const EXPIRY_SWITCH = "Expiry notices for other people's tokens";

async function openNotifications({ page }: BrowserSession) {
  await page.getByRole('navigation', { name: 'Profile settings' }).getByRole('link', { name: 'Notifications' }).click();
  await page.waitForURL((url) => url.pathname === '/settings/profile/notifications');
  const expiry = page.getByRole('switch', { name: EXPIRY_SWITCH });
  await expect.poll(() => expiry.isEnabled()).toBe(true);
  return expiry;
}

describe('the Notifications tab in a real browser', () => {
  const suite = browserSuite();

  it("turns expiry notices off, remembered after a reload; then no mail about a member's token comes, and the one about their own still does", async () => {
    const { dataSource } = suite.server;
    const quiet = await buildUser(dataSource, { organization: 'mail-prefs', role: 'admin' });
    const member = await buildUser(dataSource, { organization: 'mail-prefs', role: 'member' });
    const loud = await buildUser(dataSource, { organization: 'mail-prefs', role: 'owner' });
    // Created 727 days ago: they expire in 3 days, inside the 7-day notice.
    await buildToken(dataSource, quiet, { name: 'Quiet deploy', now: daysAgo(727) });
    await buildToken(dataSource, member, { name: 'Member deploy', now: daysAgo(727) });

    const current = await suite.session();
    const { page } = current;
    await logIn(current, quiet);
    const expiry = await openNotifications(current);
    const alerts = page.getByRole('switch', { name: 'New-network alerts' });
    expect([await expiry.isChecked(), await alerts.isChecked()]).toEqual([true, true]);
    // The switch says what it covers, and that their own notices always come.
    expect(await page.locator('#notify-expiry-notices-hint').textContent()).toContain('Notices about your own tokens always come');
    expect(await page.getByText('You are not an admin or owner of any organization').isVisible()).toBe(false);

    await expiry.uncheck();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`${EXPIRY_SWITCH} turned off.`);
    await page.reload();
    await expect.poll(() => expiry.isEnabled()).toBe(true);
    expect([await expiry.isChecked(), await alerts.isChecked()]).toEqual([false, true]);
    expect(await page.getByRole('link', { name: 'Notifications' }).getAttribute('aria-current')).toBe('page');

    const logger = createLogger('silent');
    const mailer = createMailer({ dataSource, logger, from: 'Tollbooth <t@example.test>' });
    await runExpiryNotices(dataSource, mailer, logger);
    const mails = await dataSource.getRepository(OutboxMessageEntity).find();
    // The names of the tokens each person was told about, and whether as their owner.
    const toldAbout = (email: string) =>
      mails
        .filter((message) => message.recipient === email)
        .map((message) => `${message.subject.startsWith('Your ') ? 'own ' : ''}${/"([^"]+)"/.exec(message.subject)?.[1]}`)
        .sort();
    expect(toldAbout(quiet.email)).toEqual(['own Quiet deploy']);
    expect(toldAbout(loud.email)).toEqual(['Member deploy', 'Quiet deploy']);

    // Keyboard: Space on the focused switch turns it back on.
    await expiry.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`${EXPIRY_SWITCH} turned on.`);
    expect(await (await current.context.request.get('/api/me/notifications')).json()).toEqual({
      expiry_notices: true,
      new_network_alerts: true,
    });
  }, 120_000);

  it('tells a person who administers no organization that the expiry switch sends them nothing now', async () => {
    const member = await buildUser(suite.server.dataSource, { organization: 'mail-member', role: 'member' });
    const current = await suite.session();
    await logIn(current, member);
    await openNotifications(current);
    const note = current.page.getByText('You are not an admin or owner of any organization, so none of these come to you now.');
    expect(await note.isVisible()).toBe(true);
  });
});
