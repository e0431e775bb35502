import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/accounts/index.js';
import { SESSION_COOKIE, startSession } from '../../src/session/index.js';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, TOKEN_CAP } from '../../src/tokens/index.js';
import { buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';

const ACCESS_TOKENS = '/settings/profile/access-tokens';

/** An inline <script> a browser would run: neither loaded by src nor a JSON data block. */
const RUNNABLE_INLINE_SCRIPT = /<script(?![^>]*\b(?:src=|type="application\/json"))[^>]*>/;

/** The page settings the server renders into a page, parsed. */
function pageSettings(html: string): Record<string, unknown> {
  const match = /<script type="application\/json" id="page-settings">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no page settings in the page');
  return JSON.parse(match[1]!);
}

/** The local path the login page will go to afterwards, as the page embeds it. */
function embeddedNext(html: string): string {
  const match = /data-next="([^"]*)"/.exec(html);
  if (!match) throw new Error('no data-next on the login form');
  return match[1]!
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'");
}

describe('profile pages over HTTP', () => {
  const server = useServer();
  let anonymous: TestClient;
  /** GET with a real session's cookie (made by the session store, as a login would). */
  let signedIn: { get(path: string): ReturnType<TestClient['get']> };

  beforeAll(async () => {
    anonymous = server.client();
    const user = await buildUser(server.dataSource);
    const { cookieValue } = await startSession(server.dataSource, user.id);
    signedIn = { get: (path) => anonymous.get(path, { headers: { cookie: `${SESSION_COOKIE}=${cookieValue}` } }) };
  });

  describe('without a session', () => {
    it.each([
      [ACCESS_TOKENS, ACCESS_TOKENS],
      [`${ACCESS_TOKENS}?org=acme&q=ci`, `${ACCESS_TOKENS}?org=acme&q=ci`],
      ['/settings', '/settings'],
      ['/settings/profile', '/settings/profile'],
      ['/settings/no-such-page', '/settings/no-such-page'],
    ])('sends %s to /login with next', async (path, next) => {
      const response = await anonymous.get(path);
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location')!, server.url);
      expect(location.pathname).toBe('/login');
      expect(location.searchParams.get('next')).toBe(next);
    });

    it.each([`${SESSION_COOKIE}=${'A'.repeat(43)}`, `${SESSION_COOKIE}=not-a-session`, `${SESSION_COOKIE}=`])(
      'treats the cookie %s as no session',
      async (cookie) => {
        const response = await anonymous.get(ACCESS_TOKENS, { headers: { cookie } });
        expect(response.status).toBe(302);
        expect(response.headers.get('location')).toMatch(/^\/login\?next=/);
      },
    );

    it('serves the login form with no inline script or style, uncached', async () => {
      const response = await anonymous.get('/login');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.text).toContain('<label for="login-email">Email</label>');
      expect(response.text).toContain('<label for="login-password">Password</label>');
      expect(response.text).not.toMatch(RUNNABLE_INLINE_SCRIPT);
      expect(response.text).not.toMatch(/<style|\sstyle=/);
      expect(embeddedNext(response.text)).toBe(ACCESS_TOKENS);
    });

    it.each([
      ['//evil.example/phish', ACCESS_TOKENS],
      ['https://evil.example/phish', ACCESS_TOKENS],
      ['/\\evil.example/phish', ACCESS_TOKENS],
      ['/\tevil', ACCESS_TOKENS],
      ['javascript:alert(1)', ACCESS_TOKENS],
      ['settings', ACCESS_TOKENS],
      ['/login?next=/settings', ACCESS_TOKENS],
      ['/.//evil.example', ACCESS_TOKENS],
      ['/..//evil.example', ACCESS_TOKENS],
      ['/a/..//evil.example', ACCESS_TOKENS],
      ['/a/b/../..//evil.example/x?y#z', ACCESS_TOKENS],
      ['/%2e//evil.example', ACCESS_TOKENS],
      ['/%2e%2e//evil.example', ACCESS_TOKENS],
      ['/./\\evil.example', ACCESS_TOKENS],
      ['/settings/./profile/../profile/access-tokens', ACCESS_TOKENS],
      ['', ACCESS_TOKENS],
      ['/settings/profile/access-tokens?org=acme', '/settings/profile/access-tokens?org=acme'],
      ['/settings?x="><script>alert(1)</script>', '/settings?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E'],
    ])('accepts next=%j only as a local path (→ %s)', async (next, expected) => {
      const response = await anonymous.get(`/login?next=${encodeURIComponent(next)}`);
      expect(response.status).toBe(200);
      expect(embeddedNext(response.text)).toBe(expected);
      expect(response.text).not.toContain('<script>alert');
    });

    it('answers other methods on /login with 405', async () => {
      const response = await anonymous.post('/login', { email: 'a@b.c' });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toContain('GET');
    });
  });

  describe('with a session', () => {
    it('serves the Access tokens tab, uncached, under the strict CSP', async () => {
      const response = await signedIn.get(ACCESS_TOKENS);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toContain("style-src 'self'");
      expect(response.text).toContain('<label for="filter-q">Search</label>');
      expect(response.text).toContain('<label for="filter-service">Service</label>');
      expect(response.text).toContain('role="dialog" aria-modal="true" aria-labelledby="generate-title"');
      expect(response.text).not.toMatch(RUNNABLE_INLINE_SCRIPT);
      expect(response.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
      expect(response.text).not.toMatch(/https?:\/\//);
    });

    it("gives the page's scripts the server's own rules: roles, length limits, the cap, the expiry warning, the columns", async () => {
      const settings = pageSettings((await signedIn.get(ACCESS_TOKENS)).text);
      expect(settings).toEqual({
        roles: [...ROLES],
        organizationManagerRoles: ['admin', 'owner'],
        tokenNameMaxLength: NAME_MAX_LENGTH,
        tokenDescriptionMaxLength: DESCRIPTION_MAX_LENGTH,
        tokenCap: TOKEN_CAP,
        expiresSoonDays: 7,
        tokenColumns: ['name', 'service', 'token', 'created', 'expires', 'last-used', 'status', 'actions'].map((id) =>
          expect.objectContaining({ id, hideable: id !== 'name' }),
        ),
      });
    });

    it.each(['/', '/settings', '/settings/profile'])('redirects %s to the Access tokens tab', async (path) => {
      const response = await signedIn.get(path);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(ACCESS_TOKENS);
    });

    it('sends /login straight on to a local next, and never off-site', async () => {
      const local = await signedIn.get(`/login?next=${encodeURIComponent('/settings/profile/access-tokens?org=acme')}`);
      expect(local.status).toBe(302);
      expect(local.headers.get('location')).toBe('/settings/profile/access-tokens?org=acme');
      const offSite = await signedIn.get(`/login?next=${encodeURIComponent('//evil.example')}`);
      expect(offSite.status).toBe(302);
      expect(offSite.headers.get('location')).toBe(ACCESS_TOKENS);
    });

    it.each(['/.//evil.example', '/..//evil.example', '/a/..//evil.example', '/%2e%2e//evil.example', '/./%2e//evil.example'])(
      'sends /login?next=%s to a path on this server, never off-site',
      async (next) => {
        const response = await signedIn.get(`/login?next=${encodeURIComponent(next)}`);
        expect(response.status).toBe(302);
        const location = response.headers.get('location')!;
        expect(location).toMatch(/^\/(?![/\\])/);
        expect(new URL(location, server.url).origin).toBe(new URL(server.url).origin);
      },
    );

    it('gives an unknown settings page a 404, not a page', async () => {
      const response = await signedIn.get('/settings/no-such-page');
      expect(response.status).toBe(404);
    });
  });

  describe('assets', () => {
    async function assetUrls(): Promise<string[]> {
      const html = (await anonymous.get('/login')).text;
      return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    }

    it('serves the versioned assets the page names as immutable, with the right types', async () => {
      const urls = await assetUrls();
      expect(urls.map((url) => url.split('/').pop())).toEqual(['favicon.svg', 'tollbooth.css', 'login.js']);
      const types: Record<string, string> = {
        svg: 'image/svg+xml',
        css: 'text/css; charset=utf-8',
        js: 'text/javascript; charset=utf-8',
      };
      for (const url of urls) {
        const response = await anonymous.get(url);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(response.headers.get('content-type')).toBe(types[url.split('.').pop()!]);
      }
    });

    it('serves the modules a script imports from the same version', async () => {
      const [script] = (await assetUrls()).filter((url) => url.endsWith('/login.js'));
      const body = (await anonymous.get(script!)).text;
      const imports = [...body.matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((match) => match[1]!);
      expect(imports.length).toBeGreaterThan(0);
      for (const imported of imports) {
        const response = await anonymous.get(script!.replace('login.js', imported));
        expect(response.status, imported).toBe(200);
      }
    });

    it('serves an older version uncached rather than breaking an open page', async () => {
      const response = await anonymous.get('/assets/000000000000/tollbooth.css');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
    });

    it.each(['/assets/v/nope.js', '/assets/v/..%2F..%2Fpackage.json', '/assets/v/%2E%2E%2Fassets.ts', '/assets/v/routes.ts', '/assets/v'])(
      'answers %s with 404',
      async (path) => {
        const response = await anonymous.get(path);
        expect(response.status).toBe(404);
      },
    );
  });
});
