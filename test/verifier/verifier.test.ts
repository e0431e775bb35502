import { exportSPKI } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createVerifier,
  DiscoveryError,
  InsufficientScopeError,
  TokenAlgorithmError,
  TokenAudienceError,
  TokenExpiredError,
  TokenIssuerError,
  TokenKeyUnknownError,
  TokenMalformedError,
  TokenNotYetValidError,
  TokenSignatureError,
  TokenTypeError,
  type Verifier,
} from '@tollbooth/verifier';
import {
  AUDIENCE,
  decodeSegment,
  encodeSegment,
  hmacToken,
  issuerForSuite,
  startIssuerServer,
  type IssuerKey,
  type IssuerServer,
} from './issuer-server.js';

/** Expects `promise` to reject with an error of `type` and `code`. */
async function expectRefusal(promise: Promise<unknown>, type: new (...args: never[]) => Error, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught as Error,
  );
  expect(error, 'the verifier accepted the token').toBeInstanceOf(type);
  expect((error as Error & { code: string }).code).toBe(code);
  return error!;
}

describe('createVerifier against a real issuer', () => {
  let issuer: IssuerServer;
  let verifier: Verifier;

  beforeAll(async () => {
    issuer = await startIssuerServer();
    verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
  });
  afterAll(async () => {
    await issuer?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts a fresh token and returns its typed claims', async () => {
    const token = await issuer.sign({ claims: { scope: 'strings.read strings.write', role: 'admin' } });
    const { jti, iat, exp } = decodeSegment(token.split('.')[1]!);
    const claims = await verifier.verify(token);
    expect(claims).toEqual({
      sub: 'user-1',
      org_id: 'org-1',
      token_id: 'token-1',
      role: 'admin',
      client_id: 'token-1',
      jti,
      scope: new Set(['strings.read', 'strings.write']),
      exp,
      iat,
    });
    expect(claims.scope).toBeInstanceOf(Set);
  });

  it('accepts the media-type spelling application/at+jwt (RFC 9068 §4)', async () => {
    const token = await issuer.sign({ header: { typ: 'application/at+jwt' } });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it.each(['EdDSA', 'RS256'])('accepts %s signatures, another algorithm Tollbooth can sign with', async (alg) => {
    const key = await issuer.addKey(alg);
    // A fresh verifier: the shared one fetched the JWKS before this key existed.
    const fresh = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    await expect(fresh.verify(await issuer.sign({ key }))).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign({ claims: { iat: now - 14_460, exp: now - 60 } });
    const error = await expectRefusal(verifier.verify(token), TokenExpiredError, 'ERR_TOLLBOOTH_TOKEN_EXPIRED');
    expect(error.message).toBe('The access token expired');
  });

  /** A verifier that remembers nothing, so every presentation is a full verification. */
  const uncached = (options: { clockTolerance?: number } = {}) =>
    createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, cacheMaxEntries: 0, ...options });
  const EXPIRY = Math.floor(new Date('2030-01-01T00:00:00Z').getTime() / 1000);

  it.each([
    ['at exp', {}, 0],
    ['4 s past exp, inside the default 5 s tolerance', {}, 4],
    ['59 s past exp with a 60 s tolerance', { clockTolerance: 60 }, 59],
  ])('accepts a token %s', async (_label, options, secondsPastExpiry) => {
    vi.useFakeTimers({ toFake: ['Date'], now: (EXPIRY + secondsPastExpiry) * 1000 });
    const token = await issuer.sign({ claims: { iat: EXPIRY - 14_400, exp: EXPIRY } });
    await expect(uncached(options).verify(token)).resolves.toMatchObject({ exp: EXPIRY });
  });

  it.each([
    ['5 s past exp, the end of the default tolerance', {}, 5],
    ['at exp with no tolerance', { clockTolerance: 0 }, 0],
  ])('refuses a token %s as expired', async (_label, options, secondsPastExpiry) => {
    vi.useFakeTimers({ toFake: ['Date'], now: (EXPIRY + secondsPastExpiry) * 1000 });
    const token = await issuer.sign({ claims: { iat: EXPIRY - 14_400, exp: EXPIRY } });
    await expectRefusal(uncached(options).verify(token), TokenExpiredError, 'ERR_TOLLBOOTH_TOKEN_EXPIRED');
  });

  it('refuses a token that is not valid yet (nbf or iat in the future)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const notBefore = await issuer.sign({ claims: { nbf: now + 120 } });
    await expectRefusal(verifier.verify(notBefore), TokenNotYetValidError, 'ERR_TOLLBOOTH_TOKEN_NOT_YET_VALID');
    const issuedLater = await issuer.sign({ claims: { iat: now + 120, exp: now + 14_520 } });
    await expectRefusal(verifier.verify(issuedLater), TokenNotYetValidError, 'ERR_TOLLBOOTH_TOKEN_NOT_YET_VALID');
  });

  it("refuses a token minted for another service's audience", async () => {
    const token = await issuer.sign({ claims: { aud: 'https://tms.tollbooth.example/api' } });
    const error = await expectRefusal(verifier.verify(token), TokenAudienceError, 'ERR_TOLLBOOTH_TOKEN_AUDIENCE');
    expect(error.message).toContain(AUDIENCE);
  });

  it('refuses a token whose audience array names another service beside this one', async () => {
    const token = await issuer.sign({ claims: { aud: [AUDIENCE, 'https://tms.tollbooth.example/api'] } });
    await expectRefusal(verifier.verify(token), TokenAudienceError, 'ERR_TOLLBOOTH_TOKEN_AUDIENCE');
  });

  it('accepts an audience array of exactly this API', async () => {
    await expect(verifier.verify(await issuer.sign({ claims: { aud: [AUDIENCE] } }))).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('refuses a token naming another issuer, even when signed with a published key', async () => {
    const token = await issuer.sign({ claims: { iss: 'https://evil.example/oauth' } });
    await expectRefusal(verifier.verify(token), TokenIssuerError, 'ERR_TOLLBOOTH_TOKEN_ISSUER');
  });

  it("refuses a JWT signed by another issuer's key", async () => {
    const other = await startIssuerServer();
    try {
      const token = await other.sign({ claims: { iss: issuer.issuer } });
      await expectRefusal(verifier.verify(token), TokenKeyUnknownError, 'ERR_TOLLBOOTH_TOKEN_KEY_UNKNOWN');
      // The same forgery carrying a kid the issuer does publish fails on the signature.
      const borrowedKid = await other.sign({ claims: { iss: issuer.issuer }, header: { kid: issuer.keys[0]!.kid } });
      await expectRefusal(verifier.verify(borrowedKid), TokenSignatureError, 'ERR_TOLLBOOTH_TOKEN_SIGNATURE');
    } finally {
      await other.close();
    }
  });

  it('refuses a token whose payload was tampered with', async () => {
    const [header, payload, signature] = (await issuer.sign({ claims: { role: 'viewer' } })).split('.');
    const tampered = encodeSegment({ ...decodeSegment(payload!), role: 'owner' });
    const error = await expectRefusal(
      verifier.verify(`${header}.${tampered}.${signature}`),
      TokenSignatureError,
      'ERR_TOLLBOOTH_TOKEN_SIGNATURE',
    );
    expect(error.message).toBe('The access token signature is invalid');
  });

  it.each([
    ['without a signature', ''],
    ['with a signature', 'c2ln'],
  ])('refuses alg none %s', async (_label, signature) => {
    const payload = (await issuer.sign()).split('.')[1];
    const token = `${encodeSegment({ alg: 'none', typ: 'at+jwt' })}.${payload}.${signature}`;
    await expectRefusal(verifier.verify(token), TokenAlgorithmError, 'ERR_TOLLBOOTH_TOKEN_ALGORITHM');
  });

  it.each([
    ['PEM', async (key: IssuerKey) => exportSPKI(key.publicKey)],
    ['JWK JSON', async (key: IssuerKey) => JSON.stringify(key.publicJwk)],
    ['raw x coordinate', async (key: IssuerKey) => Buffer.from(key.publicJwk.x!, 'base64url')],
  ])('refuses an HS256 token keyed with the public key as %s (key confusion)', async (_label, secretOf) => {
    const key = issuer.keys[0]!;
    const payload = decodeSegment((await issuer.sign()).split('.')[1]!);
    const token = hmacToken({ alg: 'HS256', typ: 'at+jwt', kid: key.kid }, payload, await secretOf(key));
    await expectRefusal(verifier.verify(token), TokenAlgorithmError, 'ERR_TOLLBOOTH_TOKEN_ALGORITHM');
  });

  it('refuses an algorithm the verifier was not configured for', async () => {
    const onlyEs256 = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, algorithms: ['ES256'] });
    const key = await issuer.addKey('RS256');
    await expectRefusal(onlyEs256.verify(await issuer.sign({ key })), TokenAlgorithmError, 'ERR_TOLLBOOTH_TOKEN_ALGORITHM');
  });

  it.each([
    ['JWT', { typ: 'JWT' }],
    ['an ID token type', { typ: 'id_token+jwt' }],
    ['no typ at all', { typ: undefined }],
  ])('refuses a token whose typ is %s (RFC 9068 §4)', async (_label, header) => {
    const token = await issuer.sign({ header });
    const error = await expectRefusal(verifier.verify(token), TokenTypeError, 'ERR_TOLLBOOTH_TOKEN_TYPE');
    expect(error.message).toContain('at+jwt');
  });

  it.each([
    ['empty', ''],
    ['one segment', 'abc'],
    ['garbage segments', 'a.b.c'],
    ['a platform token', 'tbp_0123456789abcdefghijklmnopqrstuvwxyzAB'],
    ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.c2ln`],
  ])('refuses a malformed token: %s', async (_label, token) => {
    await expectRefusal(verifier.verify(token), TokenMalformedError, 'ERR_TOLLBOOTH_TOKEN_MALFORMED');
  });

  it.each([
    ['no org_id', { org_id: undefined }],
    ['no token_id', { token_id: undefined }],
    ['no client_id', { client_id: undefined }],
    ['no jti', { jti: undefined }],
    ['no sub', { sub: undefined }],
    ['an unknown role', { role: 'superuser' }],
    ['a scope that is not a string', { scope: ['strings.read'] }],
    ['an exp that is not a number', { exp: 'tomorrow' }],
  ])('refuses a signed token with %s', async (_label, claims) => {
    const token = await issuer.sign({ claims });
    await expectRefusal(verifier.verify(token), TokenMalformedError, 'ERR_TOLLBOOTH_TOKEN_MALFORMED');
  });

  it('treats an absent scope claim as no scopes', async () => {
    const claims = await verifier.verify(await issuer.sign({ claims: { scope: undefined } }));
    expect(claims.scope.size).toBe(0);
  });

  it("refuses a token lacking the API's required scopes, naming them", async () => {
    const readers = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, requiredScopes: ['strings.read'] });
    await expect(readers.verify(await issuer.sign({ claims: { scope: 'strings.read' } }))).resolves.toBeDefined();
    const error = await expectRefusal(
      readers.verify(await issuer.sign({ claims: { scope: 'strings.write' } })),
      InsufficientScopeError,
      'ERR_TOLLBOOTH_INSUFFICIENT_SCOPE',
    );
    expect((error as InsufficientScopeError).requiredScopes).toEqual(['strings.read']);
  });
});

describe('key rollover', () => {
  const issuer = issuerForSuite();

  it('fetches the JWKS once and serves later tokens from the cache', async () => {
    const verifier = createVerifier({ issuer: issuer().issuer, audience: AUDIENCE });
    const before = issuer().jwksFetches();
    await Promise.all(Array.from({ length: 10 }, async () => verifier.verify(await issuer().sign())));
    await verifier.verify(await issuer().sign());
    expect(issuer().jwksFetches() - before).toBe(1);
  });

  it('refetches the JWKS for an unknown kid, at most once per 30 s cooldown, and then accepts the new key', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const verifier = createVerifier({ issuer: issuer().issuer, audience: AUDIENCE });
    await verifier.verify(await issuer().sign());
    const afterFirst = issuer().jwksFetches();

    const newKey = await issuer().addKey('ES256', { publish: false });
    const newToken = await issuer().sign({ key: newKey });
    await expectRefusal(verifier.verify(newToken), TokenKeyUnknownError, 'ERR_TOLLBOOTH_TOKEN_KEY_UNKNOWN');
    // Inside the cooldown an unknown kid does not reach the issuer, so junk kids cannot flood it.
    expect(issuer().jwksFetches()).toBe(afterFirst);

    issuer().publish(newKey);
    vi.setSystemTime(start + 31_000);
    await expect(verifier.verify(newToken)).resolves.toMatchObject({ sub: 'user-1' });
    expect(issuer().jwksFetches()).toBe(afterFirst + 1);
    // The old key still verifies from the refreshed set, without another fetch.
    await expect(verifier.verify(await issuer().sign())).resolves.toMatchObject({ sub: 'user-1' });
    expect(issuer().jwksFetches()).toBe(afterFirst + 1);
  });

  it('still refuses a kid the refetched JWKS does not have', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const verifier = createVerifier({ issuer: issuer().issuer, audience: AUDIENCE });
    await verifier.verify(await issuer().sign());
    const afterFirst = issuer().jwksFetches();
    const unpublished = await issuer().addKey('ES256', { publish: false });
    vi.setSystemTime(start + 31_000);
    await expectRefusal(
      verifier.verify(await issuer().sign({ key: unpublished })),
      TokenKeyUnknownError,
      'ERR_TOLLBOOTH_TOKEN_KEY_UNKNOWN',
    );
    expect(issuer().jwksFetches()).toBe(afterFirst + 1);
  });
});

describe('a key withdrawn from the JWKS', () => {
  const issuer = issuerForSuite();

  /** Freezes the clock, then has a new verifier fetch the JWKS and verify a token signed by a new key. */
  async function verifiedWithNewKey(options: { keySetMaxAge?: number; cacheMaxEntries?: number } = {}) {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const key = await issuer().addKey('ES256');
    const verifier = createVerifier({ issuer: issuer().issuer, audience: AUDIENCE, ...options });
    const token = await issuer().sign({ key });
    await verifier.verify(token);
    // Presented again: with the cache on, it is remembered from here.
    const claims = await verifier.verify(token);
    return { start, key, verifier, token, claims };
  }

  it.each([
    ['60 s by default, with tokens remembered', {}, 60],
    ['60 s by default, with nothing remembered', { cacheMaxEntries: 0 }, 60],
    ['keySetMaxAge when configured', { keySetMaxAge: 10 }, 10],
  ])('keeps verifying its tokens until the key set is %s old, and not a millisecond longer', async (_label, options, maxAgeSeconds) => {
    const { start, key, verifier, token } = await verifiedWithNewKey(options);
    const fetches = issuer().jwksFetches();
    issuer().withdraw(key);

    vi.setSystemTime(start + maxAgeSeconds * 1000 - 1);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    expect(issuer().jwksFetches()).toBe(fetches);

    vi.setSystemTime(start + maxAgeSeconds * 1000);
    await expectRefusal(verifier.verify(token), TokenKeyUnknownError, 'ERR_TOLLBOOTH_TOKEN_KEY_UNKNOWN');
    expect(issuer().jwksFetches()).toBe(fetches + 1);
  });

  it('forgets a remembered token as soon as a refetched key set lacks its key', async () => {
    const { start, key, verifier, token, claims } = await verifiedWithNewKey();
    expect(await verifier.verify(token)).toBe(claims);
    issuer().withdraw(key);
    // A token signed by a key the verifier has not seen makes it refetch the set (after the 30 s cooldown).
    const successor = await issuer().addKey('ES256');
    vi.setSystemTime(start + 31_000);
    await expect(verifier.verify(await issuer().sign({ key: successor }))).resolves.toMatchObject({ sub: 'user-1' });
    await expectRefusal(verifier.verify(token), TokenKeyUnknownError, 'ERR_TOLLBOOTH_TOKEN_KEY_UNKNOWN');
  });

  it('stops trusting a key set it cannot refetch once it is due: verification is unavailable (503)', async () => {
    const { start, verifier, token } = await verifiedWithNewKey();
    issuer().status.jwks = 500;
    try {
      vi.setSystemTime(start + 59_999);
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
      vi.setSystemTime(start + 60_000);
      const error = await expectRefusal(verifier.verify(token), DiscoveryError, 'ERR_TOLLBOOTH_DISCOVERY');
      expect((error as DiscoveryError).status).toBe(503);
    } finally {
      issuer().status.jwks = 200;
    }
  });
});

describe('verified-token cache', () => {
  const issuer = issuerForSuite();

  /** A verifier that has fetched the key set already, so the next verification is remembered. */
  async function warmVerifier(options: { clockTolerance?: number; cacheMaxEntries?: number; requiredScopes?: string[] } = {}) {
    const verifier = createVerifier({ issuer: issuer().issuer, audience: AUDIENCE, ...options });
    await verifier.verify(await issuer().sign());
    return verifier;
  }

  it.each([
    ['remembers a verified token: presenting it again returns the remembered claims', {}, true],
    ['can be turned off (cacheMaxEntries 0): presenting a token again verifies it afresh', { cacheMaxEntries: 0 }, false],
  ])('%s', async (_label, options, remembered) => {
    const verifier = await warmVerifier(options);
    const token = await issuer().sign();
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).toEqual(first);
    expect(second === first, 'the second presentation returned the first one’s claims object').toBe(remembered);
  });

  it('never serves a remembered token past its expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2031-01-01T00:00:00Z') });
    const verifier = await warmVerifier({ clockTolerance: 0 });
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer().sign({ claims: { iat: now - 100, exp: now + 30 } });
    const claims = await verifier.verify(token);
    vi.setSystemTime((now + 29) * 1000);
    expect(await verifier.verify(token)).toBe(claims);
    vi.setSystemTime((now + 30) * 1000);
    await expectRefusal(verifier.verify(token), TokenExpiredError, 'ERR_TOLLBOOTH_TOKEN_EXPIRED');
  });

  it('checks the required scopes on every request, remembered or not', async () => {
    const readers = await warmVerifier({ requiredScopes: ['strings.read'] });
    const token = await issuer().sign({ claims: { scope: 'strings.write' } });
    await expectRefusal(readers.verify(token), InsufficientScopeError, 'ERR_TOLLBOOTH_INSUFFICIENT_SCOPE');
    await expectRefusal(readers.verify(token), InsufficientScopeError, 'ERR_TOLLBOOTH_INSUFFICIENT_SCOPE');
  });

  it('remembers only the exact token: a tampered copy of a remembered token is still refused', async () => {
    const verifier = await warmVerifier();
    const token = await issuer().sign({ claims: { role: 'viewer' } });
    const claims = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(claims);
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${encodeSegment({ ...decodeSegment(payload!), role: 'owner' })}.${signature}`;
    await expectRefusal(verifier.verify(tampered), TokenSignatureError, 'ERR_TOLLBOOTH_TOKEN_SIGNATURE');
  });
});
