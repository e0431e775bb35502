import { z } from 'zod';
import { isWellFormedPlatformToken } from '../tokens/index.js';
import { validateEnvironment } from '../config/index.js';

/** What `tollbooth mcp` reads: it runs beside an agent as a client of a running Tollbooth, with no database. */
const mcpClientEnvironmentSchema = z.object({
  TOLLBOOTH_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL of a running Tollbooth (its PUBLIC_URL)' }),
  TOLLBOOTH_TOKEN: z
    .string({ error: 'must be set to a platform token (tbp_…) for the platform service' })
    .refine(isWellFormedPlatformToken, 'must be a whole platform token (tbp_… with a valid checksum)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export interface McpClientConfig {
  /** The Tollbooth to manage tokens on, without a trailing slash. */
  readonly tollboothUrl: string;
  /** The platform token the client exchanges for JWTs. Never logged. */
  readonly platformToken: string;
  readonly logLevel: string;
}

/** Validates the MCP client's environment; the message names every bad variable, never a value. */
export function loadMcpClientConfig(source: NodeJS.ProcessEnv): McpClientConfig {
  const environment = validateEnvironment(mcpClientEnvironmentSchema, source);
  return {
    tollboothUrl: environment.TOLLBOOTH_URL.replace(/\/+$/, ''),
    platformToken: environment.TOLLBOOTH_TOKEN,
    logLevel: environment.LOG_LEVEL,
  };
}
