import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isDatabaseUnavailableError } from '../db/index.js';
import { TemporarilyUnavailable, TollboothError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import type { ToolError } from './tool-schemas.js';

/** A successful call: the structured result, and the same facts as text for hosts that show only text. */
export function toolSuccess(structured: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/**
 * The error a failed call reports: a domain error keeps its stable code and facts; a database
 * outage is `temporarily_unavailable`; anything else is `internal_error`, logged, its message
 * kept inside (it may name internals).
 */
export function toolErrorOf(error: unknown, logger: Logger): ToolError {
  if (!(error instanceof TollboothError) && isDatabaseUnavailableError(error)) return toolErrorOf(new TemporarilyUnavailable(), logger);
  if (error instanceof TollboothError) return { ...error.extra, code: error.code, message: error.message };
  logger.error({ err: error }, 'MCP tool failed');
  return { code: 'internal_error', message: 'An unexpected error occurred.' };
}

/** MCP reports a failed call as a tool result with `isError`, so the agent can read why and go on. */
export function toolFailure(error: ToolError): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `Error ${error.code}: ${error.message}` }], structuredContent: { error } };
}
