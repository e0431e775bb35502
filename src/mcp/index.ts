/**
 * The token tools over the Model Context Protocol: Streamable HTTP at `/mcp` on the server
 * (with RFC 9728 protected-resource metadata), and `tollbooth mcp` over stdio for desktop
 * agents, both offering the same tools.
 */
export { mcpRoutes } from './http.js';
export { createMcpServer, TOOL_SCOPES, type ToolName } from './tools.js';
export { MCP_PATH, PROTECTED_RESOURCE_METADATA_PATHS, protectedResource } from './protected-resource.js';
export type { TokenOperations } from './operations.js';
export { serveMcpOverStdio } from './stdio.js';
export { loadMcpClientConfig, type McpClientConfig } from './client-config.js';
export { ExchangedAccessToken } from './access-token.js';
