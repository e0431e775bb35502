import { parseArgs } from 'node:util';
import type { Config } from '../config/index.js';
import { DEMO_LOGIN, seedDemo } from '../demo/index.js';
import { startRuntime } from '../runtime.js';
import { startServer } from '../server.js';
import { createLogger } from '../log/index.js';
import { scheduleExpiryNotices } from '../notices/index.js';
import { scheduleRevocationPruning } from '../revocation/index.js';
import { applyHeapPolicy, heapLine } from './heap.js';

export const SERVE_HELP = `Usage: tollbooth serve [--migrate] [--demo]

Starts the HTTP server on HOST:PORT (default 0.0.0.0:3000).
  --migrate  apply pending migrations first (always done on the embedded SQLite default)
  --demo     seed the demo organization and user once, and print the login (implies --migrate)`;

export async function serveCommand(config: Config, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { migrate: { type: 'boolean' }, demo: { type: 'boolean' } }, strict: true });
  applyHeapPolicy();
  const logger = createLogger(config.logLevel);
  // Several instances share one MySQL: migrating is an explicit step there (tollbooth migrate),
  // never a race between instances starting at once.
  const migrate = Boolean(values.migrate || values.demo || config.database.kind === 'sqlite');
  const runtime = await startRuntime(config, { migrate, logger });
  const pending = await runtime.dataSource.showMigrations();
  if (pending) {
    await runtime.close();
    throw new Error('the database has pending migrations: run `tollbooth migrate` first (or serve --migrate)');
  }
  if (values.demo) await seedDemo(runtime.dataSource);

  const running = await startServer(runtime, { port: config.port, host: config.host });
  scheduleExpiryNotices(runtime);
  scheduleRevocationPruning(runtime);
  logger.info({ url: config.publicUrl, database: config.database.kind }, 'tollbooth listening');
  const lines = [
    `Tollbooth is running at ${config.publicUrl} (database: ${config.database.kind === 'sqlite' ? `SQLite ${config.database.path}` : 'MySQL'})`,
  ];
  lines.push(heapLine());
  if (values.demo) {
    lines.push(`Log in at ${config.publicUrl}/login as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
  }
  process.stderr.write(`\n${lines.join('\n')}\n\n`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
