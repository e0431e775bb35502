import { TOOL_SCOPES, type ToolName } from './tools.js';

function toolCalled(message: unknown): ToolName | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  if (method !== 'tools/call' || typeof params?.name !== 'string') return undefined;
  return Object.hasOwn(TOOL_SCOPES, params.name) ? (params.name as ToolName) : undefined;
}

/**
 * The scopes a JSON-RPC request body (one message or a batch) needs that `granted` lacks. Only
 * a tool call needs a scope, the one of its tool; the handshake and `tools/list` need a valid
 * JWT alone, so an agent can always learn what it could do. Unknown tools are left to the MCP
 * server, which answers them as errors.
 */
export function missingScopes(body: unknown, granted: readonly string[]): string[] {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const needed = new Set(messages.map(toolCalled).flatMap((tool) => (tool ? [TOOL_SCOPES[tool]] : [])));
  return [...needed].filter((scope) => !granted.includes(scope));
}
