import { InvalidClient } from '../errors/index.js';

/** Client credentials read from an `Authorization: Basic` header. */
export interface BasicCredentials {
  id: string;
  /** Undefined when the header carries an empty password (`id:`), as some public clients send. */
  secret: string | undefined;
}

/** RFC 7617 §2: `Basic` (any case), one space, then base64 with canonical padding (RFC 4648 §4). */
const BASIC = /^basic ([A-Za-z0-9+/]+={0,2})$/i;

/** RFC 6749 Appendix A.1 and A.2: client_id and client_secret are VSCHARs (%x20-7E). */
const VSCHARS = /^[\x20-\x7E]*$/;

function isCanonicalBase64(value: string): boolean {
  const padding = value.length - value.replace(/=+$/, '').length;
  return value.length % 4 === 0 || (padding === 0 && value.length % 4 !== 1);
}

/** RFC 6749 §2.3.1: each part is form-encoded before it is joined with ':' and base64-encoded. */
function formDecode(part: string): string {
  const decoded = decodeURIComponent(part.replace(/\+/g, '%20'));
  if (!VSCHARS.test(decoded)) throw new URIError('not a VSCHAR');
  return decoded;
}

function malformed(): InvalidClient {
  return new InvalidClient('the Authorization header is not HTTP Basic client authentication (RFC 6749 §2.3.1)');
}

/**
 * The one reading of the token endpoint's `Authorization` header, for Tollbooth and for
 * oidc-provider alike: the provider is only ever shown `basicAuthorization()` of what this
 * returns. Anything that is not well-formed Basic client authentication — another scheme,
 * broken base64, no colon, a part that is not valid form encoding (`%ZZ`) or decodes to a
 * character outside VSCHAR — is `invalid_client` (401), never read as "no credentials".
 */
export function parseBasicAuthorization(header: string): BasicCredentials {
  const match = BASIC.exec(header);
  if (!match || !isCanonicalBase64(match[1]!)) throw malformed();
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw malformed();
  let id: string;
  let secret: string;
  try {
    id = formDecode(decoded.slice(0, colon));
    secret = formDecode(decoded.slice(colon + 1));
  } catch {
    throw malformed();
  }
  if (id === '') throw malformed();
  return { id, secret: secret === '' ? undefined : secret };
}

/** The canonical header for credentials `parseBasicAuthorization` read: it reads them back unchanged. */
export function basicAuthorization(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
