import { createConnection, type Connection } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenThroughApi, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { eventually } from '../support/eventually.js';
import { buildUser } from '../support/factories.js';
import { useServer, type ServerFixture } from '../support/fixture.js';
import { sample, scrapeMetrics } from '../support/metrics.js';

const METRICS_TOKEN = 'conflict-metrics-token-0123456789';

/** A session of the test's own on the fixture's database: another instance's transaction, in effect. */
function useRivalSession(fixture: ServerFixture): () => Promise<Connection> {
  let rival: Connection | undefined;
  afterEach(async () => {
    await rival?.end();
    rival = undefined;
  });
  return async () => {
    rival = await createConnection(fixture.databaseUrl!);
    await rival.query('SET SESSION innodb_lock_wait_timeout = 30');
    return rival;
  };
}

async function liveTokens(fixture: ServerFixture, userId: string): Promise<number> {
  const [{ live }] = await fixture.dataSource.query(
    'SELECT COUNT(*) AS live FROM platform_tokens WHERE user_id = ? AND deleted_at IS NULL',
    [userId],
  );
  return Number(live);
}

/** Write transactions meet real conflicts on a real MySQL/MariaDB, provoked by a rival session. */
describe('a write transaction the database aborts (MySQL)', () => {
  const fixture = useServer({ env: { METRICS_TOKEN } });
  const rivalSession = useRivalSession(fixture);

  const retries = async (reason: string): Promise<number> =>
    sample(await scrapeMetrics(fixture.url, METRICS_TOKEN), 'tollbooth_db_conflict_retries_total', `{reason="${reason}"}`) ?? 0;

  it('is run again when the database picks it as a deadlock victim, and the create answers 201', async () => {
    const user = await buildUser(fixture.dataSource, { organization: 'deadlock-org' });
    const client = await loggedInClient(fixture, user);
    await createTokenThroughApi(client, 'deadlock-org', { name: 'first' });
    const retriedBefore = await retries('deadlock');

    const rival = await rivalSession();
    await rival.query('START TRANSACTION');
    // Weight: InnoDB rolls back the transaction that changed fewer rows, so the create is the victim.
    const ballast = Array.from({ length: 30 }, (_, index) => `ballast-${user.id}-${index}`);
    await rival.query(`INSERT INTO locks (name, version) VALUES ${ballast.map(() => '(?, 0)').join(', ')}`, ballast);
    // Holds the gap the user's next token goes into.
    await rival.query('SELECT id FROM platform_tokens WHERE user_id = ? FOR UPDATE', [user.id]);

    const creating = client.post(tokensPath('deadlock-org'), { name: 'second', service: 'strings' });
    // The create takes the user's lock row, then waits for the rival's gap lock…
    await eventually(
      async () => {
        const [row] = (await fixture.dataSource.query(
          'SELECT COUNT(*) AS waiting FROM information_schema.processlist WHERE info LIKE ? AND time_ms > 100',
          [`INSERT INTO \`platform_tokens\`%${user.id}%`],
        )) as Array<{ waiting: number | string }>;
        return Number(row!.waiting) > 0 ? true : undefined;
      },
      { timeoutMs: 20_000, what: 'the create to wait for the rival' },
    );
    // …and the rival asks for that lock row: a deadlock, which the create loses.
    await rival.query('UPDATE locks SET version = version + 1 WHERE name = ?', [`token-cap:${user.id}`]);
    await rival.query('ROLLBACK');

    const created = await creating;
    expect(created.status, created.text).toBe(201);
    expect(await liveTokens(fixture, user.id)).toBe(2);
    expect(await retries('deadlock')).toBeGreaterThan(retriedBefore);
  });
});

describe('a write transaction whose retries run out (MySQL)', () => {
  // Lock waits end after a second, so running out of retries takes seconds, not minutes.
  const fixture = useServer({ env: { DB_QUERY_TIMEOUT_MS: '1000' } });
  const rivalSession = useRivalSession(fixture);

  it('answers 503 temporarily_unavailable with Retry-After when the lock stays taken, and creates nothing', async () => {
    const user = await buildUser(fixture.dataSource, { organization: 'held-org' });
    const client = await loggedInClient(fixture, user);
    await createTokenThroughApi(client, 'held-org', { name: 'first' });

    const holder = await rivalSession();
    await holder.query('START TRANSACTION');
    await holder.query('UPDATE locks SET version = version + 1 WHERE name = ?', [`token-cap:${user.id}`]);

    const refused = await client.post(tokensPath('held-org'), { name: 'second', service: 'strings' });
    expectProblem(refused, 503, 'temporarily_unavailable');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('cache-control')).toBe('no-store');

    await holder.query('ROLLBACK');
    expect(await liveTokens(fixture, user.id)).toBe(1);
    await createTokenThroughApi(client, 'held-org', { name: 'second' });
  });
});
