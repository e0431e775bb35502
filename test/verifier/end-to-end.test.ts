import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startProductApi, type RunningProductApi } from '../../examples/product-api/api.js';
import { rotateSigningKeys } from '../../src/keys/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { buildToken, buildUser, defaultServices, type BuiltUser } from '../support/factories.js';
import { TestClient } from '../support/http.js';
import { startTestInstance, type TestServer } from '../support/server.js';
import { bearer, decodeSegment, encodeSegment, hmacToken, startIssuerServer } from './issuer-server.js';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const STRINGS_AUDIENCE = defaultServices().get('strings')!.audience;

function invalidToken(description: string): string {
  return `Bearer realm="${STRINGS_AUDIENCE}", error="invalid_token", error_description="${description}"`;
}

/** Polls `probe` until it returns a value, failing after `ms`. */
async function eventually<T>(probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the example product API with the real Tollbooth', () => {
  let database: TestDatabase;
  let tollbooth: TestServer;
  let api: RunningProductApi;
  let tollboothClient: TestClient;
  let apiClient: TestClient;
  let user: BuiltUser;
  let stringsSecret: string;
  let stringsTokenId: string;

  /** Exchanges a platform token at POST /oauth/token (RFC 8693) and returns the JWT. */
  async function exchange(secret: string, extra: Record<string, string> = {}): Promise<string> {
    const response = await tollboothClient.request('POST', '/oauth/token', {
      form: { grant_type: TOKEN_EXCHANGE, subject_token: secret, ...extra },
    });
    expect(response.status, response.text).toBe(200);
    return response.body.access_token as string;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    // Instances re-read the signing keys every second, so a rotation shows quickly.
    tollbooth = await startTestInstance({ databaseUrl: database.url, env: { KEYS_REFRESH_SECONDS: '1' } });
    tollboothClient = new TestClient(tollbooth.url);
    api = await startProductApi({ issuerUrl: `${tollbooth.url}/oauth`, audience: STRINGS_AUDIENCE, port: 0 });
    apiClient = new TestClient(api.url);
    user = await buildUser(tollbooth.runtime.dataSource, { role: 'manager' });
    const token = await buildToken(
      tollbooth.runtime.dataSource,
      { id: user.id, organizationId: user.organizationId },
      { service: 'strings' },
    );
    stringsSecret = token.secret;
    stringsTokenId = token.id;
  });
  afterAll(async () => {
    await api?.close();
    await tollbooth?.close();
    await database?.drop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts a freshly exchanged JWT and shows its claims on /v1/whoami', async () => {
    const jwt = await exchange(stringsSecret);
    const response = await apiClient.get('/v1/whoami', bearer(jwt));
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      iss: `${tollbooth.url}/oauth`,
      aud: STRINGS_AUDIENCE,
      sub: user.id,
      org_id: user.organizationId,
      token_id: stringsTokenId,
      role: 'manager',
      scope: ['strings.read', 'strings.write'],
    });
    expect(response.body.exp - response.body.iat).toBe(14_400);
  });

  it("refuses a JWT minted for another service's audience", async () => {
    const tms = await buildToken(tollbooth.runtime.dataSource, { id: user.id, organizationId: user.organizationId }, { service: 'tms' });
    const response = await apiClient.get('/v1/whoami', bearer(await exchange(tms.secret)));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      invalidToken(`The access token is not for this API (audience ${STRINGS_AUDIENCE} expected)`),
    );
  });

  it('refuses a request without a token with a bare challenge', async () => {
    const response = await apiClient.get('/v1/whoami');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${STRINGS_AUDIENCE}"`);
  });

  it('refuses the JWT once it has expired (clock frozen 4 h later)', async () => {
    const jwt = await exchange(stringsSecret);
    const { exp } = decodeSegment(jwt.split('.')[1]!);
    // Its own API instance, so the shared one's key cache never sees the shifted clock.
    const later = await startProductApi({ issuerUrl: `${tollbooth.url}/oauth`, audience: STRINGS_AUDIENCE, port: 0 });
    try {
      const client = new TestClient(later.url);
      expect((await client.get('/v1/whoami', bearer(jwt))).status).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'], now: ((exp as number) + 10) * 1000 });
      const response = await client.get('/v1/whoami', bearer(jwt));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(invalidToken('The access token expired'));
    } finally {
      vi.useRealTimers();
      await later.close();
    }
  });

  it('refuses a Tollbooth JWT whose payload was tampered with', async () => {
    const [header, payload, signature] = (await exchange(stringsSecret)).split('.');
    const tampered = encodeSegment({ ...decodeSegment(payload!), role: 'owner', org_id: 'someone-else' });
    const response = await apiClient.get('/v1/whoami', bearer(`${header}.${tampered}.${signature}`));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(invalidToken('The access token signature is invalid'));
  });

  it("refuses alg none and an HS256 token keyed with Tollbooth's published public key", async () => {
    const [header, payload] = (await exchange(stringsSecret)).split('.');
    const { kid } = decodeSegment(header!);
    const unsigned = `${encodeSegment({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;

    const jwks = await tollboothClient.get('/oauth/jwks');
    const publicJwk = (jwks.body.keys as Array<{ kid: string }>).find((key) => key.kid === kid);
    expect(publicJwk).toBeDefined();
    const confused = hmacToken({ alg: 'HS256', typ: 'at+jwt', kid }, payload!, JSON.stringify(publicJwk));

    for (const forged of [unsigned, confused]) {
      const response = await apiClient.get('/v1/whoami', bearer(forged));
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        invalidToken('The access token is signed with an algorithm this API does not accept'),
      );
    }
  });

  it('refuses a JWT from another issuer', async () => {
    const other = await startIssuerServer();
    try {
      const claims = { aud: STRINGS_AUDIENCE, sub: user.id, org_id: user.organizationId };
      const foreign = await apiClient.get('/v1/whoami', bearer(await other.sign({ claims })));
      expect(foreign.status).toBe(401);
      expect(foreign.headers.get('www-authenticate')).toBe(invalidToken('No published signing key matches the access token (kid)'));
      // Claiming to be Tollbooth does not help: the key is not Tollbooth's.
      const impostor = await apiClient.get(
        '/v1/whoami',
        bearer(await other.sign({ claims: { ...claims, iss: `${tollbooth.url}/oauth` } })),
      );
      expect(impostor.status).toBe(401);
      expect(impostor.body.error).toBe('invalid_token');
    } finally {
      await other.close();
    }
  });

  it('gives a read-only JWT (scope=strings.read) 403 insufficient_scope on the write route', async () => {
    const readOnly = await exchange(stringsSecret, { scope: 'strings.read' });
    const write = await apiClient.post('/v1/strings', { key: 'greeting', value: 'hello' }, bearer(readOnly));
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe(
      `Bearer realm="${STRINGS_AUDIENCE}", error="insufficient_scope", error_description="The access token lacks the scope strings.write", scope="strings.write"`,
    );
    expect((await apiClient.get('/v1/strings', bearer(readOnly))).status).toBe(200);
    const full = await apiClient.post('/v1/strings', { key: 'greeting', value: 'hello' }, bearer(await exchange(stringsSecret)));
    expect(full.status).toBe(201);
  });

  it('after keys rotate, the running API accepts both the old and the new JWTs', async () => {
    const before = await exchange(stringsSecret);
    const oldKid = decodeSegment(before.split('.')[0]!).kid;
    expect((await apiClient.get('/v1/whoami', bearer(before))).status).toBe(200);

    const { config, dataSource } = tollbooth.runtime;
    const rotation = await rotateSigningKeys(dataSource, { algorithm: config.signingAlgorithm, keyEncryptionKey: config.keyEncryptionKey });
    expect(rotation?.active.id).not.toBe(oldKid);

    // The serving instance picks the rotation up on its next key refresh.
    const after = await eventually(async () => {
      const jwt = await exchange(stringsSecret);
      return decodeSegment(jwt.split('.')[0]!).kid === rotation!.active.id ? jwt : undefined;
    });
    for (const jwt of [before, after]) {
      const response = await apiClient.get('/v1/whoami', bearer(jwt));
      expect(response.status, response.text).toBe(200);
      expect(response.body.token_id).toBe(stringsTokenId);
    }
  });
});
