import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { POLICIES } from '../../src/limits/index.js';
import { mintPlatformToken } from '../../src/tokens/format.js';
import { loggedInClient, tokensPath } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer, type ServerFixture } from '../support/fixture.js';
import { expectOAuthError } from '../support/oauth.js';
import { TEST_KEY_ENCRYPTION_KEY } from '../support/server.js';

/** What a client sends plus what each proxy in front of Tollbooth appends, as the header arrives. */
const forwardedFor = (...entries: string[]) => ({ headers: { 'x-forwarded-for': entries.join(', ') } });

/** Creates a token with the given headers and returns the IP its `token.created` audit event kept. */
async function auditedAddress(
  fixture: ServerFixture,
  owner: BuiltUser,
  headers: { headers: Record<string, string> },
): Promise<string | null> {
  const client = await loggedInClient(fixture, owner);
  const created = await client.post(tokensPath(owner.organizationSlug), { name: `from ${Math.random()}`, service: 'strings' }, headers);
  expect(created.status, created.text).toBe(201);
  const audit = await client.get(`/api/orgs/${owner.organizationSlug}/audit?action=token.created&token_id=${created.body.token.id}`);
  expect(audit.status, audit.text).toBe(200);
  return audit.body.events[0].ip;
}

describe('behind one trusted proxy (TRUST_PROXY=true), the client address is the one the proxy appended', () => {
  const fixture = useServer({ env: { TRUST_PROXY: 'true' } });
  let owner: BuiltUser;

  beforeAll(async () => {
    owner = await buildUser(fixture.dataSource, { organization: 'one-proxy', role: 'owner' });
  });

  it('audits the appended address, not the one the client wrote in front of it', async () => {
    expect(await auditedAddress(fixture, owner, forwardedFor('203.0.113.66', '198.51.100.7'))).toBe('198.51.100.7');
  });

  it('records the appended address as last_used_ip', async () => {
    const token = await buildToken(fixture.dataSource, owner, { name: 'last-used-behind-proxy' });
    const response = await fixture.client().request('POST', '/oauth/token', {
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: token.secret },
      ...forwardedFor('203.0.113.66', '198.51.100.8'),
    });
    expect(response.status, response.text).toBe(200);
    const client = await loggedInClient(fixture, owner);
    const lastUsedIp = await eventually(
      async () => {
        const read = await client.get(tokensPath(owner.organizationSlug, `/${token.id}`));
        return read.body.token?.last_used_ip ?? undefined;
      },
      { what: 'last_used_ip' },
    );
    expect(lastUsedIp).toBe('198.51.100.8');
  });

  it('blocks an address after too many failures whatever the client writes in front of it', async () => {
    const client = fixture.client();
    const token = await buildToken(fixture.dataSource, owner, { name: 'limited-behind-proxy' });
    const attacker = '198.51.100.9';
    for (let index = 0; index <= POLICIES.exchangeByIp.failures; index += 1) {
      const forged = `10.${index >> 8}.${index & 255}.1`;
      const response = await client.request('POST', '/oauth/token', {
        form: { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: mintPlatformToken() },
        ...forwardedFor(forged, attacker),
      });
      expectOAuthError(response, 400, 'invalid_grant');
    }
    const blocked = await client.request('POST', '/oauth/token', {
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: token.secret },
      ...forwardedFor('10.255.255.1', attacker),
    });
    expectOAuthError(blocked, 429, 'rate_limited');
    // Another client behind the same proxy is not blocked.
    const response = await client.request('POST', '/oauth/token', {
      form: { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: token.secret },
      ...forwardedFor('198.51.100.10'),
    });
    expect(response.status, response.text).toBe(200);
  });

  it('keeps the address alone when the proxy appends a port', async () => {
    expect(await auditedAddress(fixture, owner, forwardedFor('203.0.113.66', '198.51.100.11:51234'))).toBe('198.51.100.11');
  });
});

describe('behind a chain of two trusted proxies (TRUST_PROXY=2)', () => {
  const fixture = useServer({ env: { TRUST_PROXY: '2' } });

  it('uses the address the outer proxy appended, two places from the right', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: 'two-proxies', role: 'owner' });
    expect(await auditedAddress(fixture, owner, forwardedFor('203.0.113.66', '198.51.100.12', '10.0.0.2'))).toBe('198.51.100.12');
  });
});

describe('without TRUST_PROXY', () => {
  const fixture = useServer();

  it('ignores X-Forwarded-For and uses the socket peer', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: 'no-proxy', role: 'owner' });
    expect(await auditedAddress(fixture, owner, forwardedFor('198.51.100.13'))).toBe('127.0.0.1');
  });
});

describe('TRUST_PROXY values', () => {
  it.each([
    ['false', 0],
    ['0', 0],
    ['true', 1],
    ['1', 1],
    ['3', 3],
  ])('reads %s as %d trusted proxies', (value, hops) => {
    expect(
      loadConfig(
        {},
        { overrides: { TRUST_PROXY: value, DATA_DIR: '/tmp/tollbooth-config-test', KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY } },
      ).trustedProxyHops,
    ).toBe(hops);
  });

  it.each(['yes', '-1', '11', '1.5'])('refuses %s with a message naming the variable', (value) => {
    expect(() =>
      loadConfig(
        {},
        { overrides: { TRUST_PROXY: value, DATA_DIR: '/tmp/tollbooth-config-test', KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY } },
      ),
    ).toThrow(/TRUST_PROXY/);
  });
});
