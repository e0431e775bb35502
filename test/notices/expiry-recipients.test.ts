import type { DataSource } from 'typeorm';
import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessageEntity } from '../../src/db/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createMailer, runExpiryNotices, saveNotificationPreferences } from '../../src/notices/index.js';
import type { Runtime } from '../../src/runtime.js';
import { addMembership, buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';

const DAY = 24 * 60 * 60 * 1000;
const logger = createLogger('silent');
const now = new Date('2027-06-01T12:00:00Z');

async function tokenExpiringIn(dataSource: DataSource, owner: BuiltUser, name: string, left: number): Promise<void> {
  await buildToken(dataSource, owner, { name, now: new Date(now.getTime() + left - 730 * DAY) });
}

async function optOut(dataSource: DataSource, user: BuiltUser, preferences = { expiryNotices: false, newNetworkAlerts: true }) {
  await saveNotificationPreferences(dataSource, user.id, preferences, { actorUserId: user.id, ip: null, userAgent: null });
}

describe('who hears that a token expires', () => {
  const database = useDatabase({ migrate: true });
  let first: Runtime;
  let second: Runtime;

  beforeAll(async () => {
    [first, second] = (await Promise.all([database.startRuntime(), database.startRuntime()])).map(({ runtime }) => runtime);
  });

  const mailer = (runtime: Runtime) => createMailer({ dataSource: runtime.dataSource, logger, from: 'Tollbooth <t@example.test>' });
  const mailsAbout = async (tokenName: string) =>
    (await first.dataSource.getRepository(OutboxMessageEntity).find({ order: { id: 'ASC' } })).filter((message) =>
      message.subject.includes(`"${tokenName}"`),
    );

  it("mails the owner and each admin and owner of the token's organization once per notice, across two instances", async () => {
    const { dataSource } = first;
    const member = await buildUser(dataSource, { organization: 'expiry-org', role: 'member' });
    const admin = await buildUser(dataSource, { organization: 'expiry-org', role: 'admin' });
    const orgOwner = await buildUser(dataSource, { organization: 'expiry-org', role: 'owner' });
    const manager = await buildUser(dataSource, { organization: 'expiry-org', role: 'manager' });
    // An admin of another organization hears nothing about this one.
    const elsewhere = await buildUser(dataSource, { organization: 'other-org', role: 'admin' });
    await tokenExpiringIn(dataSource, member, 'shared deploy', 5 * DAY);

    const results = await Promise.all([
      runExpiryNotices(first.dataSource, mailer(first), logger, now),
      runExpiryNotices(second.dataSource, mailer(second), logger, now),
      runExpiryNotices(first.dataSource, mailer(first), logger, now),
    ]);
    expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(3);
    const mails = await mailsAbout('shared deploy');
    expect(mails.map((mail) => mail.recipient).sort()).toEqual([member.email, admin.email, orgOwner.email].sort());
    expect(mails.map((mail) => mail.recipient)).not.toContain(manager.email);
    expect(mails.map((mail) => mail.recipient)).not.toContain(elsewhere.email);
    const toOwner = mails.find((mail) => mail.recipient === member.email)!;
    expect(toOwner.subject).toBe('Your Tollbooth token "shared deploy" expires in 5 days, on 6 Jun 2027');
    const toAdmin = mails.find((mail) => mail.recipient === admin.email)!;
    expect(toAdmin.subject).toBe(`${member.email}'s Tollbooth token "shared deploy" expires in 5 days, on 6 Jun 2027`);
    expect(toAdmin.body).toContain(`owned by ${member.email}`);
    expect(toAdmin.body).toContain('/settings/profile/notifications');

    // The 1-day notice is a separate kind: once more for each of them.
    const later = new Date(now.getTime() + 4.5 * DAY);
    await Promise.all([
      runExpiryNotices(first.dataSource, mailer(first), logger, later),
      runExpiryNotices(second.dataSource, mailer(second), logger, later),
    ]);
    expect((await mailsAbout('shared deploy')).length).toBe(6);
    expect(await runExpiryNotices(second.dataSource, mailer(second), logger, later)).toEqual({ sent: 0, failed: 0 });
  });

  it('sends one mail to an admin who owns the token', async () => {
    const { dataSource } = first;
    const admin = await buildUser(dataSource, { organization: 'self-admin-org', role: 'admin' });
    await tokenExpiringIn(dataSource, admin, 'admin own', 3 * DAY);
    await runExpiryNotices(dataSource, mailer(first), logger, now);
    expect((await mailsAbout('admin own')).map((mail) => [mail.recipient, mail.subject])).toEqual([
      [admin.email, 'Your Tollbooth token "admin own" expires in 3 days, on 4 Jun 2027'],
    ]);
  });

  it('leaves out an admin who turned expiry notices off, and still mails the others', async () => {
    const { dataSource } = first;
    const member = await buildUser(dataSource, { organization: 'quiet-admin-org', role: 'member' });
    const quiet = await buildUser(dataSource, { organization: 'quiet-admin-org', role: 'admin' });
    const loud = await buildUser(dataSource, { organization: 'quiet-admin-org', role: 'owner' });
    await optOut(dataSource, quiet);
    await tokenExpiringIn(dataSource, member, 'quiet admin', 2 * DAY);
    await runExpiryNotices(dataSource, mailer(first), logger, now);
    expect((await mailsAbout('quiet admin')).map((mail) => mail.recipient).sort()).toEqual([member.email, loud.email].sort());
  });

  it('still mails an owner who turned expiry notices off about their own token, and new-network alerts alone change nothing', async () => {
    const { dataSource } = first;
    const quiet = await buildUser(dataSource, { organization: 'quiet-owner-org', role: 'member' });
    const alertsOff = await buildUser(dataSource, { organization: 'quiet-owner-org', role: 'member' });
    await optOut(dataSource, quiet);
    await optOut(dataSource, alertsOff, { expiryNotices: true, newNetworkAlerts: false });
    await tokenExpiringIn(dataSource, quiet, 'quiet owner', 6 * DAY);
    await tokenExpiringIn(dataSource, alertsOff, 'alerts off', 6 * DAY);
    await runExpiryNotices(dataSource, mailer(first), logger, now);
    const [toQuiet, ...others] = await mailsAbout('quiet owner');
    expect([toQuiet?.recipient, others]).toEqual([quiet.email, []]);
    // Their own notice cannot be turned off, so it does not offer to.
    expect(toQuiet!.body).not.toContain('/settings/profile/notifications');
    expect((await mailsAbout('alerts off')).map((mail) => mail.recipient)).toEqual([alertsOff.email]);
  });

  it('mails an admin who turned expiry notices off about their own token, not about a member’s', async () => {
    const { dataSource } = first;
    const member = await buildUser(dataSource, { organization: 'quiet-self-org', role: 'member' });
    const quiet = await buildUser(dataSource, { organization: 'quiet-self-org', role: 'admin' });
    await optOut(dataSource, quiet);
    await tokenExpiringIn(dataSource, quiet, 'quiet admin own', 3 * DAY);
    await tokenExpiringIn(dataSource, member, 'quiet admin member', 3 * DAY);
    await runExpiryNotices(dataSource, mailer(first), logger, now);
    expect((await mailsAbout('quiet admin own')).map((mail) => mail.recipient)).toEqual([quiet.email]);
    expect((await mailsAbout('quiet admin member')).map((mail) => mail.recipient)).toEqual([member.email]);
  });

  it('mails an admin of the organization the token belongs to, not of the owner’s other organizations', async () => {
    const { dataSource } = first;
    const member = await buildUser(dataSource, { organization: 'home-org', role: 'member' });
    await addMembership(dataSource, member.id, 'away-org', 'member');
    const awayAdmin = await buildUser(dataSource, { organization: 'away-org', role: 'admin' });
    const homeAdmin = await buildUser(dataSource, { organization: 'home-org', role: 'admin' });
    await tokenExpiringIn(dataSource, member, 'home token', 4 * DAY);
    await runExpiryNotices(dataSource, mailer(first), logger, now);
    const recipients = (await mailsAbout('home token')).map((mail) => mail.recipient);
    expect(recipients.sort()).toEqual([member.email, homeAdmin.email].sort());
    expect(recipients).not.toContain(awayAdmin.email);
  });
});
