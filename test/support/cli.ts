import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/config/index.js';
import { TEST_KEY_ENCRYPTION_KEY } from './server.js';

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
