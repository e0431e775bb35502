import { describe, expect, it } from 'vitest';
import { loggedInClient, tokensPath } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser, deleteOwnToken, disableToken } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import { TestClient } from '../support/http.js';
import { exchangedJwt } from '../support/oauth.js';
import { issuedAt, notBeforeOf, readRevocationFeed } from '../support/revocation.js';

const WINDOW_SECONDS = 4 * 3600 + 300;

describe('the revocation feed', () => {
  const server = useServer();
  const issuer = () => `${server.url}/oauth`;

  it('is a JWS signed with a key of the JWKS, typed revocations+jwt, naming the issuer and its 4 h + skew window', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { payload, cacheControl, etag } = await readRevocationFeed(server.client(), issuer());
    expect(payload).toMatchObject({ iss: issuer(), window_seconds: WINDOW_SECONDS, revocations: expect.any(Array) });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(cacheControl).toBe('public, max-age=5');
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
  });

  it('lists a deleted token with a not-before after the iat of the JWTs it issued', async () => {
    const owner = await buildUser(server.dataSource, { organization: 'feed-delete' });
    const token = await buildToken(server.dataSource, owner);
    const jwt = await exchangedJwt(server.client(), token.secret);
    const deletedAt = Date.now();
    await deleteOwnToken(server.dataSource, owner, token.id);

    const notBefore = await eventually(() => notBeforeOf(server.client(), issuer(), token.id), { what: 'the feed entry' });
    expect(notBefore).toBeGreaterThanOrEqual(Math.ceil(deletedAt / 1000));
    expect(notBefore).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(issuedAt(jwt)).toBeLessThan(notBefore);
  });

  it('lists every token of a bulk delete', async () => {
    const owner = await buildUser(server.dataSource, { organization: 'feed-bulk' });
    const tokens = [await buildToken(server.dataSource, owner), await buildToken(server.dataSource, owner)];
    const client = await loggedInClient(server, owner);
    const deleted = await client.post(tokensPath(owner.organizationSlug, '/delete'), { ids: tokens.map((token) => token.id) });
    expect(deleted.status).toBe(200);

    const listed = await eventually(
      async () => {
        const { payload } = await readRevocationFeed(server.client(), issuer());
        const ids = payload.revocations.map((entry) => entry.token_id);
        return tokens.every((token) => ids.includes(token.id)) ? ids : undefined;
      },
      { what: 'both entries' },
    );
    expect(listed).toEqual(expect.arrayContaining(tokens.map((token) => token.id)));
  });

  it('lists a disabled token, keeps it listed when re-enabled, and a JWT minted after that is not covered', async () => {
    const owner = await buildUser(server.dataSource, { organization: 'feed-disable' });
    const token = await buildToken(server.dataSource, owner);
    const earlier = await exchangedJwt(server.client(), token.secret);
    await disableToken(server.dataSource, owner, token.id);
    const notBefore = await eventually(() => notBeforeOf(server.client(), issuer(), token.id), { what: 'the feed entry' });
    expect(issuedAt(earlier)).toBeLessThan(notBefore);

    const client = await loggedInClient(server, owner);
    expect((await client.post(tokensPath(owner.organizationSlug, `/${token.id}/enable`))).status).toBe(200);
    // iat has whole seconds: wait for the second the not-before names.
    await eventually(async () => (Date.now() >= notBefore * 1000 ? true : undefined), { what: 'the not-before second' });
    const later = await exchangedJwt(server.client(), token.secret);

    expect(issuedAt(later)).toBeGreaterThanOrEqual(notBefore);
    expect(await notBeforeOf(server.client(), issuer(), token.id)).toBe(notBefore);
  });

  it('answers 304 without a body to a poll whose If-None-Match still matches, and 200 with a new ETag once it changes', async () => {
    const owner = await buildUser(server.dataSource, { organization: 'feed-etag' });
    const client = server.client();
    const { etag } = await readRevocationFeed(client, issuer());

    const unchanged = await client.get('/oauth/revocations', { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect(unchanged.headers.get('cache-control')).toBe('public, max-age=5');

    const token = await buildToken(server.dataSource, owner);
    await deleteOwnToken(server.dataSource, owner, token.id);
    const changed = await eventually(
      async () => {
        const response = await client.get('/oauth/revocations', { headers: { 'if-none-match': etag } });
        return response.status === 200 ? response : undefined;
      },
      { what: 'a changed feed' },
    );
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('is the same on a second instance of the same database', async () => {
    const owner = await buildUser(server.dataSource, { organization: 'feed-instances' });
    const token = await buildToken(server.dataSource, owner);
    await deleteOwnToken(server.dataSource, owner, token.id);
    // Instances behind one address share its PUBLIC_URL, so both name the same issuer.
    const second = await server.startInstance({ env: { PUBLIC_URL: server.url } });

    const both = await eventually(
      async () => {
        const first = await readRevocationFeed(server.client(), issuer());
        const other = await readRevocationFeed(new TestClient(second.url), issuer());
        const listed = first.payload.revocations.some((entry) => entry.token_id === token.id);
        return listed && first.etag === other.etag ? { first, other } : undefined;
      },
      { what: 'the same feed on both instances' },
    );
    expect(both.other.payload.revocations).toEqual(both.first.payload.revocations);
  });

  it('answers 405 to anything but GET', async () => {
    const response = await server.client().request('POST', '/oauth/revocations', { form: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});

describe.each<FixtureDatabase>(['sqlite'])('the revocation feed on %s', (database) => {
  const server = useServer({ database });

  it('lists a deleted token', async () => {
    const owner = await buildUser(server.dataSource, { organization: 'feed-lite' });
    const token = await buildToken(server.dataSource, owner);
    await deleteOwnToken(server.dataSource, owner, token.id);
    expect(await eventually(() => notBeforeOf(server.client(), `${server.url}/oauth`, token.id))).toEqual(expect.any(Number));
  });
});
