import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/index.js';
import { mintPlatformToken } from '../../src/tokens/index.js';
import { buildToken, buildUser, withWrongChecksum, type BuiltUser } from '../support/factories.js';
import type { TestClient } from '../support/http.js';
import { eventually } from '../support/eventually.js';
import { useServer } from '../support/fixture.js';
import { exchangeToken, expectOAuthError } from '../support/oauth.js';
import { callFailing, callOk, sdkClient } from './support.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli', 'index.js');

/** `tollbooth mcp` as an agent host starts it: a child process speaking MCP on stdin/stdout. */
async function connectOverStdio(env: Record<string, string>): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, 'mcp'],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  const lines: string[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const client = sdkClient();
  await client.connect(transport);
  return { client, stderr: () => lines.join('') };
}

describe('tollbooth mcp (stdio)', () => {
  const fixture = useServer();
  let dataSource: DataSource;
  let http: TestClient;
  let url: string;
  let member: BuiltUser;
  let platformTokenId: string;
  let agent: Client;
  let agentStderr: () => string;
  const org = 'stdio-org';

  beforeAll(async () => {
    dataSource = fixture.dataSource;
    http = fixture.client();
    url = fixture.server.url;
    member = await buildUser(dataSource, { organization: org, role: 'member' });
    const platform = await buildToken(dataSource, member, { service: 'platform', name: 'desktop agent' });
    platformTokenId = platform.id;
    ({ client: agent, stderr: agentStderr } = await connectOverStdio({
      TOLLBOOTH_URL: url,
      TOLLBOOTH_TOKEN: platform.secret,
      LOG_LEVEL: 'info',
    }));
  });
  afterAll(async () => {
    await agent?.close();
  });

  it('offers the same six tools as the HTTP endpoint', async () => {
    const { tools } = await agent.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'create_token',
      'disable_token',
      'enable_token',
      'list_services',
      'list_tokens',
      'revoke_token',
    ]);
    expect(tools.every((tool) => tool.outputSchema?.type === 'object')).toBe(true);
  });

  it('manages a token end to end: create (secret once), list (no secret), disable, enable, revoke', async () => {
    const { token, secret } = await callOk(agent, 'create_token', { organization: org, name: 'from the desktop', service: 'strings' });
    expect((await exchangeToken(http, secret)).status).toBe(200);

    const listed = await agent.callTool({ name: 'list_tokens', arguments: { organization: org } });
    expect((listed.structuredContent as { tokens: Array<{ id: string }> }).tokens.map((listedToken) => listedToken.id)).toContain(token.id);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(10));

    expect((await callOk(agent, 'disable_token', { organization: org, token_id: token.id })).token.status).toBe('disabled');
    expectOAuthError(await exchangeToken(http, secret), 400, 'invalid_grant');
    expect((await callOk(agent, 'enable_token', { organization: org, token_id: token.id })).token.status).toBe('active');
    await callOk(agent, 'revoke_token', { organization: org, token_id: token.id });
    expectOAuthError(await exchangeToken(http, secret), 400, 'invalid_grant');
  });

  it('is audited by the server with the platform token behind the JWT and the stdio client’s User-Agent', async () => {
    const { token } = await callOk(agent, 'create_token', { organization: org, name: 'audited from stdio', service: 'tms' });
    const [event] = await dataSource.query('SELECT details, user_agent FROM audit_events WHERE token_id = ? AND action = ?', [
      token.id,
      'token.created',
    ]);
    expect(JSON.parse(event.details)).toMatchObject({ via: 'api', credential_token_id: platformTokenId });
    expect(event.user_agent).toMatch(/^tollbooth-mcp\/\S+ \(stdio\)$/);
  });

  it('answers with the API’s stable codes as tool errors', async () => {
    const theirs = await buildToken(dataSource, await buildUser(dataSource, { organization: org }), { name: 'another member’s' });
    expect((await callFailing(agent, 'revoke_token', { organization: org, token_id: theirs.id })).error.code).toBe('token_not_found');
    expect((await callFailing(agent, 'list_tokens', { organization: org, owner: 'all' })).error.code).toBe('insufficient_role');
    expect((await callFailing(agent, 'create_token', { organization: org, name: 'x', service: 'nope' })).error.code).toBe(
      'unknown_service',
    );
  });

  it.each([
    ['a token id that climbs out of the path', { organization: org, token_id: '../../../services' }, 'token_not_found'],
    [
      'an organization that climbs out of the path',
      { organization: '..', token_id: '00000000-0000-4000-8000-000000000000' },
      'organization_not_found',
    ],
  ])('refuses %s before calling the API', async (_case, args, code) => {
    expect((await callFailing(agent, 'disable_token', args)).error.code).toBe(code);
  });

  it('logs to stderr only', async () => {
    await eventually(async () => (agentStderr().includes('serving the Tollbooth token tools over stdio') ? true : undefined), {
      what: 'the start-up log line on stderr',
    });
  });

  it('reports a refused TOLLBOOTH_TOKEN as a tool error and keeps the session', async () => {
    const { client } = await connectOverStdio({ TOLLBOOTH_URL: url, TOLLBOOTH_TOKEN: mintPlatformToken() });
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const { error } = await callFailing(client, 'list_services', {});
        expect(error).toMatchObject({ code: 'token_exchange_failed', error: 'invalid_grant' });
      }
      expect((await client.listTools()).tools).toHaveLength(6);
    } finally {
      await client.close();
    }
  });

  it('refuses a token for another service with invalid_target', async () => {
    const strings = await buildToken(dataSource, member, { service: 'strings' });
    const { client } = await connectOverStdio({ TOLLBOOTH_URL: url, TOLLBOOTH_TOKEN: strings.secret });
    try {
      expect((await callFailing(client, 'list_services', {})).error).toMatchObject({
        code: 'token_exchange_failed',
        error: 'invalid_target',
      });
    } finally {
      await client.close();
    }
  });

  it.each([
    ['no TOLLBOOTH_URL', { TOLLBOOTH_TOKEN: mintPlatformToken() }, 'TOLLBOOTH_URL'],
    ['no TOLLBOOTH_TOKEN', { TOLLBOOTH_URL: 'http://127.0.0.1:1' }, 'TOLLBOOTH_TOKEN'],
    [
      'a mistyped TOLLBOOTH_TOKEN',
      { TOLLBOOTH_URL: 'http://127.0.0.1:1', TOLLBOOTH_TOKEN: withWrongChecksum(mintPlatformToken()) },
      'TOLLBOOTH_TOKEN',
    ],
  ])('exits 78 on %s, naming the variable on stderr and never echoing the token', (_case, env, variable) => {
    const result = spawnSync(process.execPath, [cli, 'mcp'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(variable);
    if ('TOLLBOOTH_TOKEN' in env) expect(result.stderr).not.toContain(env.TOLLBOOTH_TOKEN.slice(4));
  });

  it.each([
    ['warns', 'http://tollbooth.example', true],
    ['does not warn', 'http://127.0.0.1:1', false],
    ['does not warn', 'https://tollbooth.example', false],
  ])('%s about plain http for TOLLBOOTH_URL=%s', (_verdict, tollboothUrl, warned) => {
    const result = spawnSync(process.execPath, [cli, 'mcp'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TOLLBOOTH_URL: tollboothUrl, TOLLBOOTH_TOKEN: mintPlatformToken() },
      input: '',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stderr.includes('TOLLBOOTH_URL is plain http')).toBe(warned);
  });

  it('writes nothing but JSON-RPC messages to stdout', async () => {
    const platform = await buildToken(dataSource, member, { service: 'platform' });
    const child = spawn(process.execPath, [cli, 'mcp'], {
      env: { PATH: process.env.PATH ?? '', TOLLBOOTH_URL: url, TOLLBOOTH_TOKEN: platform.secret, LOG_LEVEL: 'debug' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_tokens', arguments: { organization: org } } });
    await eventually(async () => (lines.length >= 2 ? true : undefined), { what: 'two answers on stdout' });
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    expect(lines.map((line) => JSON.parse(line).id)).toEqual([1, 2]);
    expect(JSON.parse(lines[1]!).result.isError).toBeUndefined();
  });
});
