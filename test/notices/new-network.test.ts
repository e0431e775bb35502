import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformTokenEntity } from '../../src/db/index.js';
import { saveNotificationPreferences } from '../../src/notices/index.js';
import { buildToken, buildUser, type BuiltToken, type BuiltUser } from '../support/factories.js';
import { eventually } from '../support/eventually.js';
import { useServer } from '../support/fixture.js';
import { TestClient } from '../support/http.js';
import { freePort } from '../support/server.js';
import { clientCredentials, exchangeToken } from '../support/oauth.js';

/** The SMTP server the instances deliver to, on a port chosen before they start. */
const smtpPort = await freePort();

interface ReceivedMail {
  to: string[];
  data: string;
}

describe('new-network alerts', () => {
  const fixture = useServer({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        // The body is quoted-printable: join its soft line breaks (RFC 2045 §6.7) so a line reads whole.
        received.push({ to: session.envelope.rcptTo.map((recipient) => recipient.address), data: data.replace(/=\r\n/g, '') });
        callback();
      });
    },
  });

  beforeAll(() => new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  const seenNetworks = async (token: BuiltToken) =>
    (await fixture.dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id: token.id })).seenNetworks;
  const mailsAbout = (token: BuiltToken) => received.filter((mail) => mail.data.includes(token.secret.slice(0, 10)));
  /** An exchange from `address` (any 127.0.0.0/8 address reaches the server on 127.0.0.1), asserted to succeed. */
  const exchangeFrom = async (token: BuiltToken, address: string) =>
    expect((await exchangeToken(fixture.client({ from: address }), token.secret)).status).toBe(200);
  const seen = (token: BuiltToken, networks: string) =>
    eventually(async () => ((await seenNetworks(token)) === networks ? true : undefined), { what: `seen networks "${networks}"` });

  let owner: BuiltUser;
  beforeAll(async () => {
    owner = await buildUser(fixture.dataSource, { organization: 'alerted-org' });
  });

  it('stays quiet for the first network, then mails the owner once for each new /24', async () => {
    const token = await buildToken(fixture.dataSource, owner, { name: 'deploy bot' });
    await exchangeFrom(token, '127.0.0.1');
    await seen(token, '127.0.0');
    await exchangeFrom(token, '127.0.0.2');
    await exchangeFrom(token, '127.0.0.77');
    await exchangeFrom(token, '127.0.1.5');
    await seen(token, '127.0.0 127.0.1');
    const [mail] = await eventually(async () => (mailsAbout(token).length > 0 ? mailsAbout(token) : undefined), { what: 'the alert' });
    expect(mail!.to).toEqual([owner.email]);
    expect(mail!.data).toContain('Address: 127.0.1.5');
    expect(mail!.data).not.toContain(token.secret);
    // The outbox keeps what was sent, as written (recorded once the SMTP server has it).
    const kept = await eventually(
      async () =>
        (
          await fixture.dataSource.query('SELECT recipient, subject, body FROM outbox WHERE body LIKE ?', [
            `%${token.secret.slice(0, 10)}%`,
          ])
        )[0],
      { what: 'the alert in the outbox' },
    );
    expect(kept.recipient).toBe(owner.email);
    expect(kept.subject).toBe('Your Tollbooth token "deploy bot" was used from a new network');
    expect(kept.body).toContain('Address: 127.0.1.5');
    expect(kept.body).toContain('Network: 127.0.1.0/24');
    expect(kept.body).toMatch(/Time: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(kept.body).toContain(`${fixture.url}/settings/profile/access-tokens`);

    // Repeated uses from known networks change nothing and send nothing.
    for (const address of ['127.0.0.1', '127.0.1.9', '127.0.0.3', '127.0.1.5']) await exchangeFrom(token, address);
    await exchangeFrom(token, '127.0.2.1');
    await seen(token, '127.0.0 127.0.1 127.0.2');
    await eventually(async () => (mailsAbout(token).length === 2 ? true : undefined), { what: 'the second alert' });
    expect(mailsAbout(token).map((alert) => /Address: (\S+)/.exec(alert.data)?.[1])).toEqual(['127.0.1.5', '127.0.2.1']);
  });

  it('alerts for client_credentials too', async () => {
    const token = await buildToken(fixture.dataSource, owner, { name: 'cc bot' });
    expect((await clientCredentials(fixture.client(), token.id, token.secret)).status).toBe(200);
    await seen(token, '127.0.0');
    expect((await clientCredentials(fixture.client({ from: '127.0.5.1' }), token.id, token.secret)).status).toBe(200);
    await eventually(async () => (mailsAbout(token).length === 1 ? true : undefined), { what: 'the alert' });
    expect(mailsAbout(token)[0]!.data).toContain('Address: 127.0.5.1');
  });

  it('mails once when two instances see the same new network at the same moment', async () => {
    const second = await fixture.startInstance({ env: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
    const token = await buildToken(fixture.dataSource, owner, { name: 'raced bot' });
    await exchangeFrom(token, '127.0.0.1');
    await seen(token, '127.0.0');
    const clients = [fixture.url, second.url].flatMap((url) =>
      [1, 2, 3].map(() => exchangeToken(new TestClient(url, { from: '127.0.9.1' }), token.secret)),
    );
    expect((await Promise.all(clients)).map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await seen(token, '127.0.0 127.0.9');
    await eventually(async () => (mailsAbout(token).length === 1 ? true : undefined), { what: 'one alert' });
    // A later use from either instance adds nothing.
    await exchangeFrom(token, '127.0.9.2');
    expect(await seenNetworks(token)).toBe('127.0.0 127.0.9');
    expect(mailsAbout(token)).toHaveLength(1);
  });

  it('mails nobody whose owner turned new-network alerts off, and does not send the skipped alert later', async () => {
    const quiet = await buildUser(fixture.dataSource, { organization: 'alerted-org' });
    const noRequest = { actorUserId: quiet.id, ip: null, userAgent: null };
    await saveNotificationPreferences(fixture.dataSource, quiet.id, { expiryNotices: true, newNetworkAlerts: false }, noRequest);
    const token = await buildToken(fixture.dataSource, quiet, { name: 'quiet bot' });
    await exchangeFrom(token, '127.0.0.1');
    await seen(token, '127.0.0');
    await exchangeFrom(token, '127.0.3.1');
    await seen(token, '127.0.0 127.0.3');
    // Turned back on: only a network new from now on is mailed.
    await saveNotificationPreferences(fixture.dataSource, quiet.id, { expiryNotices: true, newNetworkAlerts: true }, noRequest);
    await exchangeFrom(token, '127.0.3.2');
    await exchangeFrom(token, '127.0.4.1');
    await seen(token, '127.0.0 127.0.3 127.0.4');
    await eventually(async () => (mailsAbout(token).length > 0 ? true : undefined), { what: 'the alert after turning alerts on' });
    expect(mailsAbout(token).map((alert) => /Address: (\S+)/.exec(alert.data)?.[1])).toEqual(['127.0.4.1']);
  });

  it('keeps the alert in the outbox too, with no secret in it', async () => {
    const rows = await fixture.dataSource.query("SELECT recipient, subject, body, sent_at FROM outbox WHERE subject LIKE '%new network'");
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((row: { sent_at: unknown; body: string }) => row.sent_at !== null && !/tbp_[0-9A-Za-z]{38}/.test(row.body))).toBe(
      true,
    );
  });
});
