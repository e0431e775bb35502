import { describe, expect, it } from 'vitest';
import { AuditEventEntity, OutboxMessageEntity, PlatformTokenEntity } from '../../src/db/index.js';
import { mintPlatformToken } from '../../src/tokens/index.js';
import { expectProblem } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser, disableToken, rollOwnToken, withWrongChecksum } from '../support/factories.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { sample, scrapeMetrics } from '../support/metrics.js';
import { exchangeToken, expectOAuthError } from '../support/oauth.js';
import { notBeforeOf } from '../support/revocation.js';

const REPORT = '/api/credentials/revoke';
const METRICS_TOKEN = 'metrics-scraper-secret-credential-reports';
const SOURCE = 'https://github.com/example/repo/blob/main/.env';

function report(client: TestClient, body: unknown) {
  return client.post(REPORT, body);
}

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('POST /api/credentials/revoke (%s)', (database) => {
  const server = useServer({ database, env: { METRICS_TOKEN } });

  const stored = (id: string) => server.dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id });
  const mailTo = (email: string) => server.dataSource.getRepository(OutboxMessageEntity).findBy({ recipient: email });

  it('answers 202 to a mix of a real token, junk and bad checksums, and revokes the real one as leaked', async () => {
    const owner = await buildUser(server.dataSource, { organization: `leak-mix-${database}` });
    const real = await buildToken(server.dataSource, owner);
    const bystander = await buildToken(server.dataSource, owner);

    const response = await report(server.client(), {
      credentials: [real.secret, mintPlatformToken(), withWrongChecksum(bystander.secret), 'not a token at all'],
      source: SOURCE,
    });

    expect(response.status).toBe(202);
    expect(response.body).toEqual({ status: 'accepted' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await stored(real.id)).toMatchObject({ deletedAt: expect.any(Date), deletionReason: 'leaked', deletedByUserId: null });
    expect(await stored(bystander.id), 'a bad checksum revokes nothing').toMatchObject({ deletedAt: null });
    expectOAuthError(await exchangeToken(server.client(), real.secret), 400, 'invalid_grant');
  });

  it('answers exactly the same to a report of strings that match no token', async () => {
    const real = await buildToken(server.dataSource, await buildUser(server.dataSource, { organization: `leak-same-${database}` }));
    const answers = await Promise.all([
      report(server.client(), { credentials: [mintPlatformToken()] }),
      report(server.client(), { credentials: [withWrongChecksum(real.secret)] }),
      report(server.client(), { credentials: [real.secret] }),
    ]);
    for (const answer of answers) {
      expect({ status: answer.status, text: answer.text, type: answer.headers.get('content-type') }).toEqual({
        status: answers[2]!.status,
        text: answers[2]!.text,
        type: answers[2]!.headers.get('content-type'),
      });
    }
  });

  it('audits the revocation with the reporter’s address, the source and the reason', async () => {
    const owner = await buildUser(server.dataSource, { organization: `leak-audit-${database}` });
    const real = await buildToken(server.dataSource, owner);
    await report(server.client(), { credentials: [real.secret], source: SOURCE });

    const event = await server.dataSource.getRepository(AuditEventEntity).findOneByOrFail({ tokenId: real.id, action: 'token.deleted' });
    expect(event).toMatchObject({ actorUserId: null, organizationId: owner.organizationId, ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(JSON.parse(event.details)).toMatchObject({ reason: 'leaked', source: SOURCE, owner: owner.id });
    expect(event.details).not.toContain(real.secret);
  });

  it('lists the revoked token in the revocation feed', async () => {
    const real = await buildToken(server.dataSource, await buildUser(server.dataSource, { organization: `leak-feed-${database}` }));
    await report(server.client(), { credentials: [real.secret] });
    expect(await eventually(() => notBeforeOf(server.client(), `${server.url}/oauth`, real.id))).toEqual(expect.any(Number));
  });

  it('mails the owner and the organization’s admins and owners, not its other members', async () => {
    const organization = `leak-mail-${database}`;
    const owner = await buildUser(server.dataSource, { organization });
    const admin = await buildUser(server.dataSource, { organization, role: 'admin' });
    const orgOwner = await buildUser(server.dataSource, { organization, role: 'owner' });
    const member = await buildUser(server.dataSource, { organization });
    const real = await buildToken(server.dataSource, owner, { name: 'deploy key' });
    await report(server.client(), { credentials: [real.secret], source: SOURCE });

    for (const person of [owner, admin, orgOwner]) {
      const [mail] = await eventually(async () => {
        const mails = await mailTo(person.email);
        return mails.length > 0 ? mails : undefined;
      });
      expect(mail!.subject).toBe('Tollbooth token "deploy key" was reported leaked and has been revoked');
      expect(mail!.body).toContain(SOURCE);
      expect(mail!.body).toContain(real.secret.slice(0, 10));
      expect(mail!.body).not.toContain(real.secret);
    }
    expect(await mailTo(member.email)).toEqual([]);
  });

  it('revokes a disabled token too, and leaves an already deleted one as it was', async () => {
    const owner = await buildUser(server.dataSource, { organization: `leak-states-${database}` });
    const disabled = await buildToken(server.dataSource, owner);
    await disableToken(server.dataSource, owner, disabled.id);
    await report(server.client(), { credentials: [disabled.secret] });
    const first = await stored(disabled.id);
    expect(first).toMatchObject({ deletionReason: 'leaked' });

    await report(server.client(), { credentials: [disabled.secret] });
    expect((await stored(disabled.id)).deletedAt).toEqual(first.deletedAt);
  });

  it('revokes a rolled token reported by its previous secret while the grace period lasts', async () => {
    const owner = await buildUser(server.dataSource, { organization: `leak-previous-${database}` });
    const rolled = await buildToken(server.dataSource, owner, { name: 'rolled key' });
    const current = await rollOwnToken(server.dataSource, owner, rolled.id, { graceSeconds: 3600 });

    expect((await report(server.client(), { credentials: [rolled.secret], source: SOURCE })).status).toBe(202);

    expect(await stored(rolled.id)).toMatchObject({ deletedAt: expect.any(Date), deletionReason: 'leaked' });
    expectOAuthError(await exchangeToken(server.client(), current), 400, 'invalid_grant');
    expect(await eventually(() => notBeforeOf(server.client(), `${server.url}/oauth`, rolled.id))).toEqual(expect.any(Number));
    const event = await server.dataSource.getRepository(AuditEventEntity).findOneByOrFail({ tokenId: rolled.id, action: 'token.deleted' });
    expect(JSON.parse(event.details)).toMatchObject({ reason: 'leaked', secret: 'previous', source: SOURCE });
    const [mail] = await eventually(async () => {
      const mails = await mailTo(owner.email);
      return mails.length > 0 ? mails : undefined;
    });
    expect(mail!.body, 'the mail names the secret that leaked').toContain(rolled.secret.slice(0, 10));
    expect(mail!.body).not.toContain(current.slice(0, 10));
  });

  it('leaves a rolled token alone when its previous secret is reported after the grace period', async () => {
    const owner = await buildUser(server.dataSource, { organization: `leak-stale-${database}` });
    const rolled = await buildToken(server.dataSource, owner);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const current = await rollOwnToken(server.dataSource, owner, rolled.id, { graceSeconds: 3600, now: twoHoursAgo });

    expect((await report(server.client(), { credentials: [rolled.secret] })).status).toBe(202);

    expect(await stored(rolled.id)).toMatchObject({ deletedAt: null });
    expect((await exchangeToken(server.client(), current)).status).toBe(200);
  });

  it('counts reports and revoked tokens in the metrics', async () => {
    const before = await scrapeMetrics(server.url, METRICS_TOKEN);
    const real = await buildToken(server.dataSource, await buildUser(server.dataSource, { organization: `leak-metrics-${database}` }));
    await report(server.client(), { credentials: [real.secret, mintPlatformToken()] });
    const after = await scrapeMetrics(server.url, METRICS_TOKEN);
    expect(sample(after, 'tollbooth_credential_reports_total')! - sample(before, 'tollbooth_credential_reports_total')!).toBe(1);
    expect(sample(after, 'tollbooth_leaked_tokens_revoked_total')! - sample(before, 'tollbooth_leaked_tokens_revoked_total')!).toBe(1);
  });

  it.each<[string, unknown]>([
    ['no credentials', { credentials: [] }],
    ['over 1000 credentials', { credentials: Array.from({ length: 1001 }, () => mintPlatformToken()) }],
    ['credentials that are not strings', { credentials: [42] }],
    ['a source that is not an http(s) URL', { credentials: [mintPlatformToken()], source: 'javascript:alert(1)' }],
    ['an unknown field', { credentials: [mintPlatformToken()], tokens: [] }],
  ])('refuses %s with 400 invalid_request', async (_case, body) => {
    expectProblem(await report(server.client(), body), 400, 'invalid_request');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await server.client().request('POST', REPORT, { raw: 'credentials=tbp_x', headers: { 'content-type': 'text/plain' } });
    expectProblem(response, 415, 'unsupported_media_type');
  });
});

describe('POST /api/credentials/revoke with the database unreachable', () => {
  const server = useServer({ database: 'proxied' });

  it('still answers 202 to strings with bad checksums: they never reach the database', async () => {
    const secret = mintPlatformToken();
    server.proxy.cut();
    try {
      const response = await report(server.client(), {
        credentials: [withWrongChecksum(secret), 'tbp_short', secret.replace('tbp_', 'ghp_')],
      });
      expect(response.status).toBe(202);
    } finally {
      server.proxy.restore();
    }
  });
});

describe('POST /api/credentials/revoke rate limit', () => {
  const server = useServer();

  it('refuses the 31st report in a minute from one address with 429 and Retry-After', async () => {
    const client = server.client();
    for (let count = 0; count < 30; count += 1) {
      expect((await report(client, { credentials: [mintPlatformToken()] })).status).toBe(202);
    }
    const refused = await report(client, { credentials: [mintPlatformToken()] });
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
