import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { bulkSeedTokens } from '../../bench/bulk-seed.js';
import { createBenchDatabase, type BenchDatabase } from '../../bench/database.js';
import { checks, cpuRatios, eventLoopRatios, median, ratios, summarise } from '../../bench/report.js';
import { seedTokens } from '../../bench/seed.js';
import { basicAuthorization } from '../../bench/targets.js';
import { openDataSource } from '../../src/db/index.js';
import { findUsableTokenBySecret } from '../../src/tokens/index.js';
import { MYSQL_SERVER_URL } from '../support/database.js';
import { defaultServices } from '../support/factories.js';

const databases: BenchDatabase[] = [];
const uniqueName = () => `tollbooth_test_bench_${randomBytes(5).toString('hex')}`;

async function open(name = uniqueName()): Promise<BenchDatabase> {
  const database = await createBenchDatabase(`${MYSQL_SERVER_URL}/${name}`);
  databases.push(database);
  return database;
}

async function query(sql: string, values: unknown[] = []): Promise<unknown[]> {
  const connection = await createConnection(MYSQL_SERVER_URL);
  try {
    const [rows] = await connection.query(sql, values);
    return rows as unknown[];
  } finally {
    await connection.end();
  }
}

afterAll(async () => {
  for (const database of databases) await database.drop();
});

