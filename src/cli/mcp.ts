import { parseArgs } from 'node:util';
import { createLogger } from '../log/index.js';
import { serveMcpOverStdio, type McpClientConfig } from '../mcp/index.js';

export const MCP_HELP = `Usage: tollbooth mcp

Serves Tollbooth's token tools (list_services, list_tokens, create_token, revoke_token,
disable_token, enable_token) to a local AI agent over stdio (Model Context Protocol).
It is a client of a running Tollbooth and needs no database:
  TOLLBOOTH_URL    the Tollbooth to manage tokens on (its PUBLIC_URL)
  TOLLBOOTH_TOKEN  a platform token (tbp_…) for the platform service; it is exchanged for
                   4-hour JWTs, renewed before they expire
  LOG_LEVEL        default warn; logs go to stderr (stdout carries the protocol)`;

export async function mcpCommand(config: () => Promise<McpClientConfig>, args: string[]): Promise<void> {
  parseArgs({ args, options: {}, strict: true });
  const settings = await config();
  const logger = createLogger(settings.logLevel, process.stderr);
  await serveMcpOverStdio(settings, { input: process.stdin, output: process.stdout, logger });
}
