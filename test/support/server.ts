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

export interface TestInstanceOptions {
  /** DATABASE_URL; omit for the embedded SQLite in a fresh temporary folder. */
  databaseUrl?: string;
  env?: Record<string, string | undefined>;
  /** Log at debug level into memory, readable with `logs()`; otherwise the instance is silent. */
  captureLogs?: boolean;
  /** A service catalog other than the shipped config/services.json. */
  servicesFile?: string;
}

/** A Tollbooth runtime (database, logger, metrics) without an HTTP server. */
export interface TestRuntime {
  config: Config;
  runtime: Runtime;
  /** Every log line written so far (only when started with captureLogs). */
  logs(): string;
  close(): Promise<void>;
}

/** A Tollbooth instance: the runtime plus the real HTTP server on a free port. */
export interface TestServer extends TestRuntime {
  url: string;
  server: RunningServer;
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

/** Starts a runtime as `tollbooth serve` does, migrating its database first. */
export async function startTestRuntime(options: TestInstanceOptions = {}, port?: number): Promise<TestRuntime> {
  const dataDir = options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'tollbooth-test-'));
  const config = loadConfig(
    {},
    {
      overrides: {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: port === undefined ? undefined : String(port),
        PUBLIC_URL: port === undefined ? undefined : `http://127.0.0.1:${port}`,
        DATA_DIR: dataDir,
        DATABASE_URL: options.databaseUrl,
        KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
        LOG_LEVEL: options.captureLogs ? 'debug' : 'silent',
        ...options.env,
      },
      servicesFile: options.servicesFile,
    },
  );
  const lines: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const runtime = await startRuntime(config, { migrate: true, logger: createLogger(config.logLevel, sink) });
  const removeDataDir = () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    config,
    runtime,
    logs: () => lines.join(''),
    async close() {
      await runtime.close();
      removeDataDir();
    },
  };
}

/**
 * Starts the real Tollbooth HTTP server on a free port, migrating its database first. Tests
 * use it directly only for an instance that starts mid-test; otherwise `useServer` (in
 * fixture.ts) starts and stops one around the file.
 */
export async function startTestInstance(options: TestInstanceOptions = {}): Promise<TestServer> {
  const port = await freePort();
  const started = await startTestRuntime(options, port);
  const server = await startServer(started.runtime, { port, host: '127.0.0.1' });
  return {
    ...started,
    url: server.url,
    server,
    async close() {
      // Closing the server lets in-flight requests finish, then closes the runtime.
      await server.close(2_000);
      await started.close();
    },
  };
}
