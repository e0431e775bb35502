import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/fixture.js';

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/**
 * One request over a bare socket: fetch refuses to send TRACE, TRACK and CONNECT at all, and
 * an attacker's client has no such scruples.
 */
function rawRequest(url: string, method: string, path: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${method} ${path}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = new Map(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const status = Number(statusLine.split(' ')[1]);
      if (!status) return reject(new Error(`no HTTP answer to ${method} ${path}: ${JSON.stringify(text.slice(0, 200))}`));
      let body = rest.join('\r\n\r\n');
      if (headers.get('transfer-encoding') === 'chunked') body = dechunk(body);
      resolve({ status, headers, body });
    });
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

const ODD_METHODS = ['TRACE', 'CONNECT', 'PROPFIND', 'PURGE', 'SEARCH', 'LOCK', 'QUERY', 'MKCOL'];

describe('methods nobody serves', () => {
  const server = useServer();

  describe.each(['/api/services', '/api/orgs/acme/tokens', '/api/session', '/api/no-such-thing'])('under /api: %s', (path) => {
    it.each(ODD_METHODS)('answers %s with a 4xx problem+json, never 501', async (method) => {
      const answer = await rawRequest(server.url, method, path);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({
        status: answer.status,
        code: expect.stringMatching(/^(method_not_allowed|not_found)$/),
      });
    });
  });

  it('answers TRACE on a known /api path with 405 and the methods it does serve', async () => {
    const answer = await rawRequest(server.url, 'TRACE', '/api/services');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toMatch(/\bGET\b/);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'method_not_allowed' });
  });

  it('answers OPTIONS on a known /api path with 204 and Allow, and no body', async () => {
    const answer = await rawRequest(server.url, 'OPTIONS', '/api/services');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('allow')).toMatch(/\bGET\b/);
    expect(answer.body).toBe('');
  });

  describe.each(['/oauth/token', '/oauth/jwks', '/oauth/no-such-thing', '/oauth', '/.well-known/oauth-authorization-server'])(
    'under /oauth: %s',
    (path) => {
      it.each([...ODD_METHODS, 'OPTIONS'])('answers %s with a 4xx RFC 6749 JSON error, never 501', async (method) => {
        const answer = await rawRequest(server.url, method, path);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        expect(JSON.parse(answer.body)).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
      });
    },
  );

  it('refuses a proxy tunnel (CONNECT host:port) with 405, not a 5xx or silence', async () => {
    const answer = await rawRequest(server.url, 'CONNECT', 'evil.example:443');
    expect(answer.status).toBe(405);
  });

  it.each(['POST', 'TRACE'])('still answers %s /healthz with 405', async (method) => {
    const answer = await rawRequest(server.url, method, '/healthz');
    expect(answer.status).toBe(405);
  });
});
