import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Context, Middleware, Next } from 'koa';
import getRawBody from 'raw-body';
import type { AuthenticateBearer, BearerIdentity } from '../api/index.js';
import { isDatabaseUnavailableError } from '../db/index.js';
import { clientAddress, type AppState } from '../http/index.js';
import type { Runtime } from '../runtime.js';
import { localTokenOperations } from './local-operations.js';
import { bearerChallenge, MCP_PATH, PROTECTED_RESOURCE_METADATA_PATHS, protectedResource } from './protected-resource.js';
import { missingScopes } from './scope-check.js';
import { createMcpServer } from './tools.js';
import { tollboothVersion } from './version.js';

/** A JSON-RPC message to this endpoint is a small object; 64 kB leaves room and stops floods. */
const BODY_LIMIT = '64kb';
const METADATA_MAX_AGE_SECONDS = 300;
/** RFC 6750 §2.1: `Bearer` (any case) followed by a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

type McpContext = Context & { state: AppState };

/** JSON-RPC 2.0 error object for answers given before the MCP server runs. */
function jsonRpcError(ctx: McpContext, status: number, code: number, message: string): void {
  ctx.status = status;
  ctx.body = { jsonrpc: '2.0', error: { code, message }, id: null };
}

/** RFC 6750 §3 error answer: the challenge header and an OAuth-style JSON body. */
function refuse(ctx: McpContext, status: 401 | 403, challenge: string, error?: { error: string; error_description: string }): void {
  ctx.status = status;
  ctx.set('WWW-Authenticate', challenge);
  ctx.body = error ?? {
    error: 'unauthenticated',
    error_description: 'Send Authorization: Bearer <a Tollbooth JWT for the platform service>.',
  };
}

/**
 * Reads and parses the body whatever its declared type: the MCP server is always handed the
 * parsed body, so it never reads one the scope check has not seen. (It still answers 415 for a
 * body not declared as JSON.)
 */
async function readJson(ctx: McpContext): Promise<{ body: unknown } | { status: number; message: string; code: number }> {
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: BODY_LIMIT, encoding: 'utf8' });
  } catch (error) {
    const tooLarge = (error as { type?: string }).type === 'entity.too.large';
    return tooLarge
      ? { status: 413, code: -32600, message: `The request body exceeds ${BODY_LIMIT}.` }
      : { status: 400, code: -32700, message: 'Parse error: the request body could not be read.' };
  }
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { status: 400, code: -32700, message: 'Parse error: the request body is not valid JSON.' };
  }
}

/**
 * MCP over Streamable HTTP at `/mcp`, and its RFC 9728 protected-resource metadata. Stateless:
 * every POST gets a fresh MCP server bound to the caller's verified JWT, answered as JSON.
 * Authentication and scopes are checked here, at the HTTP layer, so a client learns what to
 * fix from the status and the `WWW-Authenticate` challenge (MCP authorization: 401 without a
 * valid token, 403 `insufficient_scope` for a tool its token may not call).
 */
export function mcpRoutes(runtime: Runtime, { authenticateBearer }: { authenticateBearer?: AuthenticateBearer }): Middleware {
  const { config, dataSource, metrics } = runtime;
  const { metadata, metadataUrl } = protectedResource(config);
  const allowedOrigin = new URL(config.publicUrl).origin;

  async function authenticate(ctx: McpContext): Promise<BearerIdentity | undefined> {
    const header = ctx.get('Authorization');
    if (!header) {
      refuse(ctx, 401, bearerChallenge(metadataUrl));
      return undefined;
    }
    const jwt = BEARER.exec(header.trim())?.[1];
    const identity = jwt && authenticateBearer ? await authenticateBearer(jwt) : null;
    if (identity) return identity;
    const error = {
      error: 'invalid_token',
      error_description: 'The bearer token is malformed, expired, revoked or not a Tollbooth JWT for the platform service.',
    };
    refuse(ctx, 401, bearerChallenge(metadataUrl, { error: error.error, description: error.error_description }), error);
    return undefined;
  }

  async function handle(ctx: McpContext): Promise<void> {
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method !== 'POST') {
      // Stateless: there is no session to stream to (GET) or to end (DELETE).
      ctx.set('Allow', 'POST');
      return jsonRpcError(ctx, 405, -32000, 'Method not allowed: this MCP endpoint is stateless; send every message as a POST.');
    }
    const identity = await authenticate(ctx);
    if (!identity) return;
    const parsed = await readJson(ctx);
    if (!('body' in parsed)) return jsonRpcError(ctx, parsed.status, parsed.code, parsed.message);
    const missing = missingScopes(parsed.body, identity.scopes);
    if (missing.length > 0) {
      const scope = missing.join(' ');
      const description = `This tool needs the ${scope} scope; exchange a platform token for a JWT that carries it.`;
      return refuse(ctx, 403, bearerChallenge(metadataUrl, { error: 'insufficient_scope', description, scope }), {
        error: 'insufficient_scope',
        error_description: description,
      });
    }

    const operations = localTokenOperations(
      { dataSource, services: config.services, metrics },
      { identity, ip: clientAddress(ctx) || null, userAgent: ctx.get('User-Agent') || null },
    );
    const server = createMcpServer(operations, { version: tollboothVersion(), logger: ctx.state.log });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      // The MCP transport's DNS-rebinding guard: a browser page from another origin is refused.
      enableDnsRebindingProtection: true,
      allowedOrigins: [allowedOrigin],
    });
    ctx.respond = false;
    ctx.res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(ctx.req, ctx.res, parsed.body);
    } catch (error) {
      // Koa no longer answers for this request: end it here rather than leave the client waiting.
      ctx.state.log.error({ err: error }, 'MCP request failed');
      if (!ctx.res.headersSent) ctx.res.writeHead(500, { 'Content-Type': 'application/json' });
      ctx.res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
    }
  }

  return async function mcpEndpoint(ctx: McpContext, next: Next): Promise<void> {
    if (PROTECTED_RESOURCE_METADATA_PATHS.includes(ctx.path) && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      ctx.set('Cache-Control', `public, max-age=${METADATA_MAX_AGE_SECONDS}`);
      // RFC 9728 §3: a public document, readable from any origin.
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.body = metadata;
      return;
    }
    if (ctx.path !== MCP_PATH) return next();
    try {
      await handle(ctx);
    } catch (error) {
      if (!isDatabaseUnavailableError(error)) throw error;
      ctx.set('Retry-After', '5');
      jsonRpcError(ctx, 503, -32000, 'Tollbooth is temporarily unavailable; try again shortly.');
    }
  };
}
