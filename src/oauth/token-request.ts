import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { InvalidClient, InvalidRequest, UnsupportedGrantType } from '../errors/index.js';
import { isWellFormedPlatformToken } from '../tokens/index.js';
import { basicAuthorization, parseBasicAuthorization, type BasicCredentials } from './basic-credentials.js';
import { EXCHANGE_CLIENT_ID } from './clients.js';
import { handToProvider } from './provider-request.js';
import { beginTokenRequest, type PresentedClient } from './request-state.js';
import { CLIENT_CREDENTIALS_GRANT, TOKEN_EXCHANGE_GRANT } from './token-types.js';

/** Far above any legitimate token request (a 42-character token and a few parameters). */
const BODY_LIMIT_BYTES = 16 * 1024;

const SUPPORTED_GRANTS: ReadonlySet<string> = new Set([TOKEN_EXCHANGE_GRANT, CLIENT_CREDENTIALS_GRANT]);

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

function grantTypeOf(form: URLSearchParams): string {
  const grants = form.getAll('grant_type');
  if (grants.length === 0 || grants[0] === '') throw new InvalidRequest('missing required parameter: grant_type');
  if (grants.length > 1) throw new InvalidRequest("'grant_type' parameter must not be provided twice");
  const grantType = grants[0]!;
  if (!SUPPORTED_GRANTS.has(grantType)) {
    throw new UnsupportedGrantType(`supported grant types: ${[...SUPPORTED_GRANTS].join(', ')}`);
  }
  return grantType;
}

/** A client secret the request presents, by Basic or in the body; an empty one is none. */
function presentedSecret(basic: BasicCredentials | undefined, form: URLSearchParams): string | undefined {
  return basic?.secret ?? (form.get('client_secret') || undefined);
}

/**
 * Runs before oidc-provider on `POST /oauth/token`. Reads the form once (bounded), then:
 * - answers `unsupported_grant_type` for anything but the two grants, before the provider
 *   would ask for client authentication;
 * - reads the `Authorization` header with the one Basic parser (malformed is `invalid_client`);
 * - runs an exchange that presents no client secret as the built-in public client, whatever
 *   `client_id` it names: OAuth libraries using the `none` method name one, and the subject
 *   token is the only credential either way;
 * - refuses client_credentials without a secret, or with one that cannot be a platform token,
 *   without a database read;
 * - records what it learned in the request's typed state, and hands the provider the request
 *   as accepted (`handToProvider`).
 */
export async function tokenRequest(ctx: Context, next: Next): Promise<void> {
  const form = await readForm(ctx);
  const grantType = grantTypeOf(form);
  const authorization = ctx.get('Authorization');
  const basic = authorization === '' ? undefined : parseBasicAuthorization(authorization);
  const secret = presentedSecret(basic, form);
  const clientId = basic?.id ?? form.get('client_id') ?? undefined;

  let client: PresentedClient | undefined;
  if (grantType === TOKEN_EXCHANGE_GRANT && secret === undefined && !form.has('client_assertion')) {
    form.delete('client_secret');
    form.set('client_id', EXCHANGE_CLIENT_ID);
  } else if (grantType === CLIENT_CREDENTIALS_GRANT && (secret === undefined || clientId === undefined)) {
    // RFC 6749 §5.2: a client that does not authenticate is invalid_client.
    throw new InvalidClient();
  } else if (secret !== undefined && clientId !== undefined) {
    if (!isWellFormedPlatformToken(secret)) throw new InvalidClient();
    client = { id: clientId, secret };
  }

  beginTokenRequest(ctx, { grantType, client });
  const providerAuthorization = client && basic ? basicAuthorization(client.id, client.secret) : undefined;
  await handToProvider(ctx, { form: form.toString(), authorization: providerAuthorization }, next);
}
