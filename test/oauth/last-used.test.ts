import { beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { PlatformTokenEntity } from '../../src/db/index.js';
import { createLogger } from '../../src/log/logger.js';
import { LastUsedRecorder } from '../../src/oauth/index.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser, type BuiltUser } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import { TestClient } from '../support/http.js';
import { clientCredentials, exchangeToken } from '../support/oauth.js';

describe('last used', () => {
  const fixture = useServer();
  let dataSource: DataSource;
  let owner: BuiltUser;

  beforeAll(async () => {
    dataSource = fixture.dataSource;
    owner = await buildUser(dataSource, { organization: 'usage-org' });
  });

  const usage = async (id: string) =>
    dataSource.getRepository(PlatformTokenEntity).findOneOrFail({ select: ['id', 'lastUsedAt', 'lastUsedIp'], where: { id } });

  describe('through the token endpoint', () => {
    it.each([
      ['the RFC 8693 exchange', (client: TestClient, token: { id: string; secret: string }) => exchangeToken(client, token.secret)],
      [
        'client_credentials',
        (client: TestClient, token: { id: string; secret: string }) => clientCredentials(client, token.id, token.secret),
      ],
    ])('records when and from where a token was used, shortly after, by %s', async (_grant, exchange) => {
      const token = await buildToken(dataSource, owner);
      expect((await usage(token.id)).lastUsedAt).toBeNull();
      const before = Date.now();
      expect((await exchange(fixture.client(), token)).status).toBe(200);
      const recorded = await eventually(
        async () => {
          const row = await usage(token.id);
          return row.lastUsedAt ? row : undefined;
        },
        { what: 'last_used_at to be written' },
      );
      expect(recorded.lastUsedIp).toBe('127.0.0.1');
      expect(recorded.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(recorded.lastUsedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    });

    it('writes nothing per issued JWT: no row anywhere grows or appears', async () => {
      const token = await buildToken(dataSource, owner);
      const client = fixture.client();
      const tables = ((await dataSource.query('SHOW TABLES')) as Array<Record<string, string>>).map((row) => Object.values(row)[0]!);
      const count = async () =>
        Object.fromEntries(
          await Promise.all(
            tables.map(async (table) => [table, Number((await dataSource.query(`SELECT COUNT(*) AS n FROM \`${table}\``))[0].n)]),
          ),
        );
      const before = await count();
      for (let index = 0; index < 10; index += 1) expect((await exchangeToken(client, token.secret)).status).toBe(200);
      expect(await count()).toEqual(before);
    });

    it('flushes a pending use when the server shuts down', async () => {
      const other = await fixture.startInstance();
      const token = await buildToken(dataSource, owner);
      expect((await exchangeToken(new TestClient(other.url), token.secret)).status).toBe(200);
      await other.close();
      expect((await usage(token.id)).lastUsedIp).toBe('127.0.0.1');
    });
  });

  describe('the recorder', () => {
    function recorderAt(clock: { now: number }) {
      return new LastUsedRecorder({ dataSource, logger: createLogger('silent'), clock: () => new Date(clock.now) });
    }

    it('writes at most once per token per minute, keeping the latest use', async () => {
      const token = await buildToken(dataSource, owner);
      const clock = { now: Date.parse('2030-01-01T00:00:00.000Z') };
      const recorder = recorderAt(clock);

      for (let second = 0; second < 5; second += 1) {
        clock.now += 1000;
        recorder.record(token.id, `10.0.0.${second}`);
      }
      expect(await recorder.flush()).toBe(1);
      expect(await usage(token.id)).toMatchObject({ lastUsedAt: new Date('2030-01-01T00:00:05.000Z'), lastUsedIp: '10.0.0.4' });

      clock.now += 30_000;
      recorder.record(token.id, '10.0.0.9');
      expect(await recorder.flush()).toBe(0);
      expect((await usage(token.id)).lastUsedIp).toBe('10.0.0.4');

      clock.now += 31_000;
      recorder.record(token.id, '10.0.0.10');
      expect(await recorder.flush()).toBe(1);
      expect(await usage(token.id)).toMatchObject({ lastUsedAt: new Date('2030-01-01T00:01:06.000Z'), lastUsedIp: '10.0.0.10' });
    });

    it('writes each token on its own schedule', async () => {
      const [one, two] = [await buildToken(dataSource, owner), await buildToken(dataSource, owner)];
      const clock = { now: Date.parse('2030-02-01T00:00:00.000Z') };
      const recorder = recorderAt(clock);
      recorder.record(one.id, '10.1.0.1');
      recorder.record(two.id, '10.1.0.2');
      recorder.record(one.id, '10.1.0.3');
      expect(await recorder.flush()).toBe(2);
      expect((await usage(one.id)).lastUsedIp).toBe('10.1.0.3');
      expect((await usage(two.id)).lastUsedIp).toBe('10.1.0.2');
    });

    it('does not move the stored time forward by less than a minute across instances', async () => {
      const token = await buildToken(dataSource, owner);
      const clock = { now: Date.parse('2030-03-01T00:00:00.000Z') };
      const [first, second] = [recorderAt(clock), recorderAt(clock)];
      first.record(token.id, '10.2.0.1');
      expect(await first.flush()).toBe(1);
      clock.now += 20_000;
      // Another instance's first use of the token: it runs one conditional UPDATE that the
      // database skips, since the stored use is less than a minute older.
      second.record(token.id, '10.2.0.2');
      expect(await second.flush()).toBe(1);
      expect(await usage(token.id)).toMatchObject({ lastUsedAt: new Date('2030-03-01T00:00:00.000Z'), lastUsedIp: '10.2.0.1' });
    });

    it('does not move the stored time back when an instance flushes an older use late', async () => {
      const token = await buildToken(dataSource, owner);
      const late = recorderAt({ now: Date.parse('2030-03-02T00:00:00.000Z') });
      late.record(token.id, '10.2.1.1');
      const current = recorderAt({ now: Date.parse('2030-03-02T00:05:00.000Z') });
      current.record(token.id, '10.2.1.2');
      expect(await current.flush()).toBe(1);
      // Five minutes older than the stored use: more than the minute apart, yet never written.
      expect(await late.flush()).toBe(1);
      expect(await usage(token.id)).toMatchObject({ lastUsedAt: new Date('2030-03-02T00:05:00.000Z'), lastUsedIp: '10.2.1.2' });
    });

    it('flushes everything pending on stop, whatever the interval', async () => {
      const token = await buildToken(dataSource, owner);
      const clock = { now: Date.parse('2030-04-01T00:00:00.000Z') };
      const recorder = recorderAt(clock);
      recorder.record(token.id, '10.3.0.1');
      expect(await recorder.flush()).toBe(1);
      clock.now += 61_000;
      recorder.record(token.id, '10.3.0.2');
      await recorder.stop();
      expect((await usage(token.id)).lastUsedIp).toBe('10.3.0.2');
    });

    it('stores IPv4-mapped IPv6 addresses as plain IPv4', async () => {
      const token = await buildToken(dataSource, owner);
      const recorder = recorderAt({ now: Date.parse('2030-05-01T00:00:00.000Z') });
      recorder.record(token.id, '::ffff:192.0.2.7');
      await recorder.flush();
      expect((await usage(token.id)).lastUsedIp).toBe('192.0.2.7');
    });
  });
});
