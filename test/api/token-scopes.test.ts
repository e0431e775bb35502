import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenThroughApi, expectProblem, loggedInClient, tokensPath } from '../support/api.js';
import { buildUser } from '../support/factories.js';
import { THREE_SCOPE_SERVICES, useServer } from '../support/fixture.js';
import { clientCredentials, exchangeToken, exchangedJwt, expectOAuthError } from '../support/oauth.js';

describe('choosing scopes when creating a token', () => {
  const fixture = useServer({ servicesFile: THREE_SCOPE_SERVICES });

  async function member(organization: string) {
    const user = await buildUser(fixture.dataSource, { organization, role: 'member' });
    return loggedInClient(fixture, user);
  }

  it('gives a token every scope of its service when none are chosen', async () => {
    const client = await member('scopes-default');
    const { token } = await createTokenThroughApi(client, 'scopes-default', { name: 'everything' });
    expect(token.scopes).toEqual(['strings.read', 'strings.write', 'strings.admin']);
  });

  it("stores the chosen subset in the service's order, without repeats, and shows it on read", async () => {
    const client = await member('scopes-subset');
    const { id, token } = await createTokenThroughApi(client, 'scopes-subset', {
      name: 'two of three',
      scopes: ['strings.admin', 'strings.read', 'strings.admin'],
    });
    expect(token.scopes).toEqual(['strings.read', 'strings.admin']);
    const read = await client.get(tokensPath('scopes-subset', `/${id}`));
    expect(read.body.token.scopes).toEqual(['strings.read', 'strings.admin']);
    const listed = await client.get(tokensPath('scopes-subset'));
    expect(listed.body.tokens.map((listedToken: { scopes: string[] }) => listedToken.scopes)).toEqual([['strings.read', 'strings.admin']]);
  });

  it.each([
    ['a scope of another service', ['strings.read', 'tms.read'], 'tms.read'],
    ['a made-up scope', ['strings.everything'], 'strings.everything'],
    ['a scope with the wrong case', ['Strings.Read'], 'Strings.Read'],
  ])('refuses %s with 400 invalid_scope naming it', async (_case, scopes, bad) => {
    const client = await member('scopes-bad');
    const response = await client.post(tokensPath('scopes-bad'), { name: 'bad', service: 'strings', scopes });
    const problem = expectProblem(response, 400, 'invalid_scope');
    expect(problem.scope).toBe(bad);
    expect(problem.detail).toContain(bad);
    const listed = await client.get(tokensPath('scopes-bad'));
    expect(listed.body.tokens).toEqual([]);
  });

  it.each([
    ['an empty list', [], 'invalid_request'],
    ['not a list', 'strings.read', 'invalid_request'],
    ['a list of numbers', [1], 'invalid_request'],
  ])('refuses %s as scopes with a 400', async (_case, scopes, code) => {
    const client = await member('scopes-shape');
    const response = await client.post(tokensPath('scopes-shape'), { name: 'bad', service: 'strings', scopes });
    const problem = expectProblem(response, 400, code);
    expect(problem.errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/^scopes/) })]);
  });

  it('refuses to change scopes after creation', async () => {
    const client = await member('scopes-fixed');
    const { id } = await createTokenThroughApi(client, 'scopes-fixed', { name: 'fixed', scopes: ['strings.read'] });
    const problem = expectProblem(
      await client.patch(tokensPath('scopes-fixed', `/${id}`), { scopes: ['strings.write'] }),
      400,
      'immutable_field',
    );
    expect(problem.field).toBe('scopes');
    expect((await client.get(tokensPath('scopes-fixed', `/${id}`))).body.token.scopes).toEqual(['strings.read']);
  });

  describe('the JWT never carries more than the token', () => {
    it('grants only the chosen scopes by token exchange, and refuses asking for another', async () => {
      const client = await member('scopes-exchange');
      const { secret } = await createTokenThroughApi(client, 'scopes-exchange', { name: 'reader', scopes: ['strings.read'] });
      const oauth = fixture.client();
      expect(decodeJwt(await exchangedJwt(oauth, secret)).scope).toBe('strings.read');
      const body = expectOAuthError(await exchangeToken(oauth, secret, { scope: 'strings.read strings.write' }), 400, 'invalid_scope');
      expect(body.error_description).toContain('strings.write');
    });

    it('grants only the chosen scopes by client_credentials, and refuses asking for another', async () => {
      const client = await member('scopes-client');
      const { id, secret } = await createTokenThroughApi(client, 'scopes-client', {
        name: 'writer',
        scopes: ['strings.write', 'strings.admin'],
      });
      const oauth = fixture.client();
      const granted = await clientCredentials(oauth, id, secret);
      expect(granted.status, granted.text).toBe(200);
      expect(granted.body.scope).toBe('strings.write strings.admin');
      expect(decodeJwt(granted.body.access_token).scope).toBe('strings.write strings.admin');
      expectOAuthError(await clientCredentials(oauth, id, secret, { scope: 'strings.read' }), 400, 'invalid_scope');
    });
  });
});
