import { loadConfig, type Config } from '../config/index.js';
import { createLogger, type Logger } from '../log/logger.js';
import { loadMcpClientConfig, type McpClientConfig } from '../mcp/index.js';
import { startRuntime, type Runtime } from '../runtime.js';

/** The one place the CLI reads the process environment. */
export function configFromProcess(): Config {
  return loadConfig(process.env);
}

/** `tollbooth mcp` is a client of a running server: it reads its own variables, not the server's. */
export function mcpClientConfigFromProcess(): McpClientConfig {
  return loadMcpClientConfig(process.env);
}

/**
 * A runtime for one-shot commands: logs go to stderr so stdout stays the command's output.
 */
export async function commandRuntime(config: Config, { migrate }: { migrate: boolean }): Promise<Runtime> {
  const logger: Logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  return startRuntime(config, { migrate, logger });
}
