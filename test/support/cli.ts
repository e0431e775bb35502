import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/config/index.js';
import { eventually } from './eventually.js';
import { TestClient } from './http.js';
import { freePort, TEST_KEY_ENCRYPTION_KEY } from './server.js';

/** The built `tollbooth` command (`npm run build` first, as `npm test` does). */
export const CLI_PATH = join(packageRoot(), 'dist', 'src', 'cli', 'index.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `tollbooth` command with a clean environment: only PATH, a fresh DATA_DIR,
 * the test key-encryption key, and `env`.
 */
export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], {
    cwd: packageRoot(),
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tollbooth-cli-')),
      KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
      ...env,
    },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ServeProcess {
  /** A client of the running server. */
  readonly client: TestClient;
  /** Everything the process has written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code once it has exited. */
  stop(): Promise<number | null>;
}

/**
 * `tollbooth serve --migrate` as a real child process on a free port, its stdout and stderr
 * kept, ready once `/readyz` answers 200. For what only the real process shows: signals,
 * what it prints at start and while serving.
 */
export async function startServeProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--migrate'], {
    cwd: packageRoot(),
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const client = new TestClient(`http://127.0.0.1:${port}`);
  try {
    await eventually(async () => ((await client.get('/readyz').catch(() => undefined))?.status === 200 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'the server to be ready',
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its output:\n${chunks.join('')}`, { cause: error });
  }
  return {
    client,
    output: () => chunks.join(''),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
