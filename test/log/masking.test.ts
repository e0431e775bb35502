import { describe, expect, it } from 'vitest';
import { maskPath, maskSecrets } from '../../src/log/index.js';
import { mintPlatformToken } from '../../src/tokens/format.js';
import { loggedInClient, tokensPath } from '../support/api.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import { exchangedJwt } from '../support/oauth.js';

/** What must never be written: a token beyond its 10-character display prefix. */
const hiddenPart = (secret: string) => secret.slice(10);

describe('the masking rule', () => {
  const token = mintPlatformToken();
  const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz';

  it.each([
    ['a platform token', `ci ${token} end`, `ci ${token.slice(0, 10)}…[redacted] end`],
    ['a token with a tail of base62', `${token}EXTRA`, `${token.slice(0, 10)}…[redacted]`],
    ['a token glued to other text', `x${token}`, `x${token.slice(0, 10)}…[redacted]`],
    ['a JWT', `Bearer ${jwt}`, `Bearer ${jwt.slice(0, 10)}…[redacted]`],
    ['text without credentials', 'Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (X11; Linux x86_64)'],
    ['a display prefix alone', 'tbp_AbCdEf', 'tbp_AbCdEf'],
  ])('masks %s', (_case, text, expected) => {
    expect(maskSecrets(text)).toBe(expected);
  });

  it.each([
    ['plain', `/api/orgs/${token}/tokens`],
    ['percent-encoded', `/api/orgs/%74bp_${token.slice(4, 20)}%${token.charCodeAt(20).toString(16)}${token.slice(21)}/tokens`],
    ['encoded twice', `/api/orgs/%2574bp_${token.slice(4)}/tokens`],
  ])('masks a token in a %s path', (_case, path) => {
    expect(maskPath(path)).toBe(`/api/orgs/${token.slice(0, 10)}…[redacted]/tokens`);
  });

  it('leaves a path without credentials as it came, encoding included', () => {
    expect(maskPath('/api/orgs/acme%2Fx/tokens')).toBe('/api/orgs/acme%2Fx/tokens');
  });
});

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('credentials in request free text on %s', (database) => {
  const fixture = useServer({ database, captureLogs: true });

  it('logs a request whose path carries a platform token without the token', async () => {
    const secret = mintPlatformToken();
    const encoded = `%74bp_${secret.slice(4)}`;
    expect((await fixture.client().get(`/api/orgs/${secret}/tokens`)).status).toBe(401);
    expect((await fixture.client().get(`/api/orgs/${encoded}/tokens`)).status).toBe(401);
    const requestLines = fixture
      .logs()
      .split('\n')
      .filter((line) => line.includes('"msg":"request"') && line.includes(secret.slice(0, 10)));
    expect(requestLines).toHaveLength(2);
    for (const line of requestLines) {
      expect(line).toContain(`"path":"/api/orgs/${secret.slice(0, 10)}…[redacted]/tokens"`);
      expect(line).not.toContain(hiddenPart(secret));
    }
  });

  it('stores a user agent carrying a token or a JWT masked in the audit event', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: `ua-${database}`, role: 'owner' });
    const platform = await buildToken(fixture.dataSource, owner, { service: 'platform', name: 'for a jwt' });
    const jwt = await exchangedJwt(fixture.client(), platform.secret);
    const client = await loggedInClient(fixture, owner);
    const leaked = mintPlatformToken();
    const userAgent = `deploy-script/2 (TOKEN=${leaked}; JWT=${jwt})`;
    const created = await client.post(
      tokensPath(owner.organizationSlug),
      { name: 'ua', service: 'strings' },
      { headers: { 'user-agent': userAgent } },
    );
    expect(created.status, created.text).toBe(201);

    const [row] = await fixture.dataSource.query('SELECT user_agent FROM audit_events WHERE token_id = ? AND action = ?', [
      created.body.token.id,
      'token.created',
    ]);
    expect(row.user_agent).toBe(`deploy-script/2 (TOKEN=${leaked.slice(0, 10)}…[redacted]; JWT=${jwt.slice(0, 10)}…[redacted])`);
    expect(fixture.logs()).not.toContain(hiddenPart(leaked));
  });

  it('stores a token pasted into a name or description masked, and audits the name masked', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: `text-${database}`, role: 'owner' });
    const client = await loggedInClient(fixture, owner);
    const pasted = mintPlatformToken();
    const created = await client.post(tokensPath(owner.organizationSlug), {
      name: `oops ${pasted}`,
      description: `was ${pasted}`,
      service: 'strings',
    });
    expect(created.status, created.text).toBe(201);
    const renamed = await client.patch(tokensPath(owner.organizationSlug, `/${created.body.token.id}`), { name: `again ${pasted}` });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.token.name).toBe(`again ${pasted.slice(0, 10)}…[redacted]`);

    const [token] = await fixture.dataSource.query('SELECT name, description FROM platform_tokens WHERE id = ?', [created.body.token.id]);
    expect(token).toEqual({ name: `again ${pasted.slice(0, 10)}…[redacted]`, description: `was ${pasted.slice(0, 10)}…[redacted]` });
    const events = await fixture.dataSource.query('SELECT details FROM audit_events WHERE token_id = ?', [created.body.token.id]);
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain(hiddenPart(pasted));
  });

  it('keeps a leak report’s source masked in the audit trail and the log', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: `leak-${database}`, role: 'owner' });
    const leaked = await buildToken(fixture.dataSource, owner, { name: 'leaked' });
    const response = await fixture.client().post('/api/credentials/revoke', {
      credentials: [leaked.secret],
      source: `https://paste.example/raw?t=${leaked.secret}`,
    });
    expect(response.status, response.text).toBe(202);
    const [event] = await fixture.dataSource.query('SELECT details FROM audit_events WHERE token_id = ? AND action = ?', [
      leaked.id,
      'token.deleted',
    ]);
    expect(JSON.parse(event.details).source).toBe(`https://paste.example/raw?t=${leaked.secret.slice(0, 10)}…[redacted]`);
    expect(fixture.logs()).not.toContain(hiddenPart(leaked.secret));
  });
});
