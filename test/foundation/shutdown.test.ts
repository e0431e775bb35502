import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PlatformTokenEntity } from '../../src/db/index.js';
import { CLI_PATH } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { buildToken, buildUser } from '../support/factories.js';
import { useDatabase } from '../support/fixture.js';
import { TestClient } from '../support/http.js';
import { exchangeToken } from '../support/oauth.js';
import { freePort, TEST_KEY_ENCRYPTION_KEY } from '../support/server.js';

/** `tollbooth serve` as a real child process, so SIGTERM is the real signal path. */
async function serve(databaseUrl: string): Promise<{ child: ChildProcess; client: TestClient; exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--migrate'], {
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

/**
 * A login whose body is held back until `release()`: the request is known to be in flight
 * once the server has answered `100 Continue`, which it does only after it has read the
 * headers and begun handling the request.
 */
function heldLogin(baseUrl: string, credentials: { email: string; password: string }) {
  const body = JSON.stringify(credentials);
  const outgoing = request(new URL('/api/session', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  const accepted = new Promise<void>((resolve) => outgoing.once('continue', resolve));
  const status = new Promise<number>((resolve, reject) => {
    outgoing.once('response', (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    outgoing.once('error', reject);
  });
  outgoing.flushHeaders();
  return { accepted, status, release: () => outgoing.end(body) };
}

describe('graceful shutdown on SIGTERM', () => {
  const database = useDatabase({ migrate: true });

  it('finishes the in-flight request, flushes last-used, stops accepting and exits 0', async () => {
    const user = await buildUser(database.dataSource, { organization: 'shutdown' });
    const token = await buildToken(database.dataSource, user);
    const { child, client, exited } = await serve(database.url);
    expect((await exchangeToken(client, token.secret)).status).toBe(200);

    const login = heldLogin(client.baseUrl, { email: user.email, password: user.password });
    await login.accepted;
    child.kill('SIGTERM');
    login.release();
    expect(await login.status).toBe(200);
    expect(await exited).toBe(0);
    await expect(client.get('/healthz')).rejects.toThrow();

    // The exchange's last-used write was pending (coalesced, off the request path) and was flushed on the way out.
    const row = await database.dataSource.getRepository(PlatformTokenEntity).findOneByOrFail({ id: token.id });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedIp).toMatch(/127\.0\.0\.1/);
  });
});
