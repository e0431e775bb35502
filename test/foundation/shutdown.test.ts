import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource, PlatformTokenEntity } from '../../src/db/index.js';
import { packageRoot } from '../../src/config/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { buildToken, buildUser, type BuiltToken, type BuiltUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { eventually, exchangeToken } from '../support/oauth.js';
import { freePort, TEST_KEY_ENCRYPTION_KEY } from '../support/server.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli', 'index.js');

/** `tollbooth serve` as a real child process, so SIGTERM is the real signal path. */
async function serve(databaseUrl: string): Promise<{ child: ChildProcess; client: TestClient; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'serve', '--migrate'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const client = new TestClient(`http://127.0.0.1:${port}`);
  await eventually(async () => ((await client.get('/readyz').catch(() => undefined))?.status === 200 ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 200,
    what: 'server ready',
  });
  return { child, client, exited };
}

describe('graceful shutdown on SIGTERM', () => {
  let database: TestDatabase;
  let user: BuiltUser;
  let token: BuiltToken;

  beforeAll(async () => {
    database = await createTestDatabase();
    const dataSource = await openDataSource({ kind: 'mysql', url: database.url, poolSize: 2, queryTimeoutMs: 5_000 }, { migrate: true });
    try {
      user = await buildUser(dataSource, { organization: 'shutdown' });
      token = await buildToken(dataSource, user);
    } finally {
      await dataSource.destroy();
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('finishes the in-flight request, flushes last-used, stops accepting and exits 0', async () => {
    const { child, client, exited } = await serve(database.url);
    expect((await exchangeToken(client, token.secret)).status).toBe(200);

    // A login spends tens of milliseconds hashing: it is still in flight when the signal lands.
    const inFlight = client.post('/api/session', { email: user.email, password: user.password });
    await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await exited).toBe(0);
    await expect(client.get('/healthz')).rejects.toThrow();

    // The exchange's last-used write was pending (coalesced, off the request path) and was flushed on the way out.
    const dataSource = await openDataSource({ kind: 'mysql', url: database.url, poolSize: 1, queryTimeoutMs: 5_000 }, { migrate: false });
    try {
      const row = await dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id: token.id });
      expect(row.lastUsedAt).not.toBeNull();
      expect(row.lastUsedIp).toMatch(/127\.0\.0\.1/);
    } finally {
      await dataSource.destroy();
    }
  });
});
