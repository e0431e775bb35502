import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { bearer, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { addMembership, buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient, TestResponse } from '../support/http.js';
import { exchangedJwt } from '../support/oauth.js';

const ORG = 'audit-api-org';
const OTHER_ORG = 'audit-api-other';
const EVENT_FIELDS = ['action', 'actor', 'created_at', 'details', 'id', 'ip', 'token_id', 'user_agent'];

const auditPath = (slug: string, query = '') => `/api/orgs/${encodeURIComponent(slug)}/audit${query}`;

interface AuditEvent {
  id: number;
  created_at: string;
  action: string;
  actor: { id: string; email: string | null } | null;
  token_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

/** Follows `next_cursor` from the first page to the last; returns the pages. */
async function allPages(client: TestClient, slug: string, query: Record<string, string>): Promise<AuditEvent[][]> {
  const pages: AuditEvent[][] = [];
  let cursor: string | null = null;
  do {
    const response: TestResponse = await client.get(
      auditPath(slug, `?${new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) })}`),
    );
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['events', 'next_cursor']);
    pages.push(response.body.events);
    cursor = response.body.next_cursor;
    expect(pages.length).toBeLessThan(100);
  } while (cursor);
  return pages;
}

/** Writes `count` token.created events in the org through the domain function, 20 per fresh member (the cap). */
async function fillLog(dataSource: DataSource, count: number): Promise<void> {
  for (let made = 0; made < count;) {
    const user = await buildUser(dataSource, { organization: ORG, role: 'member' });
    for (let index = 0; index < 20 && made < count; index += 1, made += 1) await buildToken(dataSource, user, { name: `filler ${made}` });
  }
}

/** The organization's event ids as the database holds them, newest first. */
async function idsInDatabase(dataSource: DataSource, organizationId: string): Promise<number[]> {
  const rows: Array<{ id: number }> = await dataSource.query(
    'SELECT id FROM audit_events WHERE organization_id = ? ORDER BY created_at DESC, id DESC',
    [organizationId],
  );
  return rows.map((row) => Number(row.id));
}

describe('GET /api/orgs/{org}/audit', () => {
  const fixture = useServer();
  let dataSource: DataSource;
  let owner: BuiltUser;
  let admin: BuiltUser;
  let member: BuiltUser;
  let otherOwner: BuiltUser;
  let adminClient: TestClient;
  let memberClient: TestClient;
  let otherClient: TestClient;
  const secrets: string[] = [];

  beforeAll(async () => {
    dataSource = fixture.dataSource;
    owner = await buildUser(dataSource, { organization: ORG, role: 'owner' });
    admin = await buildUser(dataSource, { organization: ORG, role: 'admin' });
    member = await buildUser(dataSource, { organization: ORG, role: 'member' });
    otherOwner = await buildUser(dataSource, { organization: OTHER_ORG, role: 'owner' });
    // The admin is only a member over there: the other org's log is not theirs to read.
    await addMembership(dataSource, admin.id, OTHER_ORG, 'member');
    adminClient = await loggedInClient(fixture, admin);
    memberClient = await loggedInClient(fixture, member);
    otherClient = await loggedInClient(fixture, otherOwner);

    // Events in both organizations, interleaved, through the real API.
    const agent = { headers: { 'user-agent': 'audit-test/1.0' } };
    for (let index = 0; index < 6; index += 1) {
      const mine = await memberClient.post(tokensPath(ORG), { name: `member token ${index}`, service: 'strings' }, agent);
      const theirs = await otherClient.post(tokensPath(OTHER_ORG), { name: `other token ${index}`, service: 'tms' }, agent);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      secrets.push(mine.body.secret, theirs.body.secret);
    }
  });

  async function memberTokenIds(): Promise<string[]> {
    const listed = await memberClient.get(tokensPath(ORG));
    return listed.body.tokens.map((token: { id: string }) => token.id);
  }

  it('gives an admin the organization’s events, newest first, with actor, token, IP, user agent and details', async () => {
    const response = await adminClient.get(auditPath(ORG));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const events: AuditEvent[] = response.body.events;
    expect(events.length).toBeGreaterThanOrEqual(6);
    expect(events.map((event) => event.id)).toEqual((await idsInDatabase(dataSource, admin.organizationId)).slice(0, events.length));
    const created = events.find((event) => event.details.name === 'member token 5')!;
    expect(Object.keys(created).sort()).toEqual(EVENT_FIELDS);
    expect(created).toMatchObject({
      action: 'token.created',
      actor: { id: member.id, email: member.email },
      user_agent: 'audit-test/1.0',
      details: { name: 'member token 5', service: 'strings', role: 'member', scopes: ['strings.read', 'strings.write'] },
    });
    expect(created.ip).toMatch(/127\.0\.0\.1/);
    expect(await memberTokenIds()).toContain(created.token_id);
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const times = events.map((event) => Date.parse(event.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('also answers an owner, and defaults to 50 events a page', async () => {
    await fillLog(dataSource, 50);
    const ownerClient = await loggedInClient(fixture, owner);
    const first = await ownerClient.get(auditPath(ORG));
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(50);
    expect(first.body.next_cursor).toEqual(expect.any(String));
  }, 60_000);

  it('pages across the whole log with no duplicates or gaps, even inside one millisecond and while events are written', async () => {
    const ids = await memberTokenIds();
    await memberClient.patch(tokensPath(ORG, `/${ids[0]}`), { name: 'renamed' });
    await adminClient.post(tokensPath(ORG, `/${ids[1]}/disable`));
    // One bulk delete writes its events with one timestamp: pages must split that tie by id.
    const bulk = await adminClient.post(tokensPath(ORG, '/delete'), { ids: ids.slice(2, 6) });
    expect(bulk.body.deleted).toHaveLength(4);

    const expected = await idsInDatabase(dataSource, admin.organizationId);
    const first = await adminClient.get(auditPath(ORG, '?limit=3'));
    // A newer event between pages must not shift the next page.
    await memberClient.post(tokensPath(ORG), { name: 'written meanwhile', service: 'strings' });
    const rest = await allPages(adminClient, ORG, { limit: '3', cursor: first.body.next_cursor });
    const pages = [first.body.events as AuditEvent[], ...rest];

    const seen = pages.flat().map((event) => event.id);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
    expect(pages.at(-1)!.length).toBeLessThanOrEqual(3);

    // Page sizes at both ends of the range, over the same log.
    expect((await allPages(adminClient, ORG, { limit: '1' })).flat().length).toBe(expected.length + 1);
    const [whole] = await allPages(adminClient, ORG, { limit: '200' });
    expect(whole!.map((event) => event.id)).toEqual(await idsInDatabase(dataSource, admin.organizationId));
  }, 60_000);

  it('filters by action and by token id, alone and together', async () => {
    const [tokenId] = await memberTokenIds();
    const deleted = (await allPages(adminClient, ORG, { action: 'token.deleted', limit: '2' })).flat();
    expect(deleted.length).toBeGreaterThanOrEqual(4);
    expect(new Set(deleted.map((event) => event.action))).toEqual(new Set(['token.deleted']));

    await memberClient.patch(tokensPath(ORG, `/${tokenId}`), { description: 'now described' });
    await adminClient.post(tokensPath(ORG, `/${tokenId}/disable`));
    await memberClient.delete(tokensPath(ORG, `/${tokenId}`));
    const history = (await adminClient.get(auditPath(ORG, `?token_id=${tokenId}`))).body.events as AuditEvent[];
    expect(history.map((event) => event.action)).toEqual(['token.deleted', 'token.disabled', 'token.updated', 'token.created']);
    expect(history.map((event) => event.actor?.id)).toEqual([member.id, admin.id, member.id, member.id]);
    expect(new Set(history.map((event) => event.token_id))).toEqual(new Set([tokenId]));

    const both = (await adminClient.get(auditPath(ORG, `?token_id=${tokenId}&action=token.disabled`))).body.events as AuditEvent[];
    expect(both.map((event) => [event.action, event.token_id])).toEqual([['token.disabled', tokenId]]);
    const none = await adminClient.get(auditPath(ORG, `?token_id=${tokenId}&action=token.enabled`));
    expect(none.body).toEqual({ events: [], next_cursor: null });
    // An empty parameter means no filter, as on the token list.
    expect((await adminClient.get(auditPath(ORG, '?action=&token_id=&limit=&cursor='))).body.events).toHaveLength(50);
  });

  it('never shows another organization’s events, nor session events', async () => {
    const ours = (await allPages(adminClient, ORG, { limit: '200' })).flat();
    const theirs = (await allPages(otherClient, OTHER_ORG, { limit: '200' })).flat();
    expect(theirs.map((event) => event.details.name).sort()).toEqual([0, 1, 2, 3, 4, 5].map((index) => `other token ${index}`));
    const ourIds = new Set(ours.map((event) => event.id));
    expect(theirs.some((event) => ourIds.has(event.id))).toBe(false);
    expect(ours.some((event) => String(event.details.name).startsWith('other token'))).toBe(false);
    expect(ours.some((event) => event.action.startsWith('session.'))).toBe(false);

    // Another org's token id filters to nothing; the admin is a mere member there.
    const foreignTokenId = theirs[0]!.token_id!;
    expect((await adminClient.get(auditPath(ORG, `?token_id=${foreignTokenId}`))).body.events).toEqual([]);
    expectProblem(await adminClient.get(auditPath(OTHER_ORG)), 403, 'insufficient_role');
  });

  it('refuses members and managers with 403 insufficient_role, and outsiders exactly as the token API does', async () => {
    expectProblem(await memberClient.get(auditPath(ORG)), 403, 'insufficient_role');
    const manager = await buildUser(dataSource, { organization: ORG, role: 'manager' });
    expectProblem(await (await loggedInClient(fixture, manager)).get(auditPath(ORG)), 403, 'insufficient_role');

    for (const slug of ['no-such-org', OTHER_ORG]) {
      const client = slug === OTHER_ORG ? memberClient : adminClient;
      const audit = expectProblem(await client.get(auditPath(slug)), 404, 'organization_not_found');
      const tokens = expectProblem(await client.get(tokensPath(slug)), 404, 'organization_not_found');
      expect(audit).toEqual(tokens);
    }
    expectProblem(await fixture.client().get(auditPath(ORG)), 401, 'unauthenticated');
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('12.x').toString('base64url')}`, 'cursor'],
    ['cursor=%00', 'cursor'],
    ['action=token.exploded', 'action'],
    ['action[]=token.created', 'action[]'],
    ['token_id=42', 'token_id'],
    ['before=3', 'before'],
    ['owner=all', 'owner'],
  ])('refuses ?%s with 400 invalid_request naming %s', async (query, field) => {
    const problem = expectProblem(await adminClient.get(auditPath(ORG, `?${query}`)), 400, 'invalid_request');
    expect(problem.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('never contains a secret, and masks one that reached the user agent', async () => {
    const leaky = await memberClient.post(tokensPath(ORG), { name: 'leaky agent', service: 'strings' });
    const [leakedSecret] = secrets;
    await memberClient.patch(
      tokensPath(ORG, `/${leaky.body.token.id}`),
      { name: 'leaky agent 2' },
      { headers: { 'user-agent': `script token=${leakedSecret}` } },
    );
    const response = await adminClient.get(auditPath(ORG, `?limit=200&token_id=${leaky.body.token.id}`));
    expect(response.body.events[0].user_agent).toBe(`script token=${leakedSecret!.slice(0, 10)}…[redacted]`);
    const everything = [
      ...(await allPages(adminClient, ORG, { limit: '200' })),
      ...(await allPages(otherClient, OTHER_ORG, { limit: '200' })),
    ];
    const text = JSON.stringify(everything);
    for (const secret of [...secrets, leaky.body.secret]) expect(text).not.toContain(secret.slice(10));
    expect(text).not.toMatch(/digest|password/i);
  });

  describe('with a bearer JWT for the platform service', () => {
    async function jwtFor(user: BuiltUser, options: { role?: BuiltUser['role']; scope?: string } = {}): Promise<string> {
      const platform = await buildToken(dataSource, user, { service: 'platform', role: options.role });
      return exchangedJwt(fixture.client(), platform.secret, options.scope ? { scope: options.scope } : {});
    }
    const api = () => fixture.client();

    it('reads the log with tokens.read and an admin role', async () => {
      const response = await api().get(auditPath(ORG, '?limit=5'), bearer(await jwtFor(admin, { scope: 'tokens.read' })));
      expect(response.status).toBe(200);
      expect(response.body.events).toHaveLength(5);
    });

    it('needs tokens.read (403 insufficient_scope)', async () => {
      const response = await api().get(auditPath(ORG), bearer(await jwtFor(admin, { scope: 'tokens.write' })));
      expectProblem(response, 403, 'insufficient_scope');
      expect(response.headers.get('www-authenticate')).toContain('scope="tokens.read"');
    });

    it('acts with the token’s role: an admin’s member-role token is refused', async () => {
      expectProblem(await api().get(auditPath(ORG), bearer(await jwtFor(admin, { role: 'member' }))), 403, 'insufficient_role');
    });

    it('stays inside the token’s organization (404 for any other)', async () => {
      const ownersJwt = await jwtFor(otherOwner);
      expect((await api().get(auditPath(OTHER_ORG), bearer(ownersJwt))).status).toBe(200);
      expectProblem(await api().get(auditPath(ORG), bearer(ownersJwt)), 404, 'organization_not_found');
    });
  });
});

describe('the audit API on the embedded SQLite', () => {
  const lite = useServer({ database: 'sqlite' });

  it('pages through events that share a timestamp', async () => {
    const admin = await buildUser(lite.dataSource, { organization: 'lite', role: 'admin' });
    const client = await loggedInClient(lite, admin);
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1)
      ids.push((await client.post(tokensPath('lite'), { name: `lite ${index}`, service: 'strings' })).body.token.id);
    expect((await client.post(tokensPath('lite', '/delete'), { ids })).body.deleted).toHaveLength(5);
    const pages = await allPages(client, 'lite', { limit: '2' });
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 2]);
    expect(pages.flat().map((event) => event.id)).toEqual(await idsInDatabase(lite.dataSource, admin.organizationId));
    expect(new Set(pages.flat().map((event) => event.action))).toEqual(new Set(['token.created', 'token.deleted']));
  });
});
