import { loadConfig, type Config } from '../config/index.js';
import { createLogger, type Logger } from '../log/index.js';
import { startRuntime, type Runtime } from '../runtime.js';

/** The one place the CLI reads the process environment. */
export function configFromProcess(): Config {
  return loadConfig(process.env);
}

/**
 * A runtime for one-shot commands: logs go to stderr so stdout stays the command's output.
 */
export async function commandRuntime(config: Config, { migrate }: { migrate: boolean }): Promise<Runtime> {
  const logger: Logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  return startRuntime(config, { migrate, logger });
}
