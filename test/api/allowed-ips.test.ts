import type { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintPlatformToken } from '../../src/tokens/index.js';
import { createTokenThroughApi, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildUser, type BuiltUser } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { sample, scrapeMetrics } from '../support/metrics.js';
import { clientCredentials, exchangeToken, expectOAuthError } from '../support/oauth.js';

const METRICS_TOKEN = 'metrics-token-for-allowed-ips';
/** Every 127.0.0.0/8 address is the loopback: the server, on 127.0.0.1, sees this one as another client. */
const ELSEWHERE = '127.0.0.2';

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('allowed networks (%s)', (database) => {
  const fixture = useServer({ database, env: { METRICS_TOKEN } });
  let dataSource: DataSource;
  let owner: BuiltUser;
  let client: TestClient;
  let slug: string;

  beforeAll(async () => {
    dataSource = fixture.dataSource;
    owner = await buildUser(dataSource, { organization: `networks-${database}` });
    slug = owner.organizationSlug;
    client = await loggedInClient(fixture, owner);
  });

  const fromHere = () => fixture.client();
  const fromElsewhere = () => fixture.client({ from: ELSEWHERE });
  const auditOf = async (tokenId: string, action: string) =>
    (
      await dataSource.query('SELECT ip, actor_user_id, details FROM audit_events WHERE token_id = ? AND action = ? ORDER BY id', [
        tokenId,
        action,
      ])
    ).map((event: { ip: string; actor_user_id: string | null; details: string }) => ({ ...event, details: JSON.parse(event.details) }));

  describe('on create and change', () => {
    it('are taken on create in canonical form, shown on the token and audited', async () => {
      const { id, token } = await createTokenThroughApi(client, slug, {
        name: 'pinned',
        allowed_ips: ['203.0.113.77/24', '2001:DB8:0:0::/32', '198.51.100.7', '203.0.113.0/24'],
      });
      const canonical = ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7/32'];
      expect(token.allowed_ips).toEqual(canonical);
      expect((await client.get(tokensPath(slug, `/${id}`))).body.token.allowed_ips).toEqual(canonical);
      const [created] = await auditOf(id, 'token.created');
      expect(created.details.allowed_ips).toEqual(canonical);
    });

    it('are empty, meaning anywhere, when not given', async () => {
      const { token } = await createTokenThroughApi(client, slug, { name: 'anywhere' });
      expect(token.allowed_ips).toEqual([]);
    });

    it.each([
      ['a prefix over 32', ['10.0.0.0/8', '10.0.0.0/33'], 'allowed_ips.1', '10.0.0.0/33'],
      ['an IPv6 prefix over 128', ['2001:db8::/129'], 'allowed_ips.0', '2001:db8::/129'],
      ['a host name', ['10.0.0.0/8', '127.0.0.1/32', 'ci.example.com'], 'allowed_ips.2', 'ci.example.com'],
      ['octal parts', ['010.0.0.1/32'], 'allowed_ips.0', '010.0.0.1/32'],
    ])('refuse %s with 400 invalid_request naming the entry, creating nothing', async (_case, allowed, field, entry) => {
      const before = (await client.get(tokensPath(slug))).body.tokens.length;
      const problem = expectProblem(
        await client.post(tokensPath(slug), { name: 'bad', service: 'strings', allowed_ips: allowed }),
        400,
        'invalid_request',
      );
      expect(problem.errors).toEqual([{ field, message: expect.stringContaining(JSON.stringify(entry)) }]);
      expect(problem.detail).toContain(entry);
      expect((await client.get(tokensPath(slug))).body.tokens).toHaveLength(before);
    });

    it('refuse more than 20 networks', async () => {
      const allowed = Array.from({ length: 21 }, (_, index) => `10.${index}.0.0/16`);
      expectProblem(
        await client.post(tokensPath(slug), { name: 'many', service: 'strings', allowed_ips: allowed }),
        400,
        'invalid_request',
      );
    });

    it('are replaced by PATCH, cleared with an empty list, and each change audited', async () => {
      const { id } = await createTokenThroughApi(client, slug, { name: 'changing' });
      const path = tokensPath(slug, `/${id}`);
      const set = await client.patch(path, { allowed_ips: ['192.0.2.0/24'] });
      expect([set.status, set.body.token.allowed_ips]).toEqual([200, ['192.0.2.0/24']]);
      expectProblem(await client.patch(path, { allowed_ips: ['192.0.2.0/24', 'nope'] }), 400, 'invalid_request');
      const cleared = await client.patch(path, { allowed_ips: [] });
      expect(cleared.body.token.allowed_ips).toEqual([]);
      expect((await auditOf(id, 'token.updated')).map((event: { details: unknown }) => event.details)).toEqual([
        { fields: ['allowed_ips'], allowed_ips: { from: [], to: ['192.0.2.0/24'] } },
        { fields: ['allowed_ips'], allowed_ips: { from: ['192.0.2.0/24'], to: [] } },
      ]);
    });
  });

  describe('at the token endpoint', () => {
    it('exchanges by both grants from inside the networks', async () => {
      const { id, secret } = await createTokenThroughApi(client, slug, { name: 'inside', allowed_ips: ['127.0.0.1/32'] });
      expect((await exchangeToken(fromHere(), secret)).status).toBe(200);
      expect((await clientCredentials(fromHere(), id, secret)).status).toBe(200);
    });

    it('answers an exchange from elsewhere exactly as for an unknown token, audits and counts it', async () => {
      const { id, secret } = await createTokenThroughApi(client, slug, { name: 'outside', allowed_ips: ['127.0.0.1/32'] });
      const before =
        sample(await scrapeMetrics(fixture.url, METRICS_TOKEN), 'tollbooth_token_network_refusals_total', '{attempt="token_exchange"}') ??
        0;
      const refused = await exchangeToken(fromElsewhere(), secret);
      const unknown = await exchangeToken(fromElsewhere(), mintPlatformToken());
      expectOAuthError(refused, 400, 'invalid_grant');
      expect(refused.body).toEqual(unknown.body);
      expect(await auditOf(id, 'token.exchange_denied')).toEqual([
        { ip: ELSEWHERE, actor_user_id: null, details: { address: ELSEWHERE, attempt: 'token_exchange', owner: owner.id } },
      ]);
      const after = sample(
        await scrapeMetrics(fixture.url, METRICS_TOKEN),
        'tollbooth_token_network_refusals_total',
        '{attempt="token_exchange"}',
      );
      expect(after).toBe(before + 1);
    });

    it('answers client_credentials from elsewhere exactly as for a wrong secret, and audits it', async () => {
      const { id, secret } = await createTokenThroughApi(client, slug, { name: 'outside cc', allowed_ips: ['127.0.0.1/32'] });
      const refused = await clientCredentials(fromElsewhere(), id, secret);
      const wrong = await clientCredentials(fromElsewhere(), id, mintPlatformToken());
      expectOAuthError(refused, 401, 'invalid_client');
      expect(refused.body).toEqual(wrong.body);
      expect(refused.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
      expect((await auditOf(id, 'token.exchange_denied')).map((event: { details: { attempt: string } }) => event.details.attempt)).toEqual([
        'client_credentials',
      ]);
    });

    it('lets a wider network in, and anywhere once the list is cleared', async () => {
      const { id, secret } = await createTokenThroughApi(client, slug, { name: 'widened', allowed_ips: ['127.0.0.1/32'] });
      expect((await exchangeToken(fromElsewhere(), secret)).status).toBe(400);
      await client.patch(tokensPath(slug, `/${id}`), { allowed_ips: ['127.0.0.0/8'] });
      expect((await exchangeToken(fromElsewhere(), secret)).status).toBe(200);
      await client.patch(tokensPath(slug, `/${id}`), { allowed_ips: [] });
      expect((await clientCredentials(fromElsewhere(), id, secret)).status).toBe(200);
    });

    it('refuses a self-roll from elsewhere with the usual 401, and audits it', async () => {
      const { id, secret } = await createTokenThroughApi(client, slug, { name: 'self outside', allowed_ips: ['127.0.0.1/32'] });
      const refused = await fromElsewhere().request('POST', '/api/tokens/self/roll', { headers: { authorization: `Bearer ${secret}` } });
      expectProblem(refused, 401, 'invalid_token');
      expect((await auditOf(id, 'token.exchange_denied')).map((event: { details: { attempt: string } }) => event.details.attempt)).toEqual([
        'self_roll',
      ]);
      const allowed = await fromHere().request('POST', '/api/tokens/self/roll', { headers: { authorization: `Bearer ${secret}` } });
      expect(allowed.status).toBe(200);
      expect(allowed.body.token.allowed_ips).toEqual(['127.0.0.1/32']);
    });
  });
});
