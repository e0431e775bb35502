import { loadConfig, type Config } from '../config/index.js';
import { createLogger, type Logger } from '../log/index.js';
import type { McpClientConfig } from '../mcp/index.js';
import type { Runtime } from '../runtime.js';

/** The one place the CLI reads the process environment. */
export function configFromProcess(): Config {
  return loadConfig(process.env);
}

/**
 * `tollbooth mcp` is a client of a running server: it reads its own variables, not the
 * server's. Loaded on use, so other commands do not load the MCP SDK.
 */
export async function mcpClientConfigFromProcess(): Promise<McpClientConfig> {
  const { loadMcpClientConfig } = await import('../mcp/index.js');
  return loadMcpClientConfig(process.env);
}

/**
 * A runtime for one-shot commands: logs go to stderr so stdout stays the command's output.
 */
export async function commandRuntime(config: Config, { migrate }: { migrate: boolean }): Promise<Runtime> {
  const logger: Logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const { startRuntime } = await import('../runtime.js');
  return startRuntime(config, { migrate, logger });
}
