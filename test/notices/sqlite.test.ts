import { describe, expect, it } from 'vitest';
import { OutboxMessageEntity } from '../../src/db/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createMailer, runExpiryNotices } from '../../src/notices/index.js';
import { loggedInClient } from '../support/api.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';

const DAY = 24 * 60 * 60 * 1000;

describe('notification preferences and expiry notices on the embedded SQLite (npm start)', () => {
  const server = useServer({ database: 'sqlite' });

  it('stores preferences through the API, mails the org admins who did not opt out, and every owner about their own token', async () => {
    const { dataSource } = server;
    const now = new Date('2027-09-01T00:00:00Z');
    const member = await buildUser(dataSource, { organization: 'lite-notices', role: 'member' });
    const admin = await buildUser(dataSource, { organization: 'lite-notices', role: 'admin' });
    const quietOwner = await buildUser(dataSource, { organization: 'lite-notices', role: 'owner' });
    const quiet = await loggedInClient(server, quietOwner);
    const saved = await quiet.put('/api/me/notifications', { expiry_notices: false, new_network_alerts: true });
    expect(saved.body).toEqual({ expiry_notices: false, new_network_alerts: true });
    expect((await quiet.get('/api/me/notifications')).body).toEqual({ expiry_notices: false, new_network_alerts: true });

    await buildToken(dataSource, member, { name: 'lite expiring', now: new Date(now.getTime() + 3 * DAY - 730 * DAY) });
    await buildToken(dataSource, quietOwner, { name: 'lite own', now: new Date(now.getTime() + 3 * DAY - 730 * DAY) });
    const logger = createLogger('silent');
    const mailer = createMailer({ dataSource, logger, from: 'Tollbooth <t@example.test>' });
    expect(await runExpiryNotices(dataSource, mailer, logger, now)).toEqual({ sent: 4, failed: 0 });
    expect(await runExpiryNotices(dataSource, mailer, logger, now)).toEqual({ sent: 0, failed: 0 });
    const recipientsOf = async (tokenName: string) =>
      (await dataSource.getRepository(OutboxMessageEntity).find())
        .filter((message) => message.subject.includes(`"${tokenName}"`))
        .map((message) => message.recipient)
        .sort();
    expect(await recipientsOf('lite expiring')).toEqual([member.email, admin.email].sort());
    // Opting out silences the copies about other people's tokens, never the owner's own notice.
    expect(await recipientsOf('lite own')).toEqual([quietOwner.email, admin.email].sort());
  });
});
