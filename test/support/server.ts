import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createLogger } from '../../src/log/logger.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { startServer, type RunningServer } from '../../src/server.js';

/** A fixed key-encryption key for tests, so several instances on one database share keys. */
export const TEST_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestServer {
  url: string;
  config: Config;
  runtime: Runtime;
  server: RunningServer;
  /** Every log line written so far (only when started with captureLogs). */
  logs(): string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** DATABASE_URL; omit for the embedded SQLite in a fresh temporary folder. */
  databaseUrl?: string;
  env?: Record<string, string | undefined>;
  captureLogs?: boolean;
}

/** Asks the kernel for a free port, so PUBLIC_URL (the issuer) can name it before listening. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the real Tollbooth HTTP server on a free port, migrating its database first. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'tollbooth-test-'));
  const config = loadConfig(
    {},
    {
      overrides: {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        DATABASE_URL: options.databaseUrl,
        KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
        LOG_LEVEL: options.captureLogs ? 'debug' : 'silent',
        ...options.env,
      },
    },
  );
  const lines: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const logger = createLogger(config.logLevel, sink);
  const runtime = await startRuntime(config, { migrate: true, logger });
  const server = await startServer(runtime, { port, host: '127.0.0.1' });
  return {
    url: server.url,
    config,
    runtime,
    server,
    logs: () => lines.join(''),
    async close() {
      await server.close(2_000);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
