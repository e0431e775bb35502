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

  it('stores preferences through the API and mails the org admins who did not opt out', async () => {
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
    const logger = createLogger('silent');
    const mailer = createMailer({ dataSource, logger, from: 'Tollbooth <t@example.test>' });
    expect(await runExpiryNotices(dataSource, mailer, logger, now)).toEqual({ sent: 2, failed: 0 });
    expect(await runExpiryNotices(dataSource, mailer, logger, now)).toEqual({ sent: 0, failed: 0 });
    const recipients = (await dataSource.getRepository(OutboxMessageEntity).find()).map((message) => message.recipient);
    expect(recipients.sort()).toEqual([member.email, admin.email].sort());
  });
});
