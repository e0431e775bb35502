import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/config/index.js';
import { openDataSource } from '../src/db/index.js';
import { freePort } from './free-port.js';
import { startServerProcess, type ServerProcess } from './processes.js';
import { seedTokens, type SeededToken } from './seed.js';

/** Compiled entry points, relative to this file in dist/bench/. */
const entry = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** The Tollbooth environment for the run: production mode, quiet logs by default, a fresh key-encryption key. */
export async function tollboothEnvironment(databaseUrl: string, logLevel = 'warn'): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tollbooth-bench-')),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: logLevel,
  };
}

/** Migrates the fresh database and seeds the 40 tokens, in this process, before Tollbooth starts. */
export async function prepareTollbooth(environment: Record<string, string>): Promise<{ config: Config; tokens: SeededToken[] }> {
  const config = loadConfig({}, { overrides: environment });
  const dataSource = await openDataSource(config.database, { migrate: true });
  try {
    return { config, tokens: await seedTokens(dataSource, config.services) };
  } finally {
    await dataSource.destroy();
  }
}

/** `node --cpu-prof` flags when profiling; the profile is written when the process exits. */
const profiling = (profileDirectory: string | undefined) => (profileDirectory ? ['--cpu-prof', '--cpu-prof-dir', profileDirectory] : []);

/**
 * How the kernel runs an executable script: the `#!` line's interpreter, then the rest of that
 * line as one argument, then the script and its arguments.
 */
function throughShebang(script: string, args: string[]): { command: string; args: string[] } {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0]!;
  if (!first.startsWith('#!')) throw new Error(`${script} has no #! line`);
  const line = first.slice(2).trim();
  const space = line.indexOf(' ');
  return space === -1
    ? { command: line, args: [script, ...args] }
    : { command: line.slice(0, space), args: [line.slice(space + 1).trim(), script, ...args] };
}

/**
 * Tollbooth as the docs start it, `npx tollbooth serve`: npx executes the package's `bin`
 * script, which the kernel runs through its `#!` line — the Node flags the command itself sets
 * (`--max-old-space-size`) and nothing else. The child gets no NODE_OPTIONS (only PATH and the
 * variables above), so the memory it reports is what an operator gets. Under `--profile` the
 * same flags and script run with `--cpu-prof` added.
 */
export async function startTollbooth(
  environment: Record<string, string>,
  profileDirectory?: string,
  name = 'tollbooth',
): Promise<ServerProcess> {
  const bin = entry('../src/cli/index.js');
  let start = throughShebang(bin, ['serve']);
  if (profileDirectory) {
    const flags = start.args[0] === bin ? [] : start.args[0]!.split(/\s+/).filter((flag) => flag.startsWith('--'));
    start = { command: process.execPath, args: [...flags, ...profiling(profileDirectory), bin, 'serve'] };
  }
  return startServerProcess({ name, ...start, env: environment, port: Number(environment.PORT), readyPath: '/readyz' });
}

/** The example product API (issue 5), trusting Tollbooth's issuer for one service's audience. */
export async function startProductApi(issuer: string, audience: string, profileDirectory?: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: 'product-api',
    args: [...profiling(profileDirectory), entry('../examples/product-api/server.js')],
    env: { NODE_ENV: 'production', ISSUER_URL: issuer, AUDIENCE: audience, PORT: String(port), HOST: '127.0.0.1' },
    port,
    readyPath: '/v1/whoami',
  });
}

export const BASELINE_CLIENT = { id: 'bench-client', secret: randomBytes(24).toString('base64url'), scope: 'strings.read strings.write' };

export async function startOidcProviderBaseline(audience: string, profileDirectory?: string): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: 'oidc-provider',
    args: [...profiling(profileDirectory), entry('./baseline-oidc-provider.js')],
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      AUDIENCE: audience,
      CLIENT_ID: BASELINE_CLIENT.id,
      CLIENT_SECRET: BASELINE_CLIENT.secret,
      SCOPE: BASELINE_CLIENT.scope,
    },
    port,
    readyPath: '/.well-known/openid-configuration',
  });
}

export async function startKoaBaseline(): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: 'koa',
    args: [entry('./baseline-koa.js')],
    env: { NODE_ENV: 'production', PORT: String(port) },
    port,
    readyPath: '/v1/whoami',
  });
}
