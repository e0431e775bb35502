import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { TestClient } from '../support/http.js';
import { exchangeToken } from '../support/oauth.js';

/** An MCP client on the official SDK, as an agent host would build one. */
export function sdkClient(): Client {
  return new Client({ name: 'tollbooth-tests', version: '1.0.0' });
}

/** Connects an SDK client to `<server>/mcp` over Streamable HTTP with `Authorization: Bearer <jwt>`. */
export async function connectOverHttp(serverUrl: string, jwt: string | undefined): Promise<Client> {
  const client = sdkClient();
  const headers: Record<string, string> = jwt === undefined ? {} : { authorization: `Bearer ${jwt}` };
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', serverUrl), { requestInit: { headers } }));
  return client;
}

/** Exchanges a platform token for a JWT at the real token endpoint (optionally narrowing its scope). */
export async function jwtFor(http: TestClient, secret: string, scope?: string): Promise<string> {
  const response = await exchangeToken(http, secret, scope ? { scope } : {});
  expect(response.status).toBe(200);
  return response.body.access_token;
}

/** Calls a tool that should succeed and returns its structured content. */
export async function callOk<T = any>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  return result.structuredContent as T;
}

/** Calls a tool that should fail as a tool error and returns the error's structured content. */
export async function callFailing(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ error: { code: string; message: string; [fact: string]: unknown }; text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.isError).toBe(true);
  const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  return { error: (result.structuredContent as { error: any })?.error, text };
}

/** A raw JSON-RPC POST to `/mcp`, for what the SDK client hides (status codes, headers). */
export async function postMcp(serverUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL('/mcp', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const toolCall = (name: string, args: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name, arguments: args },
});
