import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../log/index.js';
import { ExchangedAccessToken } from './access-token.js';
import type { McpClientConfig } from './client-config.js';
import { remoteTokenOperations } from './remote-operations.js';
import { createMcpServer } from './tools.js';
import { tollboothVersion } from './version.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface StdioOptions {
  input: Readable;
  /** The protocol stream: nothing else may write to it. */
  output: Writable;
  logger: Logger;
}

/**
 * The token tools over stdio for an agent on a person's machine: each tool calls the
 * configured Tollbooth's management API with a JWT exchanged from the platform token. Ends
 * when the agent closes stdin.
 */
export async function serveMcpOverStdio(config: McpClientConfig, { input, output, logger }: StdioOptions): Promise<void> {
  const version = tollboothVersion();
  const userAgent = `tollbooth-mcp/${version} (stdio)`;
  const accessToken = new ExchangedAccessToken({ tollboothUrl: config.tollboothUrl, platformToken: config.platformToken, userAgent });
  const operations = remoteTokenOperations({ tollboothUrl: config.tollboothUrl, accessToken, userAgent });
  const server = createMcpServer(operations, { version, logger });
  const transport = new StdioServerTransport(input, output);
  transport.onerror = (error) => logger.warn({ err: error }, 'MCP stdio message refused');
  input.once('end', () => void server.close());
  await server.connect(transport);
  const { protocol, hostname } = new URL(config.tollboothUrl);
  if (protocol === 'http:' && !LOOPBACK_HOSTS.has(hostname)) {
    logger.warn(
      { tollbooth: config.tollboothUrl },
      'TOLLBOOTH_URL is plain http: the platform token and JWTs cross the network unencrypted',
    );
  }
  logger.info({ tollbooth: config.tollboothUrl }, 'serving the Tollbooth token tools over stdio');
}
