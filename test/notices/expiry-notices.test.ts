import { SMTPServer } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessageEntity } from '../../src/db/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createMailer, runExpiryNotices } from '../../src/notices/index.js';
import type { Runtime } from '../../src/runtime.js';
import { buildToken, buildUser, deleteOwnToken, type BuiltUser } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';
import { freePort } from '../support/server.js';

const DAY = 24 * 60 * 60 * 1000;
const logger = createLogger('silent');

/** A token that expires at `expiresAt` (created 730 days before), through the real domain function. */
async function tokenExpiringAt(dataSource: DataSource, owner: BuiltUser, name: string, expiresAt: Date): Promise<string> {
  return (await buildToken(dataSource, owner, { name, now: new Date(expiresAt.getTime() - 730 * DAY) })).id;
}

describe('expiry notices', () => {
  const database = useDatabase({ migrate: true });
  let first: Runtime;
  let second: Runtime;
  let owner: BuiltUser;
  const now = new Date('2027-03-01T12:00:00Z');

  beforeAll(async () => {
    [first, second] = (await Promise.all([database.startRuntime(), database.startRuntime()])).map(({ runtime }) => runtime);
    owner = await buildUser(first.dataSource);
  });

  const outbox = () => first.dataSource.getRepository(OutboxMessageEntity).find({ order: { id: 'ASC' } });

  it('sends the 7-day and 1-day notices exactly once, even with two instances running at the same moment', async () => {
    await tokenExpiringAt(first.dataSource, owner, 'deploy-bot', new Date(now.getTime() + 6 * DAY));
    await tokenExpiringAt(first.dataSource, owner, 'nightly', new Date(now.getTime() + 12 * 60 * 60 * 1000));
    await tokenExpiringAt(first.dataSource, owner, 'far-future', new Date(now.getTime() + 30 * DAY));
    await tokenExpiringAt(first.dataSource, owner, 'already-expired', new Date(now.getTime() - DAY));

    const mailers = [first, second].map((runtime) =>
      createMailer({ dataSource: runtime.dataSource, logger, from: 'Tollbooth <t@example.test>' }),
    );
    const results = await Promise.all([
      runExpiryNotices(first.dataSource, mailers[0]!, logger, now),
      runExpiryNotices(second.dataSource, mailers[1]!, logger, now),
      runExpiryNotices(first.dataSource, mailers[0]!, logger, now),
    ]);
    expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(2);

    const messages = await outbox();
    expect(messages.map((message) => message.subject).sort()).toEqual([
      'Your Tollbooth token "deploy-bot" expires in 6 days, on 7 Mar 2027',
      'Your Tollbooth token "nightly" expires in 12 hours, on 2 Mar 2027 at 00:00 UTC',
    ]);
    expect(messages.every((message) => message.recipient === owner.email)).toBe(true);
    expect(messages[0]!.body).toContain('/settings/profile/access-tokens');
    expect(messages.some((message) => /tbp_[0-9A-Za-z]{38}/.test(message.body))).toBe(false);

    // A later run at the same time has nothing left to send.
    expect(await runExpiryNotices(second.dataSource, mailers[1]!, logger, now)).toEqual({ sent: 0, failed: 0 });
  });

  it('sends the 1-day notice once the token gets that close', async () => {
    const before = (await outbox()).length;
    const later = new Date(now.getTime() + 5.5 * DAY);
    const mailer = createMailer({ dataSource: first.dataSource, logger, from: 'Tollbooth <t@example.test>' });
    await Promise.all([
      runExpiryNotices(first.dataSource, mailer, logger, later),
      runExpiryNotices(second.dataSource, mailer, logger, later),
    ]);
    const added = (await outbox()).slice(before).map((message) => message.subject);
    expect(added).toEqual(['Your Tollbooth token "deploy-bot" expires in 12 hours, on 7 Mar 2027 at 12:00 UTC']);
  });

  it.each([
    ['the 7-day notice', '3-days', 3 * DAY, 'in 3 days, on 4 Mar 2027'],
    ['the 1-day notice', '20-hours', 20 * 60 * 60 * 1000, 'in 20 hours, on 2 Mar 2027 at 08:00 UTC'],
    ['the 1-day notice', '30-minutes', 30 * 60 * 1000, 'in 30 minutes, on 1 Mar 2027 at 12:30 UTC'],
  ])('states the real time left in %s (%s)', async (_kind, name, left, said) => {
    const reader = await buildUser(first.dataSource);
    await tokenExpiringAt(first.dataSource, reader, name, new Date(now.getTime() + left));
    const mailer = createMailer({ dataSource: first.dataSource, logger, from: 'Tollbooth <t@example.test>' });
    await runExpiryNotices(first.dataSource, mailer, logger, now);
    const theirs = (await outbox()).filter((message) => message.recipient === reader.email);
    expect(theirs.map((message) => message.subject)).toEqual([`Your Tollbooth token "${name}" expires ${said}`]);
  });

  it('does not notify about deleted tokens', async () => {
    const before = (await outbox()).length;
    const deleted = await tokenExpiringAt(first.dataSource, owner, 'deleted-one', new Date(now.getTime() + 3 * DAY));
    await deleteOwnToken(first.dataSource, owner, deleted);
    // Its live twin, due the same notice, shows the run would have sent one.
    await tokenExpiringAt(first.dataSource, owner, 'live-twin', new Date(now.getTime() + 3 * DAY));
    const mailer = createMailer({ dataSource: first.dataSource, logger, from: 'Tollbooth <t@example.test>' });
    expect(await runExpiryNotices(first.dataSource, mailer, logger, now)).toEqual({ sent: 1, failed: 0 });
    expect((await outbox()).slice(before).map((message) => message.subject)).toEqual([
      'Your Tollbooth token "live-twin" expires in 3 days, on 4 Mar 2027',
    ]);
  });

  it('delivers through SMTP when SMTP_URL is set, and retries a notice whose delivery failed', async () => {
    const received: string[] = [];
    let refuse = true;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          if (refuse) return callback(new Error('mailbox unavailable'));
          received.push(data);
          callback();
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
    try {
      await tokenExpiringAt(first.dataSource, owner, 'smtp-token', new Date(now.getTime() + 2 * DAY));
      const mailer = createMailer({
        dataSource: first.dataSource,
        logger,
        smtpUrl: `smtp://127.0.0.1:${port}`,
        from: 'Tollbooth <t@example.test>',
      });
      expect(await runExpiryNotices(first.dataSource, mailer, logger, now)).toEqual({ sent: 0, failed: 1 });
      refuse = false;
      expect(await runExpiryNotices(first.dataSource, mailer, logger, now)).toEqual({ sent: 1, failed: 0 });
      expect(received).toHaveLength(1);
      expect(received[0]).toContain('smtp-token');
      const last = (await outbox()).at(-1)!;
      expect(last.subject).toContain('smtp-token');
      expect(last.sentAt).not.toBeNull();
      mailer.close();
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
