import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DataSource } from 'typeorm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_SCOPES } from '../../src/mcp/index.js';
import { addMembership, buildToken, buildUser, changeRoleAsOperator, type BuiltUser } from '../support/factories.js';
import type { TestClient } from '../support/http.js';
import { useServer } from '../support/fixture.js';
import { exchangeToken, expectOAuthError } from '../support/oauth.js';
import { callFailing, callOk, connectOverHttp, jwtFor, postMcp, toolCall } from './support.js';

const TOOLS = ['create_token', 'disable_token', 'enable_token', 'list_services', 'list_tokens', 'revoke_token'];

describe('MCP over Streamable HTTP', () => {
  const fixture = useServer({ captureLogs: true });
  let dataSource: DataSource;
  let http: TestClient;
  let url: string;
  let member: BuiltUser;
  let otherMember: BuiltUser;
  let admin: BuiltUser;
  const clients: Client[] = [];

  const platformTokens = new Map<string, { secret: string; id: string }>();

  /**
   * A fresh JWT for `user`, optionally narrowed or with a lower role, exchanged from one
   * platform-service token per user and role (so tests do not spend the user's cap).
   */
  async function jwtOf(user: BuiltUser, options: { scope?: string; role?: BuiltUser['role'] } = {}) {
    const key = `${user.id} ${options.role ?? ''}`;
    let platform = platformTokens.get(key);
    if (!platform) {
      platform = await buildToken(dataSource, user, { service: 'platform', role: options.role });
      platformTokens.set(key, platform);
    }
    return { jwt: await jwtFor(http, platform.secret, options.scope), platformTokenId: platform.id };
  }

  /** An SDK client authenticated as `user`. */
  async function agentFor(user: BuiltUser, options: { scope?: string; role?: BuiltUser['role'] } = {}) {
    const { jwt, platformTokenId } = await jwtOf(user, options);
    const client = await connectOverHttp(url, jwt);
    clients.push(client);
    return { client, jwt, platformTokenId };
  }

  const org = 'mcp-org';

  beforeAll(async () => {
    dataSource = fixture.dataSource;
    http = fixture.client();
    url = fixture.server.url;
    member = await buildUser(dataSource, { organization: org, role: 'member' });
    otherMember = await buildUser(dataSource, { organization: org, role: 'member' });
    admin = await buildUser(dataSource, { organization: org, role: 'admin' });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  describe('discovery', () => {
    it('lists the six tools, each with described arguments, an output schema and annotations', async () => {
      const { client } = await agentFor(member);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
      expect(Object.keys(TOOL_SCOPES).sort()).toEqual(TOOLS);
      for (const tool of tools) {
        expect(tool.description?.length, tool.name).toBeGreaterThan(40);
        expect(tool.inputSchema.type, tool.name).toBe('object');
        for (const [name, property] of Object.entries(tool.inputSchema.properties ?? {})) {
          expect((property as { description?: string }).description, `${tool.name}.${name}`).toBeTruthy();
        }
        expect(tool.outputSchema?.type, tool.name).toBe('object');
        expect(tool.annotations?.readOnlyHint, tool.name).toBe(tool.name.startsWith('list_'));
      }
    });

    it.each([
      ['create_token', ['organization', 'name', 'service', 'role', 'description', 'scopes'], ['organization', 'name', 'service']],
      ['revoke_token', ['organization', 'token_id'], ['organization', 'token_id']],
      ['list_tokens', ['organization', 'query', 'service', 'status', 'owner'], ['organization']],
    ])('describes %s’s arguments %j, requiring %j and refusing others', async (name, properties, required) => {
      const { client } = await agentFor(member);
      const tool = (await client.listTools()).tools.find((candidate) => candidate.name === name)!;
      expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(properties);
      expect(tool.inputSchema.required).toEqual(required);
      expect(tool.inputSchema).toMatchObject({ additionalProperties: false });
    });

    it.each([
      ['revoke_token', { destructiveHint: true, idempotentHint: true }],
      ['disable_token', { destructiveHint: true, idempotentHint: true }],
      ['enable_token', { destructiveHint: false, idempotentHint: true }],
      ['create_token', { destructiveHint: false, idempotentHint: false }],
    ])('annotates %s with %j', async (name, hints) => {
      const { client } = await agentFor(member);
      const tool = (await client.listTools()).tools.find((candidate) => candidate.name === name)!;
      expect(tool.annotations).toMatchObject({ readOnlyHint: false, ...hints });
    });

    it('lists the services a token can be bound to', async () => {
      const { client } = await agentFor(member);
      const { services } = await callOk(client, 'list_services');
      expect(services.map((service: { id: string }) => service.id)).toEqual(['strings', 'tms', 'platform']);
      expect(services[0]).toEqual({
        id: 'strings',
        name: 'Strings',
        audience: expect.any(String),
        scopes: ['strings.read', 'strings.write'],
      });
    });
  });

  describe('managing tokens', () => {
    it('creates a token whose secret is returned once, in the result only, and exchanges', async () => {
      const { client } = await agentFor(member);
      const result = await client.callTool({
        name: 'create_token',
        arguments: { organization: org, name: 'CI deploy', service: 'strings' },
      });
      const { token, secret } = result.structuredContent as { token: { id: string; prefix: string }; secret: string };
      expect(secret).toMatch(/^tbp_[0-9A-Za-z]{38}$/);
      expect(token).toMatchObject({ name: 'CI deploy', service: 'strings', role: 'member', status: 'active', prefix: secret.slice(0, 10) });
      expect(JSON.stringify(result.content)).toContain(secret);
      expect((await exchangeToken(http, secret)).status).toBe(200);

      const listed = await client.callTool({ name: 'list_tokens', arguments: { organization: org } });
      expect(listed.structuredContent).toMatchObject({ tokens: expect.arrayContaining([expect.objectContaining({ id: token.id })]) });
      expect(JSON.stringify(listed)).not.toContain(secret);
      expect(JSON.stringify(listed)).not.toContain(secret.slice(10));
    });

    it('keeps the secret out of the logs and the audit trail', async () => {
      const { client } = await agentFor(member);
      const { secret } = await callOk(client, 'create_token', { organization: org, name: 'kept secret', service: 'tms' });
      const audit = await dataSource.query('SELECT * FROM audit_events');
      expect(JSON.stringify(audit)).not.toContain(secret.slice(10));
      expect(fixture.server.logs()).toContain('"path":"/mcp"');
      expect(fixture.server.logs()).not.toContain(secret.slice(10));
    });

    it('audits a change as made through MCP by the platform token behind the JWT', async () => {
      const { client, platformTokenId } = await agentFor(member);
      const { token } = await callOk(client, 'create_token', { organization: org, name: 'audited via mcp', service: 'strings' });
      await callOk(client, 'disable_token', { organization: org, token_id: token.id });
      const events: Array<{ action: string; actor_user_id: string; details: string; user_agent: string | null }> = await dataSource.query(
        'SELECT action, actor_user_id, details, user_agent FROM audit_events WHERE token_id = ? ORDER BY id',
        [token.id],
      );
      expect(events.map((event) => event.action)).toEqual(['token.created', 'token.disabled']);
      for (const event of events) {
        expect(event.actor_user_id).toBe(member.id);
        expect(JSON.parse(event.details)).toMatchObject({ via: 'mcp', credential_token_id: platformTokenId });
      }
    });

    it('filters the list like the API: by name, service and status', async () => {
      const user = await buildUser(dataSource, { organization: org });
      const { client } = await agentFor(user);
      await callOk(client, 'create_token', { organization: org, name: 'nightly export', service: 'strings' });
      const { token: paused } = await callOk(client, 'create_token', { organization: org, name: 'nightly import', service: 'tms' });
      await callOk(client, 'disable_token', { organization: org, token_id: paused.id });
      const names = async (filters: Record<string, string>) =>
        (await callOk(client, 'list_tokens', { organization: org, ...filters })).tokens.map((token: { name: string }) => token.name);
      expect(await names({ query: 'NIGHTLY' })).toEqual(['nightly import', 'nightly export']);
      expect(await names({ service: 'strings' })).toEqual(['nightly export']);
      expect(await names({ status: 'disabled' })).toEqual(['nightly import']);
      expect(await callOk(client, 'list_tokens', { organization: org })).toMatchObject({ count: 3, limit: 20 });
    });

    it('disables a token so it stops exchanging, and enables it again', async () => {
      const { client } = await agentFor(member);
      const { token, secret } = await callOk(client, 'create_token', { organization: org, name: 'paused', service: 'strings' });
      expect((await callOk(client, 'disable_token', { organization: org, token_id: token.id })).token.status).toBe('disabled');
      expectOAuthError(await exchangeToken(http, secret), 400, 'invalid_grant');
      expect((await callOk(client, 'enable_token', { organization: org, token_id: token.id })).token.status).toBe('active');
      expect((await exchangeToken(http, secret)).status).toBe(200);
    });

    it('shows a token above its owner’s lowered role as suspended, in the result and in the text an agent reads', async () => {
      const lowered = await buildUser(dataSource, { organization: org, role: 'manager' });
      const above = await buildToken(dataSource, lowered, { name: 'lowered manager CI', role: 'manager' });
      const within = await buildToken(dataSource, lowered, { name: 'lowered viewer CI', role: 'viewer' });
      await changeRoleAsOperator(dataSource, lowered, 'viewer');
      const { client } = await agentFor(admin);

      const result = (await client.callTool({
        name: 'list_tokens',
        arguments: { organization: org, owner: 'all', query: 'lowered' },
      })) as CallToolResult;

      const tokens = (result.structuredContent as { tokens: { id: string; status: string; suspended: unknown }[] }).tokens;
      expect(tokens.map(({ id, status, suspended }) => ({ id, status, suspended }))).toEqual([
        { id: within.id, status: 'active', suspended: null },
        { id: above.id, status: 'active', suspended: { reason: 'above_owner_role', owner_role: 'viewer' } },
      ]);
      const lines = result.content.flatMap((part) => (part.type === 'text' ? part.text.split('\n') : []));
      const note = "(suspended: its role is above its owner's current role, viewer, so it does not exchange until that role is given back)";
      expect(lines.find((line) => line.includes(above.id))).toContain(note);
      expect(lines.find((line) => line.includes(within.id))).not.toContain('suspended');
    });

    it('revokes a token for good: it no longer exchanges, and a second revoke finds nothing', async () => {
      const { client } = await agentFor(member);
      const { token, secret } = await callOk(client, 'create_token', { organization: org, name: 'short-lived', service: 'strings' });
      expect(await callOk(client, 'revoke_token', { organization: org, token_id: token.id })).toEqual({
        token_id: token.id,
        deleted: true,
      });
      expectOAuthError(await exchangeToken(http, secret), 400, 'invalid_grant');
      expect((await callFailing(client, 'revoke_token', { organization: org, token_id: token.id })).error.code).toBe('token_not_found');
    });
  });

  describe('the rules of the management API', () => {
    it.each([
      ['revoke_token', 'token_not_found'],
      ['disable_token', 'token_not_found'],
      ['enable_token', 'token_not_found'],
    ])('a member cannot reach another member’s token with %s (%s)', async (tool, code) => {
      const theirs = await buildToken(dataSource, otherMember, { name: `theirs for ${tool}` });
      const { client } = await agentFor(member);
      expect((await callFailing(client, tool, { organization: org, token_id: theirs.id })).error.code).toBe(code);
      expect((await exchangeToken(http, theirs.secret)).status).toBe(200);
    });

    it('shows a member only their own tokens, and refuses them the whole organization (insufficient_role)', async () => {
      const theirs = await buildToken(dataSource, otherMember, { name: 'not yours to see' });
      const { client } = await agentFor(member);
      const { tokens } = await callOk(client, 'list_tokens', { organization: org });
      expect(tokens.map((token: { id: string }) => token.id)).not.toContain(theirs.id);
      expect(tokens.every((token: { owner: { id: string } }) => token.owner.id === member.id)).toBe(true);
      expect((await callFailing(client, 'list_tokens', { organization: org, owner: 'all' })).error.code).toBe('insufficient_role');
    });

    it('lets an admin see and revoke a member’s token', async () => {
      const theirs = await buildToken(dataSource, otherMember, { name: 'admin may revoke' });
      const { client } = await agentFor(admin);
      const { tokens } = await callOk(client, 'list_tokens', { organization: org, owner: 'all' });
      expect(tokens.map((token: { id: string }) => token.id)).toContain(theirs.id);
      await callOk(client, 'revoke_token', { organization: org, token_id: theirs.id });
      expectOAuthError(await exchangeToken(http, theirs.secret), 400, 'invalid_grant');
    });

    it('acts with the lower of the token’s and the person’s role (role_exceeds_membership)', async () => {
      const { client } = await agentFor(admin, { role: 'viewer' });
      const refused = await callFailing(client, 'create_token', { organization: org, name: 'escalate', service: 'strings', role: 'admin' });
      expect(refused.error.code).toBe('role_exceeds_membership');
      expect((await callFailing(client, 'list_tokens', { organization: org, owner: 'all' })).error.code).toBe('insufficient_role');
    });

    it('acts only inside the organization of the JWT’s token (organization_not_found)', async () => {
      const roaming = await buildUser(dataSource, { organization: org, role: 'owner' });
      await addMembership(dataSource, roaming.id, 'mcp-elsewhere', 'owner');
      const { client } = await agentFor(roaming);
      expect((await callFailing(client, 'list_tokens', { organization: 'mcp-elsewhere' })).error.code).toBe('organization_not_found');
    });

    it('refuses the 21st live token with token_limit_reached, as a tool error', async () => {
      const busy = await buildUser(dataSource, { organization: org });
      const { client } = await agentFor(busy);
      for (let index = 1; index < 20; index += 1) await buildToken(dataSource, busy, { name: `filler ${index}` });
      const { error, text } = await callFailing(client, 'create_token', { organization: org, name: 'one too many', service: 'strings' });
      expect(error).toEqual({ code: 'token_limit_reached', message: expect.any(String), limit: 20 });
      expect(text).toContain('token_limit_reached');
    });

    it.each([
      ['an unknown service', 'unknown_service', 'create_token', { organization: org, name: 'x', service: 'nope' }],
      ['an unprintable name', 'invalid_request', 'create_token', { organization: org, name: 'a\u202Eb', service: 'strings' }],
      ['an unknown service filter', 'unknown_service', 'list_tokens', { organization: org, service: 'nope' }],
      ['a token id that is no id', 'token_not_found', 'disable_token', { organization: org, token_id: 'not-a-uuid' }],
      ['an organization that does not exist', 'organization_not_found', 'list_tokens', { organization: 'no-such-org' }],
    ])('answers %s with a tool error coded %s', async (_case, code, tool, args) => {
      const { client } = await agentFor(member);
      expect((await callFailing(client, tool, args)).error.code).toBe(code);
    });

    it.each([
      ['a missing argument', 'create_token', { organization: org, name: 'no service' }, /service/],
      ['an argument of the wrong type', 'list_tokens', { organization: 42 }, /organization/],
      [
        'an argument the tool does not have',
        'create_token',
        { organization: org, name: 'x', service: 'strings', allowed_networks: ['10.0.0.0/8'] },
        /allowed_networks/,
      ],
      [
        'a scope the service does not have',
        'create_token',
        { organization: org, name: 'x', service: 'strings', scopes: ['tms.read'] },
        /tms\.read/,
      ],
      ['a status that does not exist', 'list_tokens', { organization: org, status: 'gone' }, /status/],
    ])('answers %s with a tool error naming it, not a failed request', async (_case, tool, args, mentioned) => {
      const { client } = await agentFor(member);
      const { text } = await callFailing(client, tool, args);
      expect(text).toMatch(mentioned);
    });

    it('answers an unknown tool as an error and keeps serving', async () => {
      const { client } = await agentFor(member);
      const result = await client.callTool({ name: 'drop_database', arguments: {} });
      expect(result.isError).toBe(true);
      expect((await callOk(client, 'list_services')).services).toHaveLength(3);
    });
  });

  describe('authentication (RFC 6750, RFC 9728)', () => {
    const metadataUrl = () => `${url}/.well-known/oauth-protected-resource/mcp`;

    it('answers a call without a token with 401 and a challenge naming the metadata', async () => {
      const response = await postMcp(url, toolCall('list_services'));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl()}"`);
      expect(await response.json()).toMatchObject({ error: 'unauthenticated' });
    });

    it.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
      'serves the protected-resource metadata at %s',
      async (path) => {
        const response = await fetch(new URL(path, url));
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(await response.json()).toEqual({
          resource: `${url}/mcp`,
          authorization_servers: [`${url}/oauth`],
          scopes_supported: ['tokens.read', 'tokens.write'],
          bearer_methods_supported: ['header'],
          resource_name: 'Tollbooth MCP server',
        });
      },
    );

    it('names an authorization server whose metadata is served', async () => {
      const {
        authorization_servers: [issuer],
      } = await (await fetch(metadataUrl())).json();
      const metadata = await (await fetch(`${url}/.well-known/oauth-authorization-server${new URL(issuer).pathname}`)).json();
      expect(metadata.issuer).toBe(issuer);
    });

    it('refuses an SDK client without a token at connect time', async () => {
      await expect(connectOverHttp(url, undefined)).rejects.toMatchObject({ code: 401 });
    });

    it.each([
      ['garbage', async () => 'not-a-jwt'],
      ['a platform token instead of a JWT', async () => (await buildToken(dataSource, member, { service: 'platform' })).secret],
      ['a JWT for another service', async () => jwtFor(http, (await buildToken(dataSource, member, { service: 'strings' })).secret)],
      [
        'the JWT of a deleted platform token',
        async () => {
          const platform = await buildToken(dataSource, member, { service: 'platform' });
          const jwt = await jwtFor(http, platform.secret);
          await dataSource.query('UPDATE platform_tokens SET deleted_at = ? WHERE id = ?', [new Date(), platform.id]);
          return jwt;
        },
      ],
    ])('answers %s with 401 invalid_token', async (_case, credential) => {
      const response = await postMcp(url, toolCall('list_services'), { authorization: `Bearer ${await credential()}` });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(
        new RegExp(`^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="${metadataUrl()}"$`),
      );
      expect(await response.json()).toMatchObject({ error: 'invalid_token' });
    });

    it.each([
      ['tokens.read', 'create_token', 'tokens.write', { organization: org, name: 'x', service: 'strings' }],
      ['tokens.read', 'revoke_token', 'tokens.write', { organization: org, token_id: '00000000-0000-4000-8000-000000000000' }],
      ['tokens.write', 'list_tokens', 'tokens.read', { organization: org }],
    ])('answers a %s JWT calling %s with 403 insufficient_scope for %s', async (granted, tool, needed, args) => {
      const { jwt } = await jwtOf(member, { scope: granted });
      const response = await postMcp(url, toolCall(tool, args), { authorization: `Bearer ${jwt}` });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toMatch(
        new RegExp(
          `^Bearer error="insufficient_scope", error_description="[^"]+", scope="${needed}", resource_metadata="${metadataUrl()}"$`,
        ),
      );
      expect(await response.json()).toMatchObject({ error: 'insufficient_scope' });
    });

    it('lets a read-only JWT discover every tool and read, while the SDK client sees 403 on a change', async () => {
      const { client } = await agentFor(member, { scope: 'tokens.read' });
      expect((await client.listTools()).tools).toHaveLength(6);
      expect((await callOk(client, 'list_tokens', { organization: org })).limit).toBe(20);
      await expect(
        client.callTool({ name: 'create_token', arguments: { organization: org, name: 'x', service: 'strings' } }),
      ).rejects.toMatchObject({
        code: 403,
      });
    });

    it.each(['text/plain', 'application/json;;', 'Application/JSON; charset=utf-8', 'application/json-patch+json'])(
      'checks the scope whatever the declared content type (%s)',
      async (contentType) => {
        const { jwt } = await jwtOf(member, { scope: 'tokens.read' });
        const response = await postMcp(url, toolCall('create_token', { organization: org, name: 'sneaky', service: 'strings' }), {
          authorization: `Bearer ${jwt}`,
          'content-type': contentType,
        });
        expect(response.status).toBe(403);
      },
    );

    it('checks every message of a batch: one tool call beyond the scope refuses the whole request', async () => {
      const { jwt } = await jwtOf(member, { scope: 'tokens.read' });
      const batch = [toolCall('list_services'), { ...toolCall('enable_token', { organization: org, token_id: 'x' }), id: 2 }];
      expect((await postMcp(url, batch, { authorization: `Bearer ${jwt}` })).status).toBe(403);
    });
  });

  describe('HTTP edges', () => {
    it.each(['GET', 'DELETE'])('answers %s with 405 and Allow: POST (the endpoint is stateless)', async (method) => {
      const { jwt } = await jwtOf(member);
      const response = await fetch(new URL('/mcp', url), {
        method,
        headers: { authorization: `Bearer ${jwt}`, accept: 'text/event-stream' },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    });

    it.each([
      ['malformed JSON', 400, -32700, '{"jsonrpc":'],
      ['a body over 64 kB', 413, -32600, JSON.stringify({ ...toolCall('list_services'), padding: 'x'.repeat(70_000) })],
    ])('answers %s with %i and JSON-RPC error %i', async (_case, status, code, body) => {
      const { jwt } = await jwtOf(member);
      const response = await postMcp(url, body, { authorization: `Bearer ${jwt}` });
      expect(response.status).toBe(status);
      expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code }, id: null });
    });

    it('refuses a request from a page of another origin with 403', async () => {
      const { jwt } = await jwtOf(member);
      const response = await postMcp(url, toolCall('list_services'), { authorization: `Bearer ${jwt}`, origin: 'https://evil.example' });
      expect(response.status).toBe(403);
    });

    it('sends Cache-Control: no-store with every tool answer', async () => {
      const { jwt } = await jwtOf(member);
      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      };
      const response = await postMcp(url, initialize, { authorization: `Bearer ${jwt}` });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect((await response.json()).result.serverInfo).toMatchObject({ name: 'tollbooth' });
    });
  });
});
