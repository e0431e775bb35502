import type { DataSource } from 'typeorm';
import type { Config } from './config/index.js';
import { openAndMigrate } from './db/index.js';
import { createLogger, type Logger } from './log/index.js';
import { createMetrics, type Metrics } from './metrics/index.js';

/**
 * What a running Tollbooth process holds: config, logger, database, and the shutdown
 * hooks capabilities register (flush last-used, stop timers). Shared by the server, the
 * CLI and the tests so they all start the same way.
 */
export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly dataSource: DataSource;
  readonly metrics: Metrics;
  /** Registers work to do on shutdown, run in reverse order before the database closes. */
  onClose(hook: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export interface StartRuntimeOptions {
  migrate: boolean;
  logger?: Logger;
}

export async function startRuntime(config: Config, options: StartRuntimeOptions): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const { dataSource, createdDatabase } = await openAndMigrate(config.database, { migrate: options.migrate });
  if (createdDatabase) logger.info({ database: createdDatabase }, 'created the database');
  const hooks: Array<() => Promise<void> | void> = [];
  let closing: Promise<void> | undefined;

  return {
    config,
    logger,
    dataSource,
    metrics: createMetrics(dataSource),
    onClose(hook) {
      hooks.push(hook);
    },
    close() {
      closing ??= (async () => {
        for (const hook of hooks.reverse()) {
          try {
            await hook();
          } catch (error) {
            logger.error({ err: error }, 'shutdown hook failed');
          }
        }
        if (dataSource.isInitialized) await dataSource.destroy();
      })();
      return closing;
    },
  };
}

export interface PeriodicJob {
  /** The first run, this long after the start. */
  firstAfterMs: number;
  /** Then every this long. */
  intervalMs: number;
  /** One run; a failure is the job's own to log (the next run is still made). */
  run(): Promise<unknown>;
}

/**
 * Runs `job` on a timer that keeps no process alive, until the runtime closes; closing waits
 * for a run in progress. Runs on several instances overlap: each job must be safe for that.
 */
export function runPeriodically(runtime: Runtime, job: PeriodicJob): void {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = job.run().catch(() => undefined);
  };
  const first = setTimeout(tick, job.firstAfterMs);
  const timer = setInterval(tick, job.intervalMs);
  first.unref();
  timer.unref();
  runtime.onClose(async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  });
}
