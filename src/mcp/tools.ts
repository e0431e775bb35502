import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { READ_SCOPE, WRITE_SCOPE } from '../api/index.js';
import type { Logger } from '../log/index.js';
import type { TokenOperations } from './operations.js';
import { toolErrorOf, toolFailure, toolSuccess } from './tool-results.js';
import {
  createTokenArguments,
  createTokenOutput,
  listServicesOutput,
  listTokensArguments,
  listTokensOutput,
  revokeTokenOutput,
  tokenOutput,
  tokenTarget,
} from './tool-schemas.js';
import { createdTokenText, revokedTokenText, servicesText, tokenListText, tokenStatusText } from './tool-text.js';

/** Every tool and the scope its caller's JWT must carry: reading needs tokens.read, changing tokens.write. */
export const TOOL_SCOPES = {
  list_services: READ_SCOPE,
  list_tokens: READ_SCOPE,
  create_token: WRITE_SCOPE,
  revoke_token: WRITE_SCOPE,
  disable_token: WRITE_SCOPE,
  enable_token: WRITE_SCOPE,
} as const;

export type ToolName = keyof typeof TOOL_SCOPES;

export interface McpServerOptions {
  version: string;
  logger: Logger;
}

const INSTRUCTIONS = `Manages Tollbooth platform tokens: long-lived credentials (tbp_…) that scripts exchange for short-lived JWTs.
Every token tool takes the organization's slug. You act with your own role, capped by the role of the token you authenticated with:
members see and manage their own tokens, organization admins and owners every token of the organization.
create_token returns the new secret exactly once; hand it to the user to store, and never repeat it elsewhere.
Failed calls return isError with a stable error.code (token_limit_reached, token_not_found, insufficient_role, …).`;

/** Runs a tool body, turning any failure into an MCP tool error rather than a broken call. */
async function guarded(logger: Logger, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return toolFailure(toolErrorOf(error, logger));
  }
}

/**
 * An MCP server offering the token tools over `operations`. The same tools serve the
 * Streamable HTTP endpoint (operations on the database, one server per request) and
 * `tollbooth mcp` over stdio (operations through the management API).
 */
export function createMcpServer(operations: TokenOperations, { version, logger }: McpServerOptions): McpServer {
  const server = new McpServer({ name: 'tollbooth', title: 'Tollbooth', version }, { instructions: INSTRUCTIONS });
  const run = (body: () => Promise<CallToolResult>) => guarded(logger, body);

  server.registerTool(
    'list_services' satisfies ToolName,
    {
      title: 'List services',
      description: 'Lists the services (product APIs) a platform token can be bound to, with the scopes a token for each carries.',
      outputSchema: listServicesOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      run(async () => {
        const services = await operations.listServices();
        return toolSuccess({ services }, servicesText(services));
      }),
  );

  server.registerTool(
    'list_tokens' satisfies ToolName,
    {
      title: 'List tokens',
      description:
        'Lists platform tokens in an organization, newest first: your own, or with owner "all" every token (admins and owners). ' +
        'Shows each token’s id, name, service, role, status, expiry, last use and a 10-character prefix — never the secret.',
      inputSchema: listTokensArguments,
      outputSchema: listTokensOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ organization, query, service, status, owner }) =>
      run(async () => {
        const list = await operations.listTokens(organization, { q: query, service, status, owner });
        return toolSuccess({ ...list }, tokenListText(list));
      }),
  );

  server.registerTool(
    'create_token' satisfies ToolName,
    {
      title: 'Create token',
      description:
        'Creates a platform token for one service, valid for 730 days, and returns its secret once. ' +
        'Service, role and scopes cannot be changed later. Fails with token_limit_reached when you already hold 20 live tokens, ' +
        'and with platform_token_requires_session for the platform service (a person creates those, signed in).',
      inputSchema: createTokenArguments,
      outputSchema: createTokenOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ organization, ...request }) =>
      run(async () => {
        const { token, secret } = await operations.createToken(organization, request);
        return toolSuccess({ token, secret }, createdTokenText(token, secret));
      }),
  );

  server.registerTool(
    'revoke_token' satisfies ToolName,
    {
      title: 'Revoke (delete) token',
      description:
        'Deletes a platform token for good: it stops exchanging at once and cannot be restored (use disable_token to pause one). ' +
        'You can revoke your own tokens; organization admins and owners any token of the organization.',
      inputSchema: tokenTarget,
      outputSchema: revokeTokenOutput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ organization, token_id }) =>
      run(async () => {
        await operations.deleteToken(organization, token_id);
        return toolSuccess({ token_id, deleted: true }, revokedTokenText(token_id));
      }),
  );

  const statusTools = [
    {
      name: 'disable_token',
      status: 'disabled',
      title: 'Disable token',
      description:
        'Disables a platform token: it stops exchanging until enable_token turns it back on. Its owner, or an organization admin or owner, can.',
      destructiveHint: true,
    },
    {
      name: 'enable_token',
      status: 'active',
      title: 'Enable token',
      description:
        'Re-enables a disabled platform token. An expired or deleted token cannot be brought back; one an organization admin or owner disabled, only an admin or owner can enable (disabled_by_admin).',
      destructiveHint: false,
    },
  ] as const satisfies ReadonlyArray<{ name: ToolName; status: 'active' | 'disabled' } & Record<string, unknown>>;
  for (const { name, status, title, description, destructiveHint } of statusTools) {
    server.registerTool(
      name,
      {
        title,
        description,
        inputSchema: tokenTarget,
        outputSchema: tokenOutput,
        annotations: { readOnlyHint: false, destructiveHint, idempotentHint: true, openWorldHint: false },
      },
      ({ organization, token_id }) =>
        run(async () => {
          const token = await operations.setTokenStatus(organization, token_id, status);
          return toolSuccess({ token }, tokenStatusText(token));
        }),
    );
  }

  return server;
}