describe('the benchmark database', () => {
  it('seeds 40 exchangeable tokens: two users at the cap, ten per service each', async () => {
    const database = await open();
    const dataSource = await openDataSource({ kind: 'mysql', url: database.url, poolSize: 2, queryTimeoutMs: 5_000 }, { migrate: true });
    try {
      const tokens = await seedTokens(dataSource, defaultServices());
      expect(tokens).toHaveLength(40);
      expect(new Set(tokens.map((token) => token.userId)).size).toBe(2);
      for (const service of ['strings', 'tms']) {
        for (const userId of new Set(tokens.map((token) => token.userId))) {
          expect(tokens.filter((token) => token.service === service && token.userId === userId)).toHaveLength(10);
        }
      }
      for (const token of tokens) {
        const usable = await findUsableTokenBySecret(dataSource, defaultServices(), token.secret);
        expect(usable).toMatchObject({ id: token.id, serviceId: token.service, userId: token.userId });
      }

      await database.recordTokenWrites();
      const [first, second, third] = tokens;
      const at = (second: number) => `2026-12-01 10:00:0${second}.000`;
      await dataSource.query('UPDATE platform_tokens SET last_used_at = ? WHERE id = ?', [at(1), first!.id]);
      await dataSource.query('UPDATE platform_tokens SET last_used_at = ? WHERE id IN (?, ?, ?)', [
        at(2),
        first!.id,
        second!.id,
        third!.id,
      ]);
      await dataSource.query('UPDATE platform_tokens SET last_used_at = ? WHERE id = ?', [at(3), 'no-such-token']);
      // Recording a network seen for the first time is not a last-used write: counted apart.
      await dataSource.query("UPDATE platform_tokens SET seen_networks = '127.0.0' WHERE id = ?", [second!.id]);
      const writes = await database.countTokenWrites();
      expect(writes).toMatchObject({ rows: 4, statements: 2, distinctTokens: 3, maxPerToken: 2, otherRows: 1 });
      expect(writes.minimumGapSeconds).toBeGreaterThanOrEqual(0);
    } finally {
      await dataSource.destroy();
    }
  });

  it('bulk-inserts tokens whose sampled secrets exchange, owners at the cap', async () => {
    const database = await open();
    const dataSource = await openDataSource({ kind: 'mysql', url: database.url, poolSize: 2, queryTimeoutMs: 5_000 }, { migrate: true });
    try {
      const sample = await bulkSeedTokens(database.url, defaultServices(), 4_500, () => undefined);
      expect(sample.length).toBeGreaterThan(100);
      const [{ tokens, owners, most }] = await dataSource.query(
        'SELECT COUNT(*) AS tokens, COUNT(DISTINCT user_id) AS owners, MAX(per) AS most FROM (SELECT user_id, COUNT(*) AS per FROM platform_tokens GROUP BY user_id) t JOIN platform_tokens USING (user_id)',
      );
      expect([Number(tokens), Number(owners), Number(most)]).toEqual([4_500, 225, 20]);
      for (const token of [sample[0]!, sample[sample.length - 1]!]) {
        expect(await findUsableTokenBySecret(dataSource, defaultServices(), token.secret)).toMatchObject({
          id: token.id,
          serviceId: token.service,
        });
      }
    } finally {
      await dataSource.destroy();
    }
  });

  it('replaces its own database left by an earlier run', async () => {
    const name = uniqueName();
    await open(name);
    await query(`INSERT INTO \`${name}\`.bench_token_writes (token_id, written_at, last_used) VALUES ('left-over', NOW(6), TRUE)`);
    const again = await open(name);
    expect(await again.countTokenWrites()).toMatchObject({ rows: 0 });
  });

  it('refuses to drop a database it did not create', async () => {
    const name = uniqueName();
    await query(`CREATE DATABASE \`${name}\``);
    try {
      await query(`CREATE TABLE \`${name}\`.precious (id INT PRIMARY KEY)`);
      await expect(createBenchDatabase(`${MYSQL_SERVER_URL}/${name}`)).rejects.toThrow(/refusing to drop database/);
      expect(await query('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [name])).toEqual([
        { TABLE_NAME: 'precious' },
      ]);
    } finally {
      await query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  });

  it('rejects a DATABASE_URL without a plain database name', async () => {
    await expect(createBenchDatabase(`${MYSQL_SERVER_URL}/`)).rejects.toThrow(/must name a database/);
    await expect(createBenchDatabase(`${MYSQL_SERVER_URL}/bad%60name`)).rejects.toThrow(/must name a database/);
  });
});

describe('the benchmark report', () => {
  const round = (requestsPerSecond: number, p99: number) => ({
    round: 1,
    requestsPerSecond,
    p50: 1,
    p99,
    responses2xx: 1,
    failures: 0,
    statusCodes: {},
    durationSeconds: 1,
    cpuMicrosPerResponse: 1_000_000 / requestsPerSecond,
    eventLoopMicrosPerResponse: 600_000 / requestsPerSecond,
  });

  it('takes medians over rounds, not means', () => {
    expect(median([5, 1, 100])).toBe(5);
    expect(median([4, 1, 3, 100])).toBe(3.5);
    const summary = summarise({ key: 'a', label: 'a' }, [round(100, 9), round(1000, 30), round(120, 10)], 'tollbooth', {
      rssMiB: 90,
      peakRssMiB: 95,
    });
    expect(summary).toMatchObject({ requestsPerSecond: 120, p99: 10, rssMiB: 90, eventLoopMicrosPerResponse: 5000 });
  });

  it('has no event-loop figure when a round could not read the thread', () => {
    const summary = summarise(
      { key: 'a', label: 'a' },
      [round(100, 9), { ...round(200, 9), eventLoopMicrosPerResponse: null }],
      'tollbooth',
      null,
    );
    expect(summary.eventLoopMicrosPerResponse).toBeNull();
    expect(summary.cpuMicrosPerResponse).toBe(7500);
    expect(eventLoopRatios([summary, summarise({ key: 'd', label: 'd' }, [round(100, 9)], 'oidc-provider', null)])).toEqual({});
  });

  it('computes a/d, b/d and c/e only for targets that ran, and judges the targets', () => {
    const summaries = [
      summarise({ key: 'a', label: 'a' }, [round(800, 12)], 'tollbooth', { rssMiB: 150, peakRssMiB: 160 }),
      summarise({ key: 'd', label: 'd' }, [round(1000, 5)], 'oidc-provider', null),
    ];
    const values = ratios(summaries);
    expect(values).toEqual({ 'a/d': 0.8 });
    expect(cpuRatios(summaries)).toEqual({ 'a/d': 0.8 });
    expect(eventLoopRatios(summaries)).toEqual({ 'a/d': 0.8 });
    const results = checks(summaries, values, {
      duringRun: { rows: 41, statements: 41, distinctTokens: 40, maxPerToken: 2, minimumGapSeconds: 60, otherRows: 0 },
      allowedPerToken: 1,
    });
    const verdict = Object.fromEntries(results.map((check) => [check.name, check.pass]));
    expect(verdict).toMatchObject({
      'a/d': true,
      'b/d': null,
      'c/e': null,
      'p99 of (a), ms': true,
      'Tollbooth RSS after the run, MiB': true,
      'most platform_tokens writes for one token': false,
    });
  });

  it('judges CPU ratios, the large-database exchange against (a), and errors and memory under heavier concurrency', () => {
    const summaries = [
      summarise({ key: 'a', label: 'a' }, [round(800, 12)], 'tollbooth', { rssMiB: 150, peakRssMiB: 160 }),
      summarise({ key: 'aN', label: 'aN' }, [round(700, 12)], 'tollbooth-large', { rssMiB: 150, peakRssMiB: 160 }),
      summarise({ key: 'd', label: 'd' }, [round(1000, 5)], 'oidc-provider', null),
    ];
    const values = ratios(summaries);
    expect(values).toEqual({ 'a/d': 0.8, 'aN/a': 0.875 });
    const wideA = { ...summarise({ key: 'a', label: 'a' }, [round(900, 40)], 'tollbooth', { rssMiB: 230, peakRssMiB: 240 }), failures: 3 };
    const wideD = summarise({ key: 'd', label: 'd' }, [round(1000, 30)], 'oidc-provider', null);
    const results = checks(summaries, values, null, {
      cpuRatios: cpuRatios(summaries),
      wide: { connections: 100, summaries: [wideA, wideD] },
    });
    const verdict = Object.fromEntries(results.map((check) => [check.name, [check.actual, check.pass]]));
    expect(verdict).toMatchObject({
      'a/d by CPU per response': [0.8, false],
      'a with --tokens N / a with 40': [0.875, false],
      // The memory check takes the highest reading, after the heavier rounds too.
      'Tollbooth RSS after the run, MiB': [230, false],
      'failures of (a) at 100 connections': [3, false],
      'failures of (d) at 100 connections': [0, true],
    });
  });

  it('encodes client credentials for HTTP Basic as RFC 6749 §2.3.1 says', () => {
    const header = basicAuthorization('id with space', 'tbp_a:b');
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString()).toBe('id+with+space:tbp_a%3Ab');
  });
});
