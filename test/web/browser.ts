import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { packageRoot } from '../../src/config/index.js';
import { useServer, type ServerFixture, type UseServerOptions } from '../support/fixture.js';

/** Debian's Chromium, installed by .ci/run. */
const CHROMIUM = '/usr/bin/chromium';

/** Screenshots land here (git-ignored) so a person can look at the page after a run. */
export const ARTIFACTS_DIR = join(packageRoot(), 'test', 'artifacts');

/** Every full platform token has this shape; none may ever be on a page after its one showing. */
export const FULL_TOKEN = /tbp_[0-9A-Za-z]{38}/;

export const ACCESS_TOKENS_PATH = '/settings/profile/access-tokens';

/** One headless Chromium per test file, launched in beforeAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions (CSP violations show up here). */
  problems: string[];
}

/**
 * A fresh context (own cookies) with clipboard access granted for the server's origin and
 * a page that records console errors, so a CSP violation or a script error fails the test.
 */
export async function openSession(browser: Browser, baseURL: string, viewport = { width: 1280, height: 900 }): Promise<BrowserSession> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'UTC' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL).origin });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !isExpectedFailedResponse(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

export interface BrowserSuite {
  /** The real Tollbooth server on this file's fresh MySQL database. */
  readonly server: ServerFixture;
  /** A new browser context (own cookies) and page; checked for console errors after the test. */
  session(viewport?: { width: number; height: number }): Promise<BrowserSession>;
}

/**
 * Registers the hooks a browser test file needs: one database, one server and one Chromium
 * for the file (beforeAll), every context closed after its test, which fails if the page
 * logged an error or broke the CSP.
 */
export function browserSuite(options: Pick<UseServerOptions, 'servicesFile'> = {}): BrowserSuite {
  const server = useServer(options);
  let browser: Browser;
  let opened: BrowserSession[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    const sessions = opened;
    opened = [];
    await Promise.all(sessions.map(({ context }) => context.close()));
    expect(sessions.flatMap(({ problems }) => problems)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    server,
    async session(viewport) {
      const session = await openSession(browser, server.url, viewport);
      opened.push(session);
      return session;
    },
  };
}

/** Chromium logs every 4xx fetch as a console error; those are answers the page handles. */
function isExpectedFailedResponse(text: string): boolean {
  return /Failed to load resource: the server responded with a status of 4\d\d/.test(text);
}

/** Logs in through the real /login form and waits for the Access tokens tab. */
export async function logInThroughForm(page: Page, user: { email: string; password: string }, path = ACCESS_TOKENS_PATH): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname === ACCESS_TOKENS_PATH);
  await waitForTokens(page);
}

/** Logs in through the API within the context (shares its cookies), then opens the tab. */
export async function logIn(session: BrowserSession, user: { email: string; password: string }, query = ''): Promise<void> {
  const response = await session.context.request.post('/api/session', { data: { email: user.email, password: user.password } });
  expect(response.status()).toBe(200);
  await session.page.goto(`${ACCESS_TOKENS_PATH}${query}`);
  await waitForTokens(session.page);
}

/** Waits until the table has loaded (the count line reads "N of 20 tokens"). */
export async function waitForTokens(page: Page): Promise<void> {
  await page.locator('#tokens-table[aria-busy="false"]').waitFor({ state: 'attached' });
  await page.getByText(/^\d+ of \d+ tokens$/).waitFor();
}

/** The names in the table, top to bottom. */
export async function tokenNames(page: Page): Promise<string[]> {
  return page.locator('#tokens-body .token-name').allTextContents();
}

export function tokenRow(page: Page, name: string) {
  return page.locator('#tokens-body tr').filter({ has: page.locator('.token-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
