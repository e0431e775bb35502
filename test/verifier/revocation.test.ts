import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createVerifier,
  RevocationFeedError,
  TokenRevokedError,
  VerifierConfigurationError,
  type Verifier,
  type VerifierOptions,
} from '@tollbooth/verifier';
import { eventually } from '../support/eventually.js';
import { AUDIENCE, issuerForSuite, startIssuerServer, type IssuerServer } from './issuer-server.js';

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

const verifiers: Verifier[] = [];
const issuers: IssuerServer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const verifier of verifiers.splice(0)) verifier.close();
  await Promise.all(issuers.splice(0).map((issuer) => issuer.close()));
});

function verifierFor(issuer: IssuerServer, options: Partial<VerifierOptions> = {}): Verifier {
  const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, ...options });
  verifiers.push(verifier);
  return verifier;
}

/** A JWT of a token of its own, issued `secondsAgo` seconds ago. */
async function jwtOfNewToken(issuer: IssuerServer, secondsAgo = 10): Promise<{ tokenId: string; jwt: string; iat: number }> {
  const tokenId = randomUUID();
  const iat = Math.floor(Date.now() / 1000) - secondsAgo;
  return { tokenId, iat, jwt: await issuer.sign({ claims: { token_id: tokenId, client_id: tokenId, iat, exp: iat + 14_400 } }) };
}

describe('the verifier follows the revocation feed', () => {
  const issuer = issuerForSuite();

  it('refuses a JWT issued before its token’s not-before time with invalid_token, ERR_TOLLBOOTH_TOKEN_REVOKED', async () => {
    const { tokenId, jwt, iat } = await jwtOfNewToken(issuer());
    issuer().revoke(tokenId, iat + 1);
    const error = await expectRefusal(verifierFor(issuer()).verify(jwt), TokenRevokedError, 'ERR_TOLLBOOTH_TOKEN_REVOKED');
    expect(error).toMatchObject({ status: 401, bearerError: 'invalid_token', message: 'The access token has been revoked' });
  });

  it('accepts a JWT issued at or after the not-before time (a re-enabled token’s new JWTs)', async () => {
    const { tokenId, jwt, iat } = await jwtOfNewToken(issuer());
    issuer().revoke(tokenId, iat);
    await expect(verifierFor(issuer()).verify(jwt)).resolves.toMatchObject({ token_id: tokenId });
  });

  it('accepts JWTs of tokens the feed does not list', async () => {
    const { tokenId, jwt } = await jwtOfNewToken(issuer());
    issuer().revoke(randomUUID());
    await expect(verifierFor(issuer()).verify(jwt)).resolves.toMatchObject({ token_id: tokenId });
  });

  it('refuses a remembered token within the poll interval once the feed lists it', async () => {
    const verifier = verifierFor(issuer(), { revocation: { pollInterval: 0.1 } });
    // The first verification fetches the keys and is not remembered; this one is.
    await verifier.verify((await jwtOfNewToken(issuer())).jwt);
    const { tokenId, jwt } = await jwtOfNewToken(issuer());
    const claims = await verifier.verify(jwt);
    expect(await verifier.verify(jwt), 'the token is remembered').toBe(claims);

    issuer().revoke(tokenId);
    const refusal = await eventually(
      () =>
        verifier.verify(jwt).then(
          () => undefined,
          (error: unknown) => error,
        ),
      { what: 'the remembered token to be refused' },
    );
    expect(refusal).toBeInstanceOf(TokenRevokedError);
  });

  it('polls with If-None-Match, so an unchanged feed is answered 304', async () => {
    const verifier = verifierFor(issuer(), { revocation: { pollInterval: 0.05 } });
    const { jwt } = await jwtOfNewToken(issuer());
    await verifier.verify(jwt);
    const before = issuer().notModified();
    await eventually(async () => (issuer().notModified() >= before + 2 ? true : undefined), { what: 'two 304 answers' });
  });

  it('can be turned off: the feed is never fetched and a revoked token’s JWT is accepted', async () => {
    const { tokenId, jwt, iat } = await jwtOfNewToken(issuer());
    issuer().revoke(tokenId, iat + 1);
    const fetches = issuer().feedFetches();
    await expect(verifierFor(issuer(), { revocation: false }).verify(jwt)).resolves.toMatchObject({ token_id: tokenId });
    expect(issuer().feedFetches()).toBe(fetches);
  });
});

