import { describe, expect, it } from 'vitest';
import { SessionEntity } from '../../src/db/index.js';
import { buildToken, buildUser, removeMembership } from '../support/factories.js';
import { ACCESS_TOKENS_PATH, browserSuite, logIn, screenshot, tokenRow, waitForTokens } from './browser.js';

describe('logging in and out of the profile pages in a real browser', () => {
  const suite = browserSuite();
  const dataSource = () => suite.server.dataSource;

  it('sends an anonymous visitor to /login, refuses a wrong password, and comes back after logging in', async () => {
    const user = await buildUser(dataSource(), { organization: 'initech' });
    const { page } = await suite.session();

    await page.goto(`${ACCESS_TOKENS_PATH}?status=active`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`${ACCESS_TOKENS_PATH}?status=active`);

    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Enter your email and password.');

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Incorrect email or password.');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await screenshot(page, 'login.png');

    await page.getByLabel('Password').fill(user.password);
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL((url) => url.pathname === ACCESS_TOKENS_PATH);
    expect(new URL(page.url()).searchParams.get('status')).toBe('active');
    await waitForTokens(page);
    await expect.poll(() => page.locator('#user-email').textContent()).toBe(user.email);

    // Logged in, /login goes straight on.
    await page.goto('/login');
    expect(new URL(page.url()).pathname).toBe(ACCESS_TOKENS_PATH);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto(ACCESS_TOKENS_PATH);
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it.each(['/\t/evil.example/', '/\n/evil.example/', '//evil.example/', '/\\evil.example/', '/.//evil.example/'])(
    'stays on this server when the login form is told to go to %j afterwards',
    async (next) => {
      const user = await buildUser(dataSource(), { organization: 'initech' });
      const { page, context } = await suite.session();
      const offSite: string[] = [];
      await context.route(
        (url) => url.hostname === 'evil.example',
        async (route) => {
          offSite.push(route.request().url());
          await route.fulfill({ status: 200, contentType: 'text/plain', body: 'off-site' });
        },
      );
      await page.goto('/login');
      // The server never embeds such a value; the page must refuse it on its own all the same.
      await page.locator('#login-form').evaluate((form, value) => form.setAttribute('data-next', value), next);
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => url.pathname !== '/login');
      expect(offSite).toEqual([]);
      expect(new URL(page.url()).origin).toBe(new URL(suite.server.url).origin);
    },
  );

  it('tells someone locked out after repeated failures when to try again', async () => {
    const user = await buildUser(dataSource(), { organization: 'initech' });
    const { page, context } = await suite.session();
    // Each failure costs the server a full scrypt verification: made in parallel, with room to
    // queue on a busy machine; then the next attempt is refused.
    const attempt = async () =>
      (await context.request.post('/api/session', { data: { email: user.email, password: 'wrong-password' }, timeout: 60_000 })).status();
    await Promise.all(Array.from({ length: 11 }, attempt));
    const status = await attempt();
    expect(status).toBe(429);

    await page.goto('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^Too many attempts\. Try again in \d+ seconds\.$/);
    expect(new URL(page.url()).pathname).toBe('/login');
  }, 90_000);

  it('goes to /login when the session ends while the page is open, and back afterwards', async () => {
    const user = await buildUser(dataSource(), { organization: 'initech' });
    await buildToken(dataSource(), user, { name: 'Release bot' });
    const current = await suite.session();
    const { page } = current;
    await logIn(current, user, '?q=release');
    await dataSource().getRepository(SessionEntity).delete({ userId: user.id });

    await tokenRow(page, 'Release bot').getByRole('button', { name: 'Disable Release bot' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`${ACCESS_TOKENS_PATH}?q=release`);

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === ACCESS_TOKENS_PATH);
    await waitForTokens(page);
    expect(await page.getByRole('search').getByLabel('Search').inputValue()).toBe('release');
    // The click that found the session gone changed nothing.
    expect(await tokenRow(page, 'Release bot').locator('.badge').textContent()).toBe('Active');
  });

  it('explains why someone in no organization cannot generate tokens', async () => {
    const user = await buildUser(dataSource(), { organization: 'initech' });
    await removeMembership(dataSource(), user);
    const current = await suite.session();
    const { page } = current;
    await logIn(current, user);
    expect(await page.getByRole('button', { name: 'Generate token' }).isDisabled()).toBe(true);
    expect(await page.locator('#cap-explanation').textContent()).toBe(
      'You are not a member of any organization yet, so you cannot generate tokens.',
    );
  });
});
