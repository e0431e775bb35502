import { describe, expect, it } from 'vitest';
import { OutboxMessageEntity } from '../../src/db/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createMailer, runExpiryNotices } from '../../src/notices/index.js';
import { buildToken, buildUser, daysAgo } from '../support/factories.js';
import { browserSuite, logIn } from './browser.js';

describe('the Notifications tab in a real browser', () => {
  const suite = browserSuite();

  it('turns expiry notices off, remembered after a reload, and then no expiry mail comes', async () => {
    const { dataSource } = suite.server;
    const quiet = await buildUser(dataSource, { organization: 'mail-prefs', role: 'member' });
    const loud = await buildUser(dataSource, { organization: 'mail-prefs', role: 'member' });
    // Created 727 days ago: it expires in 3 days, inside the 7-day notice.
    await buildToken(dataSource, quiet, { name: 'Quiet deploy', now: daysAgo(727) });
    await buildToken(dataSource, loud, { name: 'Loud deploy', now: daysAgo(727) });

    const current = await suite.session();
    const { page } = current;
    await logIn(current, quiet);
    await page.getByRole('navigation', { name: 'Profile settings' }).getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/profile/notifications');
    const expiry = page.getByRole('switch', { name: 'Token expiry notices' });
    const alerts = page.getByRole('switch', { name: 'New-network alerts' });
    await expect.poll(() => expiry.isEnabled()).toBe(true);
    expect([await expiry.isChecked(), await alerts.isChecked()]).toEqual([true, true]);

    await expiry.uncheck();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Token expiry notices turned off.');
    await page.reload();
    await expect.poll(() => expiry.isEnabled()).toBe(true);
    expect([await expiry.isChecked(), await alerts.isChecked()]).toEqual([false, true]);
    expect(await page.getByRole('link', { name: 'Notifications' }).getAttribute('aria-current')).toBe('page');

    const logger = createLogger('silent');
    const mailer = createMailer({ dataSource, logger, from: 'Tollbooth <t@example.test>' });
    await runExpiryNotices(dataSource, mailer, logger);
    const recipients = (await dataSource.getRepository(OutboxMessageEntity).find()).map((message) => message.recipient);
    expect(recipients).toContain(loud.email);
    expect(recipients).not.toContain(quiet.email);

    // Keyboard: Space on the focused switch turns it back on.
    await expiry.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Token expiry notices turned on.');
    expect((await current.context.request.get('/api/me/notifications')).ok()).toBe(true);
    expect(await (await current.context.request.get('/api/me/notifications')).json()).toEqual({
      expiry_notices: true,
      new_network_alerts: true,
    });
  }, 120_000);
});
