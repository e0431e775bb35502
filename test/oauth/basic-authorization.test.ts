import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization, parseBasicAuthorization } from '../../src/oauth/basic-credentials.js';
import { TOKEN_EXCHANGE_GRANT } from '../../src/oauth/index.js';
import { buildToken, buildUser, type BuiltToken } from '../support/factories.js';
import { useServer } from '../support/fixture.js';
import type { TestClient } from '../support/http.js';
import { expectOAuthError } from '../support/oauth.js';

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const basic = (decoded: string | Buffer) => `Basic ${base64(decoded)}`;

/** Headers that are not well-formed HTTP Basic client authentication, each for a different reason. */
const MALFORMED: Array<[string, string]> = [
  ['a part that is not valid form encoding (%ZZ)', basic('%ZZ:x')],
  ['a secret that is not valid form encoding', basic('id:%E0%A4%A')],
  ['a control character once decoded', basic('id:se%00cret')],
  ['bytes that are not UTF-8', `Basic ${base64(Buffer.from([0x69, 0x64, 0x3a, 0xff, 0xfe]))}`],
  ['no colon', basic('just-an-id')],
  ['an empty client id', basic(':secret')],
  ['broken base64', 'Basic !!!not-base64!!!'],
  ['base64 with wrong padding', 'Basic YQ='],
  ['the scheme alone', 'Basic'],
  ['two spaces', `Basic  ${base64('id:secret')}`],
  ['another scheme', 'Bearer eyJhbGciOiJub25lIn0.e30.'],
];

describe('the one Basic parser', () => {
  it.each(MALFORMED)('refuses %s as invalid_client', (_case, header) => {
    expect(() => parseBasicAuthorization(header)).toThrow(expect.objectContaining({ code: 'invalid_client', status: 401 }));
  });

  it('form-decodes both parts (RFC 6749 §2.3.1), the scheme in any case', () => {
    expect(parseBasicAuthorization(basic('my+client%3A1:p%40ss+word'))).toEqual({ id: 'my client:1', secret: 'p@ss word' });
    expect(parseBasicAuthorization(`bAsIc ${base64('a:b')}`)).toEqual({ id: 'a', secret: 'b' });
  });

  it('reads an empty password as no secret', () => {
    expect(parseBasicAuthorization(basic('public-client:'))).toEqual({ id: 'public-client', secret: undefined });
  });

  it.each([
    ['plain', 'client', 'tbp_secret'],
    ['characters form encoding changes', 'a b+c:d%e', '~!*()\'"&=?/'],
    ['every VSCHAR', ' !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~', 'x'],
  ])('reads back what basicAuthorization wrote (%s)', (_case, id, secret) => {
    expect(parseBasicAuthorization(basicAuthorization(id, secret))).toEqual({ id, secret });
  });
});

describe('Basic client authentication at POST /oauth/token', () => {
  const server = useServer();
  let client: TestClient;
  let token: BuiltToken;

  beforeAll(async () => {
    client = server.client();
    token = await buildToken(server.dataSource, await buildUser(server.dataSource, { organization: 'basic-org', role: 'manager' }));
  });

  const clientCredentialsWith = (authorization: string) =>
    client.request('POST', '/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization } });
  const exchangeWith = (authorization: string) =>
    client.request('POST', '/oauth/token', {
      form: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token.secret },
      headers: { authorization },
    });

  describe.each([
    ['client_credentials', clientCredentialsWith],
    ['the token exchange', exchangeWith],
  ])('%s', (_grant, send) => {
    it.each(MALFORMED)(
      'answers 401 invalid_client with a Basic challenge to %s, the same reading the provider is given',
      async (_case, header) => {
        const response = await send(header);
        const body = expectOAuthError(response, 401, 'invalid_client');
        // Tollbooth's own refusal: the provider, which would call some of these a 400 invalid_request, never sees them.
        expect(body.error_description).toMatch(/^the Authorization header is not HTTP Basic client authentication/);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+", error="invalid_client"$/);
      },
    );
  });

  it('authenticates credentials in any well-formed encoding as the client the parser read', async () => {
    const percentEncoded = (text: string) => [...text].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    for (const header of [
      basic(`${percentEncoded(token.id)}:${percentEncoded(token.secret)}`),
      basic(`${token.id}:${token.secret}`).replace(/=+$/, ''),
      `BASIC ${base64(`${token.id}:${token.secret}`)}`,
    ]) {
      const response = await clientCredentialsWith(header);
      expect(response.status, `${header}: ${response.text}`).toBe(200);
      expect(decodeJwt(response.body.access_token).client_id).toBe(token.id);
    }
  });
});
