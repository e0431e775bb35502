import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { isWellFormedPlatformToken } from '../tokens/index.js';
import { EXCHANGE_CLIENT_ID } from './clients.js';
import { InvalidClient, InvalidRequest, UnsupportedGrantType } from '../errors/index.js';
import { CLIENT_CREDENTIALS_GRANT, TOKEN_EXCHANGE_GRANT } from './token-types.js';

/** Far above any legitimate token request (a 42-character token and a few parameters). */
const BODY_LIMIT_BYTES = 16 * 1024;

const SUPPORTED_GRANTS: ReadonlySet<string> = new Set([TOKEN_EXCHANGE_GRANT, CLIENT_CREDENTIALS_GRANT]);

/** What this middleware learned about the request, for the grant handlers and logs. */
export interface TokenRequestState {
  grantType: string;
  /** The client id as presented (Basic or body), for client_credentials. */
  clientId: string | undefined;
  /** The client secret as presented (Basic or body), for client_credentials. */
  clientSecret: string | undefined;
}

export const TOKEN_REQUEST_STATE = 'oauthTokenRequest';

async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new InvalidRequest('the token endpoint takes application/x-www-form-urlencoded bodies (RFC 6749 §3.2)');
  }
  let raw: string;
  try {
    raw = await getRawBody(ctx.req, { limit: BODY_LIMIT_BYTES, length: ctx.request.length, encoding: 'utf8' });
  } catch (error) {
    const tooLarge = (error as { type?: string }).type === 'entity.too.large';
    throw new InvalidRequest(tooLarge ? `the request body exceeds ${BODY_LIMIT_BYTES} bytes` : 'the request body could not be read');
  }
  return new URLSearchParams(raw);
}

/** RFC 6749 §2.3.1 HTTP Basic credentials (each part form-encoded); undefined when absent or unreadable. */
function basicCredentials(header: string): { id: string; secret: string } | undefined {
  const [scheme, value] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !value) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, '%20'));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * Runs before oidc-provider on `POST /oauth/token`. Reads the form once (bounded), then:
 * answers `unsupported_grant_type` for anything but the two grants (before the provider
 * would ask for client authentication); refuses a malformed client secret (bad checksum)
 * without a database read; and, for a token exchange that carries no client authentication,
 * names the built-in public client so the provider accepts it (the exchange needs no client
 * authentication).
 * The provider then reads the pre-read body (oidc-provider `shared/selective_body.js` falls
 * back to `ctx.request.body` once the request stream is consumed).
 */
export async function tokenRequest(ctx: Context, next: Next): Promise<void> {
  const form = await readForm(ctx);
  const grants = form.getAll('grant_type');
  if (grants.length === 0 || grants[0] === '') throw new InvalidRequest('missing required parameter: grant_type');
  if (grants.length > 1) throw new InvalidRequest("'grant_type' parameter must not be provided twice");
  const grantType = grants[0]!;
  if (!SUPPORTED_GRANTS.has(grantType)) {
    throw new UnsupportedGrantType(`supported grant types: ${[...SUPPORTED_GRANTS].join(', ')}`);
  }

  const authorization = ctx.get('Authorization');
  const basic = authorization ? basicCredentials(authorization) : undefined;
  const clientId = basic?.id ?? form.get('client_id') ?? undefined;
  const clientSecret = basic?.secret ?? form.get('client_secret') ?? undefined;
  const presentsClient = authorization !== '' || form.has('client_id') || form.has('client_secret') || form.has('client_assertion');

  ctx.state[TOKEN_REQUEST_STATE] = { grantType, clientId, clientSecret } satisfies TokenRequestState;

  if (grantType === CLIENT_CREDENTIALS_GRANT) {
    // RFC 6749 §5.2: no client authentication at all is invalid_client, as is a secret that
    // cannot be a platform token.
    if (!presentsClient) throw new InvalidClient();
    if (clientSecret !== undefined && !isWellFormedPlatformToken(clientSecret)) throw new InvalidClient();
  } else if (!presentsClient) {
    form.set('client_id', EXCHANGE_CLIENT_ID);
  }

  ctx.request.body = form.toString();
  await next();
}
