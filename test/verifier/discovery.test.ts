import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, DiscoveryError, VerifierConfigurationError } from '@tollbooth/verifier';
import { freePort } from '../support/server.js';
import { AUDIENCE, startIssuerServer, type IssuerServer } from './issuer-server.js';

const running: IssuerServer[] = [];
async function issuerWith(options: Parameters<typeof startIssuerServer>[0]): Promise<IssuerServer> {
  const issuer = await startIssuerServer(options);
  running.push(issuer);
  return issuer;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.splice(0).map((issuer) => issuer.close()));
});

async function discoveryFailure(promise: Promise<unknown>): Promise<DiscoveryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DiscoveryError);
  expect((error as DiscoveryError).code).toBe('ERR_TOLLBOOTH_DISCOVERY');
  expect((error as DiscoveryError).status).toBe(503);
  return error as DiscoveryError;
}

describe('discovery against a real issuer', () => {
  it("finds the keys from metadata at the server root (Tollbooth's layout), fetching it once", async () => {
    const issuer = await issuerWith({ path: '/oauth' });
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    await Promise.all(Array.from({ length: 5 }, async () => verifier.verify(await issuer.sign())));
    await verifier.verify(await issuer.sign());
    const metadataRequests = issuer.requests.filter((path) => path.includes('.well-known'));
    expect(metadataRequests).toEqual([
      '/.well-known/oauth-authorization-server/oauth',
      '/oauth/.well-known/openid-configuration',
      '/.well-known/openid-configuration/oauth',
      '/.well-known/oauth-authorization-server',
    ]);
  });

  it.each([
    ['RFC 8414 path insertion', '/.well-known/oauth-authorization-server/oauth'],
    ['OpenID Connect Discovery', '/oauth/.well-known/openid-configuration'],
  ])('finds the keys from metadata at the %s address', async (_label, metadataPath) => {
    const issuer = await issuerWith({ path: '/oauth', metadataPaths: [metadataPath] });
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    await expect(verifier.verify(await issuer.sign())).resolves.toMatchObject({ sub: 'user-1' });
    expect(issuer.requests.filter((path) => path.includes('.well-known')).at(-1)).toBe(metadataPath);
  });

  it('works for an issuer without a path', async () => {
    const issuer = await issuerWith({ path: '' });
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    await expect(verifier.verify(await issuer.sign())).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('refuses metadata that names another issuer (RFC 8414 §3.3) and never fetches its keys', async () => {
    const issuer = await issuerWith({ metadataIssuer: 'https://evil.example/oauth' });
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    const error = await discoveryFailure(verifier.verify(await issuer.sign()));
    expect(error.message).toContain('describes issuer https://evil.example/oauth');
    expect(issuer.jwksFetches()).toBe(0);
  });

  it('reports an issuer that cannot be reached', async () => {
    const port = await freePort();
    const verifier = createVerifier({ issuer: `http://127.0.0.1:${port}/oauth`, audience: AUDIENCE });
    const issuer = await issuerWith({});
    const error = await discoveryFailure(verifier.verify(await issuer.sign()));
    expect(error.message).toContain(`Cannot fetch the issuer metadata at http://127.0.0.1:${port}/`);
  });

  it('does not refuse a malformed token because the issuer is down', async () => {
    const port = await freePort();
    const verifier = createVerifier({ issuer: `http://127.0.0.1:${port}/oauth`, audience: AUDIENCE });
    await expect(verifier.verify('a.b.c')).rejects.toMatchObject({ code: 'ERR_TOLLBOOTH_TOKEN_MALFORMED' });
  });

  it('remembers a failed discovery for 10 s, then retries and recovers', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const issuer = await issuerWith({});
    issuer.status.metadata = 500;
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    const token = await issuer.sign();
    await discoveryFailure(verifier.verify(token));
    const attempts = issuer.requests.length;

    issuer.status.metadata = 200;
    vi.setSystemTime(start + 9_000);
    await discoveryFailure(verifier.verify(token));
    expect(issuer.requests.length).toBe(attempts);

    vi.setSystemTime(start + 10_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('reports a JWKS that cannot be fetched as a discovery failure, not a bad token', async () => {
    const issuer = await issuerWith({});
    issuer.status.jwks = 503;
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    const error = await discoveryFailure(verifier.verify(await issuer.sign()));
    expect(error.message).toContain(`Cannot use the JSON Web Key Set at ${issuer.jwksUri}`);
  });
});

describe('createVerifier options', () => {
  const issuer = 'https://tollbooth.example/oauth';

  it.each([
    ['no options', undefined],
    ['no issuer', { audience: AUDIENCE }],
    ['no audience', { issuer }],
    ['an empty audience', { issuer, audience: '' }],
    ['an issuer that is not a URL', { issuer: 'tollbooth', audience: AUDIENCE }],
    ['an issuer with a query', { issuer: `${issuer}?tenant=1`, audience: AUDIENCE }],
    ['an issuer with a fragment', { issuer: `${issuer}#x`, audience: AUDIENCE }],
    ['a non-http issuer', { issuer: 'ftp://tollbooth.example/oauth', audience: AUDIENCE }],
    ['alg none', { issuer, audience: AUDIENCE, algorithms: ['none'] }],
    ['HS256', { issuer, audience: AUDIENCE, algorithms: ['ES256', 'HS256'] }],
    ['HS512', { issuer, audience: AUDIENCE, algorithms: ['HS512'] }],
    ['an empty algorithm list', { issuer, audience: AUDIENCE, algorithms: [] }],
    ['a negative clock tolerance', { issuer, audience: AUDIENCE, clockTolerance: -1 }],
    ['an hour of clock tolerance', { issuer, audience: AUDIENCE, clockTolerance: 3600 }],
    ['a required scope with a space', { issuer, audience: AUDIENCE, requiredScopes: ['strings.read strings.write'] }],
    ['a key set kept no time at all', { issuer, audience: AUDIENCE, keySetMaxAge: 0 }],
    ['a key set kept longer than the issuer allows', { issuer, audience: AUDIENCE, keySetMaxAge: 301 }],
    ['a key set age that is not a number', { issuer, audience: AUDIENCE, keySetMaxAge: Number.NaN }],
    ['a negative cache size', { issuer, audience: AUDIENCE, cacheMaxEntries: -1 }],
    ['a fractional cache size', { issuer, audience: AUDIENCE, cacheMaxEntries: 1.5 }],
    ['a cache of two million tokens', { issuer, audience: AUDIENCE, cacheMaxEntries: 2_000_000 }],
  ])('refuses %s', (_label, options) => {
    let caught: unknown;
    try {
      createVerifier(options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VerifierConfigurationError);
    expect((caught as VerifierConfigurationError).code).toBe('ERR_TOLLBOOTH_VERIFIER_CONFIGURATION');
    expect((caught as Error).message).toMatch(/^createVerifier: /);
  });

  it('defaults to the asymmetric algorithms Tollbooth signs with', () => {
    expect(createVerifier({ issuer, audience: AUDIENCE }).algorithms).toEqual(['ES256', 'EdDSA', 'RS256']);
  });
});
