import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A real issuer for the verifier tests: an HTTP server publishing RFC 8414 metadata and a JWKS
 * of jose-generated keys, and signing JWTs with them. Tollbooth itself is exercised in
 * end-to-end.test.ts; this one lets a test publish, withhold and break things at will.
 */
export const AUDIENCE = 'https://strings.tollbooth.example/api';

export interface IssuerKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface SignOptions {
  /** Claims to add or override; `undefined` removes a claim. */
  claims?: Record<string, unknown>;
  /** Header parameters to override (`alg`, `typ`, `kid`). */
  header?: Record<string, unknown>;
  /** The key to sign with; default the first one. */
  key?: IssuerKey;
}

export interface IssuerServerOptions {
  /** The issuer's path; Tollbooth's is `/oauth`. */
  path?: string;
  /** Where the metadata is served; default the server root, as Tollbooth does. */
  metadataPaths?: string[];
  /** The `issuer` the metadata names; default the real one. */
  metadataIssuer?: string;
  /** Publish a revocation feed (`revocation_feed_uri`); default true, as Tollbooth does. */
  feed?: boolean;
}

export interface IssuerServer {
  origin: string;
  issuer: string;
  jwksUri: string;
  keys: IssuerKey[];
  /** Every path requested, in order. */
  requests: string[];
  jwksFetches(): number;
  /** Requests to the revocation feed, and how many of them were answered 304. */
  feedFetches(): number;
  notModified(): number;
  /** Status the metadata, JWKS and feed answer with; set to 500 to simulate an outage. */
  status: { metadata: number; jwks: number; feed: number };
  /** Lists a token in the feed: its JWTs with `iat` before `notBefore` (default now, rounded up) are dead. */
  revoke(tokenId: string, notBefore?: number): void;
  /** Overrides the signed feed: its claims, header or key (to test refusals). */
  feedSigning: SignOptions;
  /** Generates a key; published in the JWKS unless `publish: false`. */
  addKey(alg?: string, options?: { publish?: boolean }): Promise<IssuerKey>;
  publish(key: IssuerKey): void;
  /** Removes a key from the JWKS (it still signs, as a stolen key would). */
  withdraw(key: IssuerKey): void;
  sign(options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startIssuerServer(options: IssuerServerOptions = {}): Promise<IssuerServer> {
  const path = options.path ?? '/oauth';
  const metadataPaths = options.metadataPaths ?? ['/.well-known/oauth-authorization-server'];
  const published: IssuerKey[] = [];
  const requests: string[] = [];
  const status = { metadata: 200, jwks: 200, feed: 200 };
  const revoked = new Map<string, number>();
  const feedSigning: SignOptions = {};
  let notModified = 0;
  let origin = '';
  const feedTag = () => `W/"${[...revoked].map(([id, at]) => `${id}:${at}`).join(',')}${JSON.stringify(feedSigning.claims ?? {})}"`;

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    const send = (code: number, body: unknown) => {
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === `${path}/jwks`) {
      if (status.jwks !== 200) return send(status.jwks, { error: 'server_error' });
      return send(200, { keys: published.map((key) => key.publicJwk) });
    }
    if (url.pathname === `${path}/revocations`) {
      if (status.feed !== 200) return send(status.feed, { error: 'server_error' });
      const etag = feedTag();
      if (request.headers['if-none-match'] === etag) {
        notModified += 1;
        response.writeHead(304, { etag });
        return response.end();
      }
      const key = feedSigning.key ?? issuerServer.keys[0]!;
      const payload: JWTPayload = {
        iss: `${origin}${path}`,
        iat: Math.floor(Date.now() / 1000),
        window_seconds: 14_700,
        revocations: [...revoked].map(([tokenId, notBefore]) => ({ token_id: tokenId, not_before: notBefore })),
        ...feedSigning.claims,
      };
      void new SignJWT(payload)
        .setProtectedHeader({ alg: key.alg, typ: 'revocations+jwt', kid: key.kid, ...feedSigning.header } as { alg: string })
        .sign(key.privateKey)
        .then((jws) => {
          response.writeHead(200, { 'content-type': 'application/jwt', etag, 'cache-control': 'public, max-age=5' });
          response.end(jws);
        });
      return;
    }
    if (metadataPaths.includes(url.pathname)) {
      if (status.metadata !== 200) return send(status.metadata, { error: 'server_error' });
      return send(200, {
        issuer: options.metadataIssuer ?? `${origin}${path}`,
        token_endpoint: `${origin}${path}/token`,
        jwks_uri: `${origin}${path}/jwks`,
        ...(options.feed === false ? {} : { revocation_feed_uri: `${origin}${path}/revocations` }),
        grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange', 'client_credentials'],
      });
    }
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const issuer = `${origin}${path}`;

  const keys: IssuerKey[] = [];
  const issuerServer: IssuerServer = {
    origin,
    issuer,
    jwksUri: `${issuer}/jwks`,
    keys,
    requests,
    status,
    jwksFetches: () => requests.filter((item) => item === `${path}/jwks`).length,
    feedFetches: () => requests.filter((item) => item === `${path}/revocations`).length,
    notModified: () => notModified,
    revoke(tokenId, notBefore = Math.ceil(Date.now() / 1000)) {
      revoked.set(tokenId, notBefore);
    },
    feedSigning,
    async addKey(alg = 'ES256', { publish = true } = {}) {
      const pair = await generateKeyPair(alg, { extractable: true });
      const kid = randomUUID();
      const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' };
      const key = { kid, alg, privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk };
      keys.push(key);
      if (publish) published.push(key);
      return key;
    },
    publish(key) {
      published.push(key);
    },
    withdraw(key) {
      const index = published.indexOf(key);
      if (index === -1) throw new Error(`key ${key.kid} is not published`);
      published.splice(index, 1);
    },
    async sign({ claims = {}, header = {}, key = keys[0]! } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: issuer,
        sub: 'user-1',
        aud: AUDIENCE,
        client_id: 'token-1',
        token_id: 'token-1',
        org_id: 'org-1',
        role: 'member',
        scope: 'strings.read strings.write',
        jti: randomUUID(),
        iat: now,
        exp: now + 14_400,
      };
      for (const [name, value] of Object.entries(claims)) {
        if (value === undefined) delete payload[name];
        else payload[name] = value;
      }
      return new SignJWT(payload)
        .setProtectedHeader({ alg: key.alg, typ: 'at+jwt', kid: key.kid, ...header } as { alg: string })
        .sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  await issuerServer.addKey('ES256');
  return issuerServer;
}

/** base64url of a JSON value, for hand-built tokens (alg none, tampering). */
export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * A compact JWT with an HMAC-SHA256 signature over header.payload, built by hand — the
 * key-confusion forgery, where the "secret" is the issuer's public key.
 */
export function hmacToken(header: object, payload: string | object, secret: string | Buffer): string {
  const input = `${encodeSegment(header)}.${typeof payload === 'string' ? payload : encodeSegment(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** Request options carrying `Authorization: Bearer <token>` for TestClient. */
export function bearer(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}` } };
}

/** Decodes one segment of a compact JWT. */
export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * An issuer for the enclosing describe block: started before its tests, closed after them,
 * with real timers restored after each test (several tests freeze the clock).
 */
export function issuerForSuite(): () => IssuerServer {
  let issuer: IssuerServer | undefined;
  beforeAll(async () => {
    issuer = await startIssuerServer();
  });
  afterAll(async () => {
    await issuer?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return () => issuer!;
}