describe('while the feed cannot be fetched', () => {
  const issuer = issuerForSuite();

  it('keeps working from the last good copy for maxStaleness, then fails closed (503), and recovers when the feed is back', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const verifier = verifierFor(issuer(), { revocation: { maxStaleness: 30 } });
    const revoked = await jwtOfNewToken(issuer());
    issuer().revoke(revoked.tokenId, revoked.iat + 1);
    const live = await jwtOfNewToken(issuer());
    await expect(verifier.verify(live.jwt)).resolves.toBeDefined();
    issuer().status.feed = 500;
    try {
      vi.setSystemTime(start + 29_999);
      await expect(verifier.verify(live.jwt)).resolves.toBeDefined();
      await expectRefusal(verifier.verify(revoked.jwt), TokenRevokedError, 'ERR_TOLLBOOTH_TOKEN_REVOKED');

      vi.setSystemTime(start + 30_000);
      const error = await expectRefusal(verifier.verify(live.jwt), RevocationFeedError, 'ERR_TOLLBOOTH_REVOCATION_FEED');
      expect((error as RevocationFeedError).status).toBe(503);
    } finally {
      issuer().status.feed = 200;
    }
    vi.setSystemTime(start + 31_000);
    await expect(verifier.verify(live.jwt)).resolves.toBeDefined();
  });

  it('fails closed with maxStaleness 60 s by default', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const verifier = verifierFor(issuer());
    const { jwt } = await jwtOfNewToken(issuer());
    await verifier.verify(jwt);
    issuer().status.feed = 503;
    try {
      vi.setSystemTime(start + 59_000);
      await expect(verifier.verify(jwt)).resolves.toBeDefined();
      vi.setSystemTime(start + 60_000);
      await expectRefusal(verifier.verify(jwt), RevocationFeedError, 'ERR_TOLLBOOTH_REVOCATION_FEED');
    } finally {
      issuer().status.feed = 200;
    }
  });
});

describe('a feed the verifier does not trust', () => {
  async function issuerWith(options: Parameters<typeof startIssuerServer>[0] = {}): Promise<IssuerServer> {
    const issuer = await startIssuerServer(options);
    issuers.push(issuer);
    return issuer;
  }

  it.each<[string, (issuer: IssuerServer) => Promise<void>, string]>([
    [
      'signed by a key the JWKS does not publish',
      async (issuer) => {
        issuer.feedSigning.key = await issuer.addKey('ES256', { publish: false });
      },
      'does not verify',
    ],
    [
      'typed as an access token',
      async (issuer) => {
        issuer.feedSigning.header = { typ: 'at+jwt' };
      },
      'does not verify',
    ],
    [
      'naming another issuer',
      async (issuer) => {
        issuer.feedSigning.claims = { iss: 'https://evil.example/oauth' };
      },
      'does not verify',
    ],
    [
      'made longer ago than maxStaleness (a replayed copy)',
      async (issuer) => {
        issuer.feedSigning.claims = { iat: Math.floor(Date.now() / 1000) - 3600 };
      },
      'older than maxStaleness',
    ],
    [
      'whose entries are not token ids with not-before times',
      async (issuer) => {
        issuer.feedSigning.claims = { revocations: [{ token_id: 'x', not_before: 'soon' }] };
      },
      'numeric not_before',
    ],
  ])('refuses a feed %s and fails closed (503) rather than admit tokens', async (_case, spoil, message) => {
    const issuer = await issuerWith();
    await spoil(issuer);
    const { jwt } = await jwtOfNewToken(issuer);
    const error = await expectRefusal(verifierFor(issuer).verify(jwt), RevocationFeedError, 'ERR_TOLLBOOTH_REVOCATION_FEED');
    expect(error.message).toContain(message);
  });

  it('reports an issuer that publishes no revocation feed, naming the way to turn it off', async () => {
    const issuer = await issuerWith({ feed: false });
    const { jwt } = await jwtOfNewToken(issuer);
    const error = await expectRefusal(verifierFor(issuer).verify(jwt), RevocationFeedError, 'ERR_TOLLBOOTH_REVOCATION_FEED');
    expect(error.message).toContain('revocation: false');
    await expect(verifierFor(issuer, { revocation: false }).verify(jwt)).resolves.toBeDefined();
  });
});

describe('revocation options', () => {
  const issuer = 'https://tollbooth.example/oauth';

  it.each([
    ['a poll interval of 0', { pollInterval: 0 }],
    ['a poll interval over 15 s', { pollInterval: 16 }],
    ['a maximum staleness below the poll interval', { pollInterval: 10, maxStaleness: 5 }],
    ['a maximum staleness over an hour', { maxStaleness: 3601 }],
    ['something other than false or an object', true],
  ])('refuses %s', (_case, revocation) => {
    expect(() => createVerifier({ issuer, audience: AUDIENCE, revocation: revocation as never })).toThrow(VerifierConfigurationError);
  });
});
