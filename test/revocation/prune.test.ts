import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenRevocationEntity } from '../../src/db/index.js';
import { pruneRevocations, REVOCATION_WINDOW_SECONDS, scheduleRevocationPruning } from '../../src/revocation/index.js';
import { eventually } from '../support/eventually.js';
import { useServer, type FixtureDatabase } from '../support/fixture.js';
import { readRevocationFeed } from '../support/revocation.js';

const WINDOW_MS = REVOCATION_WINDOW_SECONDS * 1000;

describe.each<FixtureDatabase>(['mysql', 'sqlite'])('pruning old token revocations (%s)', (database) => {
  const server = useServer({ database });
  const revocations = () => server.dataSource.getRepository(TokenRevocationEntity);

  /** A revocation row `ageMs` before `now`, as a delete that long ago left it. */
  async function revokedAgo(now: Date, ageMs: number): Promise<string> {
    const tokenId = randomUUID();
    await revocations().insert({ tokenId, notBefore: new Date(now.getTime() - ageMs), reason: 'deleted' });
    return tokenId;
  }

  it('deletes the revocations older than the JWT lifetime plus skew and keeps every one the feed still publishes', async () => {
    const now = new Date();
    const expired = [await revokedAgo(now, WINDOW_MS + 1_000), await revokedAgo(now, 3 * WINDOW_MS)];
    const kept = [await revokedAgo(now, WINDOW_MS - 60_000), await revokedAgo(now, 1_000)];

    expect(await pruneRevocations(server.dataSource, now)).toBeGreaterThanOrEqual(expired.length);

    const left = (await revocations().find()).map((row) => row.tokenId);
    expect(left).toEqual(expect.arrayContaining(kept));
    for (const id of expired) expect(left).not.toContain(id);
    const published = (await readRevocationFeed(server.client(), `${server.url}/oauth`)).payload.revocations.map((entry) => entry.token_id);
    expect(published).toEqual(expect.arrayContaining(kept));
  });

  it('runs from many callers at once without an error, each row deleted once', async () => {
    const now = new Date();
    for (let count = 0; count < 20; count += 1) await revokedAgo(now, WINDOW_MS + 60_000 + count);

    const pruned = await Promise.all(Array.from({ length: 4 }, () => pruneRevocations(server.dataSource, now)));

    expect(pruned.reduce((sum, count) => sum + count, 0)).toBe(20);
    expect(await pruneRevocations(server.dataSource, now)).toBe(0);
  });

  it('runs on the serving instance’s schedule', async () => {
    const expired = await revokedAgo(new Date(), WINDOW_MS + 60_000);
    scheduleRevocationPruning(server.server.runtime, 100, 0);
    await eventually(async () => ((await revocations().findOneBy({ tokenId: expired })) === null ? true : undefined), {
      what: 'the scheduled prune',
    });
  });
});

describe('pruning from two instances on one database', () => {
  const server = useServer();

  it('deletes each old revocation once, whichever instance gets there first', async () => {
    const second = await server.startInstance();
    const now = new Date();
    const repository = server.dataSource.getRepository(TokenRevocationEntity);
    await repository.insert(
      Array.from({ length: 50 }, (_, count) => ({
        tokenId: randomUUID(),
        notBefore: new Date(now.getTime() - WINDOW_MS - 60_000 - count),
        reason: 'deleted',
      })),
    );

    const pruned = await Promise.all([
      pruneRevocations(server.dataSource, now),
      pruneRevocations(second.runtime.dataSource, now),
      pruneRevocations(server.dataSource, now),
      pruneRevocations(second.runtime.dataSource, now),
    ]);

    expect(pruned.reduce((sum, count) => sum + count, 0)).toBe(50);
    expect(await repository.count()).toBe(0);
  });
});
