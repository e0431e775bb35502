import type { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintPlatformToken, rollToken } from '../../src/tokens/index.js';
import { bearer, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import {
  buildExpiredToken,
  buildToken,
  buildUser,
  deleteOwnToken,
  disableToken,
  withWrongChecksum,
  type BuiltToken,
  type BuiltUser,
} from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import type { TestClient, TestResponse } from '../support/http.js';
import { clientCredentials, exchangedJwt, exchangeToken, expectOAuthError } from '../support/oauth.js';

const HOUR_MS = 60 * 60 * 1000;
const SELF_ROLL = '/api/tokens/self/roll';
/** Well formed, checksum and all, but no token's. */
const UNKNOWN_SECRET = mintPlatformToken();

/** Exchange answers by secret: 200 when it works, the OAuth error code otherwise. */
async function exchangeOutcome(client: TestClient, secret: string): Promise<string> {
  const response = await exchangeToken(client, secret);
  return response.status === 200 ? 'works' : response.body.error;
}

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('rolling a token (%s)', (database) => {
  const fixture = useServer({ database });
  let dataSource: DataSource;
  let organization = 0;

  beforeAll(() => {
    dataSource = fixture.dataSource;
  });

  /** A member of an organization of their own, logged in, with one token. */
  async function ownerWithToken(role: BuiltUser['role'] = 'member'): Promise<{ owner: BuiltUser; client: TestClient; token: BuiltToken }> {
    organization += 1;
    const owner = await buildUser(dataSource, { organization: `roll-${database}-${organization}`, role });
    const token = await buildToken(dataSource, owner, { service: 'tms', description: 'nightly deploys' });
    return { owner, client: await loggedInClient(fixture, owner), token };
  }

  const rollPath = (owner: BuiltUser, id: string) => tokensPath(owner.organizationSlug, `/${id}/roll`);
  const asOwner = (owner: BuiltUser) => ({ actorUserId: owner.id, ip: null, userAgent: null });
  const actorOf = (owner: BuiltUser) => ({ userId: owner.id, organizationId: owner.organizationId, role: owner.role });

  describe('by its owner', () => {
    it('keeps the id and every attribute, and shows a new secret once', async () => {
      const { owner, client, token } = await ownerWithToken();
      const before = (await client.get(tokensPath(owner.organizationSlug, `/${token.id}`))).body.token;
      const response = await client.post(rollPath(owner, token.id), { grace_seconds: 600 });
      expect(response.status, response.text).toBe(200);
      const { token: rolled, secret } = response.body;
      expect(secret).toMatch(/^tbp_[0-9A-Za-z]{38}$/);
      expect(secret).not.toBe(token.secret);
      const unchanged = ['id', 'name', 'description', 'service', 'role', 'scopes', 'status', 'created_at', 'expires_at', 'owner'];
      for (const field of unchanged) expect(rolled[field], field).toEqual(before[field]);
      expect(rolled.prefix).toBe(secret.slice(0, 10));
      expect(Date.parse(rolled.rolled_at)).toBeGreaterThan(Date.now() - 60_000);
      expect(rolled.previous_secret).toEqual({
        prefix: token.secret.slice(0, 10),
        expires_at: new Date(Date.parse(rolled.rolled_at) + 600_000).toISOString(),
      });
      // The secret is never shown again.
      const read = await client.get(tokensPath(owner.organizationSlug, `/${token.id}`));
      expect(read.text).not.toContain(secret);
    });

    it('lets the previous secret exchange by both grants inside the grace period, beside the new one', async () => {
      const { owner, client, token } = await ownerWithToken();
      const { secret } = (await client.post(rollPath(owner, token.id))).body;
      const anonymous = fixture.client();
      expect(await exchangeOutcome(anonymous, token.secret)).toBe('works');
      expect(await exchangeOutcome(anonymous, secret)).toBe('works');
      expect((await clientCredentials(anonymous, token.id, token.secret)).status).toBe(200);
      expect((await clientCredentials(anonymous, token.id, secret)).status).toBe(200);
    });

    it('gives a grace period of one hour by default', async () => {
      const { owner, client, token } = await ownerWithToken();
      const { token: rolled } = (await client.post(rollPath(owner, token.id))).body;
      expect(Date.parse(rolled.previous_secret.expires_at) - Date.parse(rolled.rolled_at)).toBe(HOUR_MS);
    });

    it('refuses the previous secret with invalid_grant once the grace period has ended', async () => {
      const { owner, token } = await ownerWithToken();
      // Rolled two hours ago with one hour of grace: the clock is frozen at the roll, not waited for.
      const { secret } = await rollToken(dataSource, actorOf(owner), token.id, {
        graceSeconds: 3600,
        audit: asOwner(owner),
        now: new Date(Date.now() - 2 * HOUR_MS),
      });
      const anonymous = fixture.client();
      expectOAuthError(await exchangeToken(anonymous, token.secret), 400, 'invalid_grant');
      expectOAuthError(await clientCredentials(anonymous, token.id, token.secret), 401, 'invalid_client');
      expect(await exchangeOutcome(anonymous, secret)).toBe('works');
    });

    it('ends the first previous secret at once when the token is rolled again inside the grace period', async () => {
      const { owner, client, token } = await ownerWithToken();
      const second = (await client.post(rollPath(owner, token.id))).body.secret;
      const third = await client.post(rollPath(owner, token.id), { grace_seconds: 60 });
      const anonymous = fixture.client();
      expect({
        first: await exchangeOutcome(anonymous, token.secret),
        second: await exchangeOutcome(anonymous, second),
        third: await exchangeOutcome(anonymous, third.body.secret),
      }).toEqual({ first: 'invalid_grant', second: 'works', third: 'works' });
      expect(third.body.token.previous_secret.prefix).toBe(second.slice(0, 10));
    });

    it('ends the old secret with the roll when grace_seconds is 0', async () => {
      const { owner, client, token } = await ownerWithToken();
      const response = await client.post(rollPath(owner, token.id), { grace_seconds: 0 });
      expect(response.body.token.previous_secret).toBeNull();
      const anonymous = fixture.client();
      expect(await exchangeOutcome(anonymous, token.secret)).toBe('invalid_grant');
      expect(await exchangeOutcome(anonymous, response.body.secret)).toBe('works');
    });

    it.each<[string, unknown]>([
      ['a negative grace', { grace_seconds: -1 }],
      ['more than a day', { grace_seconds: 86_401 }],
      ['a fraction of a second', { grace_seconds: 1.5 }],
      ['a string', { grace_seconds: '60' }],
      ['an unknown field', { grace: 60 }],
    ])('refuses %s with 400 invalid_request naming the field', async (_case, body) => {
      const { owner, client, token } = await ownerWithToken();
      const problem = expectProblem(await client.post(rollPath(owner, token.id), body), 400, 'invalid_request');
      expect(problem.detail).toMatch(/^grace/);
      expect(await exchangeOutcome(fixture.client(), token.secret)).toBe('works');
    });

    it('accepts a whole day of grace', async () => {
      const { owner, client, token } = await ownerWithToken();
      expect((await client.post(rollPath(owner, token.id), { grace_seconds: 86_400 })).status).toBe(200);
    });

    it("refuses an admin who can see the token (403 not_token_owner), and another member can't see it (404)", async () => {
      const { owner, token } = await ownerWithToken();
      const admin = await buildUser(dataSource, { organization: owner.organizationSlug, role: 'admin' });
      const colleague = await buildUser(dataSource, { organization: owner.organizationSlug, role: 'member' });
      expectProblem(await (await loggedInClient(fixture, admin)).post(rollPath(owner, token.id)), 403, 'not_token_owner');
      expectProblem(await (await loggedInClient(fixture, colleague)).post(rollPath(owner, token.id)), 404, 'token_not_found');
      expect(await exchangeOutcome(fixture.client(), token.secret)).toBe('works');
    });

    it('refuses an expired token with 409 token_expired', async () => {
      const { owner, client } = await ownerWithToken();
      const expired = await buildExpiredToken(dataSource, owner);
      expectProblem(await client.post(rollPath(owner, expired.id)), 409, 'token_expired');
    });

    it('rolls a disabled token, which stays disabled', async () => {
      const { owner, client, token } = await ownerWithToken();
      await disableToken(dataSource, owner, token.id);
      const response = await client.post(rollPath(owner, token.id));
      expect([response.status, response.body.token.status]).toEqual([200, 'disabled']);
      expect(await exchangeOutcome(fixture.client(), response.body.secret)).toBe('invalid_grant');
    });

    it('is audited as token.rolled with the grace period', async () => {
      const { owner, client, token } = await ownerWithToken();
      await client.post(rollPath(owner, token.id), { grace_seconds: 120 }, { headers: { 'user-agent': 'roll-test/1' } });
      const [event] = await dataSource.query(
        "SELECT actor_user_id, organization_id, user_agent, details FROM audit_events WHERE action = 'token.rolled' AND token_id = ?",
        [token.id],
      );
      expect(event).toMatchObject({ actor_user_id: owner.id, organization_id: owner.organizationId, user_agent: 'roll-test/1' });
      const details = JSON.parse(event.details);
      expect(details).toMatchObject({ grace_seconds: 120, previous_valid_until: expect.any(String) });
      expect(event.details).not.toMatch(/tbp_/);
    });
  });

  describe('by the token itself', () => {
    const selfRoll = (client: TestClient, credential: string | undefined, body?: unknown): Promise<TestResponse> =>
      client.request('POST', SELF_ROLL, {
        ...(body === undefined ? {} : { json: body }),
        headers: credential === undefined ? {} : { authorization: credential },
      });

    it('rolls the token whose current secret authenticates the call, with no body at all', async () => {
      const { owner, token } = await ownerWithToken();
      const response = await selfRoll(fixture.client(), `Bearer ${token.secret}`);
      expect(response.status, response.text).toBe(200);
      expect(response.body.token).toMatchObject({ id: token.id, owner: { id: owner.id }, prefix: response.body.secret.slice(0, 10) });
      const anonymous = fixture.client();
      expect(await exchangeOutcome(anonymous, token.secret)).toBe('works');
      expect(await exchangeOutcome(anonymous, response.body.secret)).toBe('works');
      const [event] = await dataSource.query(
        "SELECT actor_user_id, details FROM audit_events WHERE action = 'token.rolled' AND token_id = ?",
        [token.id],
      );
      expect(event.actor_user_id).toBe(owner.id);
      expect(JSON.parse(event.details)).toMatchObject({ grace_seconds: 3600, via: 'token', credential_token_id: token.id });
    });

    it('takes grace_seconds like the owner’s roll', async () => {
      const { token } = await ownerWithToken();
      const response = await selfRoll(fixture.client(), `Bearer ${token.secret}`, { grace_seconds: 0 });
      expect(response.status).toBe(200);
      expect(await exchangeOutcome(fixture.client(), token.secret)).toBe('invalid_grant');
      expectProblem(await selfRoll(fixture.client(), `Bearer ${response.body.secret}`, { grace_seconds: 90_000 }), 400, 'invalid_request');
    });

    it.each<[string, (token: BuiltToken, context: { owner: BuiltUser }) => Promise<string | undefined>]>([
      ['no Authorization header', async () => undefined],
      ['a JWT exchanged for the token', async (token) => `Bearer ${await exchangedJwt(fixture.client(), token.secret)}`],
      ['HTTP Basic with the token', async (token) => `Basic ${Buffer.from(`${token.id}:${token.secret}`).toString('base64')}`],
      ['a malformed token', async () => 'Bearer tbp_short'],
      ['a wrong checksum', async (token) => `Bearer ${withWrongChecksum(token.secret)}`],
      ['an unknown token', async () => `Bearer ${UNKNOWN_SECRET}`],
      [
        'a disabled token',
        async (token, { owner }) => {
          await disableToken(dataSource, owner, token.id);
          return `Bearer ${token.secret}`;
        },
      ],
      [
        'a deleted token',
        async (token, { owner }) => {
          await deleteOwnToken(dataSource, owner, token.id);
          return `Bearer ${token.secret}`;
        },
      ],
      [
        'the previous secret, still inside its grace period',
        async (token, { owner }) => {
          await rollToken(dataSource, actorOf(owner), token.id, { audit: asOwner(owner) });
          return `Bearer ${token.secret}`;
        },
      ],
    ])('answers 401 invalid_token for %s', async (_case, credentialFor) => {
      const { owner, token } = await ownerWithToken();
      const credential = await credentialFor(token, { owner });
      const response = await selfRoll(fixture.client(), credential, {});
      expectProblem(response, 401, 'invalid_token');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="tollbooth", error="invalid_token"/);
      const rolls = await dataSource.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'token.rolled' AND token_id = ?", [
        token.id,
      ]);
      const previousRoll = _case.startsWith('the previous secret') ? 1 : 0;
      expect(Number(rolls[0].n)).toBe(previousRoll);
    });

    it('answers a session cookie alone with 401: only the token itself may self-roll', async () => {
      const { client } = await ownerWithToken();
      expectProblem(await client.post(SELF_ROLL, {}), 401, 'invalid_token');
    });

    it('lets one of two rolls racing with the same secret win', async () => {
      const { token } = await ownerWithToken();
      const answers = await Promise.all([1, 2, 3].map(() => selfRoll(fixture.client(), `Bearer ${token.secret}`)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401, 401]);
    });
  });
});

describe('self-roll limits', () => {
  const fixture = useServer();

  it('blocks an address after too many failed credentials, like the token endpoint (429 with Retry-After)', async () => {
    const owner = await buildUser(fixture.dataSource, { organization: 'roll-limits' });
    const token = await buildToken(fixture.dataSource, owner);
    const client = fixture.client();
    let response: TestResponse | undefined;
    for (let attempt = 0; attempt < 150 && response?.status !== 429; attempt += 1) {
      response = await client.request('POST', SELF_ROLL, bearer(UNKNOWN_SECRET));
    }
    expectProblem(response!, 429, 'rate_limited');
    expect(Number(response!.headers.get('retry-after'))).toBeGreaterThan(0);
    // The block holds for the right secret too, and for the token endpoint from that address.
    expect((await client.request('POST', SELF_ROLL, bearer(token.secret))).status).toBe(429);
    expect((await exchangeToken(client, token.secret)).status).toBe(429);
  }, 60_000);
});
