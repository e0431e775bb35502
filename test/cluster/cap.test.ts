import { createConnection } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenThroughApi, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { useGaleraDatabase } from '../support/fixture.js';
import { GALERA_NODE_URLS } from '../support/galera.js';
import type { TestServer } from '../support/server.js';

describe.skipIf(GALERA_NODE_URLS.length < 3)('the 20-token cap on a Galera cluster', () => {
  const cluster = useGaleraDatabase();
  let onFirst: TestServer;
  let onSecond: TestServer;

  beforeAll(async () => {
    [onFirst, onSecond] = await Promise.all([cluster.startInstance(0), cluster.startInstance(1)]);
  });

  it.each([1, 2, 3])('ends 30 parallel creates split across two nodes with exactly 20 × 201 and 10 × 409 (round %i)', async () => {
    const user = await buildUser(cluster.dataSource(0), { organization: 'race-org' });
    const [first, second] = await Promise.all([loggedInClient(onFirst, user), loggedInClient(onSecond, user)]);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        (index % 2 === 0 ? first : second).post(tokensPath('race-org'), { name: `parallel ${index}`, service: 'strings' }),
      ),
    );
    const counts = new Map<number, number>();
    for (const response of responses) counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 201: 20, 409: 10 });
    const [{ live }] = await cluster.causalRead<{ live: number | string }>(
      2,
      'SELECT COUNT(*) AS live FROM platform_tokens WHERE user_id = ? AND deleted_at IS NULL',
      [user.id],
    );
    expect(Number(live)).toBe(20);
  });

  it('answers 503 temporarily_unavailable with Retry-After when the lock stays taken on the node past every retry', async () => {
    // Lock waits end after a second there, so the retries run out in seconds.
    const impatient = await cluster.startInstance(0, { env: { DB_QUERY_TIMEOUT_MS: '1000' } });
    const user = await buildUser(cluster.dataSource(0), { organization: 'held-org' });
    const client = await loggedInClient(impatient, user);
    await createTokenThroughApi(client, 'held-org', { name: 'first' });
    const holder = await createConnection(cluster.url(0));
    try {
      await holder.query('START TRANSACTION');
      await holder.query('UPDATE locks SET version = version + 1 WHERE name = ?', [`token-cap:${user.id}`]);
      const refused = await client.post(tokensPath('held-org'), { name: 'second', service: 'strings' });
      expectProblem(refused, 503, 'temporarily_unavailable');
      expect(refused.headers.get('retry-after')).toBe('1');
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    await createTokenThroughApi(client, 'held-org', { name: 'second' });
  });
});
