import type { Context, Next } from 'koa';
import { isDatabaseUnavailableError } from '../db/index.js';
import { RateLimitedError, TollboothError, UnavailableError } from '../errors/index.js';
import type { AppState } from '../http/index.js';

/**
 * An RFC 6749 §5.2 error: `code` is the `error` value (`invalid_grant`, `invalid_target`, …)
 * and the message its `error_description`. Domain code throws these; `sendOAuthError` and the
 * provider seam turn them into JSON — never HTML, never problem+json.
 */
const RETRY_AFTER_SECONDS = 5;

export class OAuthError extends TollboothError {
  constructor(code: string, description: string, status = 400) {
    super(code, description, status);
  }
}

/**
 * One answer for every token that cannot be exchanged — unknown, malformed, disabled,
 * expired, deleted, or whose owner lost the role — so the answer reveals nothing about which.
 */
export function invalidGrant(description = 'the subject token is invalid, expired or revoked'): OAuthError {
  return new OAuthError('invalid_grant', description);
}

/** The client_credentials counterpart of `invalidGrant`, worded as oidc-provider words its own. */
export function invalidClient(): OAuthError {
  return new OAuthError('invalid_client', 'client authentication failed', 401);
}

export function invalidRequest(description: string): OAuthError {
  return new OAuthError('invalid_request', description);
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

export interface OAuthErrorAnswer {
  status: number;
  body: OAuthErrorBody;
  /** Seconds for `Retry-After` (429, 503). */
  retryAfter?: number;
}

/**
 * Maps anything thrown on /oauth to status + RFC 6749 body. Typed errors keep their code
 * (`rate_limited`, `temporarily_unavailable`); a database outage is a 503; only a genuine bug
 * is a 500 `server_error`.
 */
export function toOAuthError(error: unknown): OAuthErrorAnswer {
  if (error instanceof RateLimitedError) {
    return { status: 429, body: { error: error.code, error_description: error.message }, retryAfter: error.retryAfterSeconds };
  }
  if (error instanceof TollboothError) {
    return {
      status: error.status,
      body: { error: error.code, error_description: error.message },
      retryAfter: error.status === 503 ? RETRY_AFTER_SECONDS : undefined,
    };
  }
  if (isDatabaseUnavailableError(error)) {
    return toOAuthError(new UnavailableError());
  }
  return { status: 500, body: { error: 'server_error', error_description: 'an unexpected error occurred' } };
}

/**
 * Sends an OAuth error. RFC 6749 §5.2: a 401 for a client that tried HTTP Basic carries
 * `WWW-Authenticate`; every answer from the token endpoint is `no-store` (§5.1).
 */
export function sendOAuthError(ctx: Context, { status, body, retryAfter }: OAuthErrorAnswer, realm: string): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.set('Cache-Control', 'no-store');
  if (status === 401 && ctx.get('Authorization')) ctx.set('WWW-Authenticate', basicChallenge(realm, body.error));
  if (retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
  ctx.body = body;
}

/** RFC 7617 challenge for a failed client authentication. */
export function basicChallenge(realm: string, error: string): string {
  return `Basic realm="${realm}", error="${error}"`;
}

/**
 * The one error boundary for /oauth and the metadata documents outside oidc-provider itself:
 * thrown errors and unmatched routes become RFC 6749-shaped JSON.
 */
export function oauthErrors(realm: string) {
  return async function oauthErrorsMiddleware(ctx: Context & { state: AppState }, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        sendOAuthError(ctx, { status: 404, body: { error: 'not_found', error_description: 'no such OAuth endpoint' } }, realm);
      }
    } catch (error) {
      const answer = toOAuthError(error);
      if (answer.status >= 500) ctx.state.log?.error({ err: error }, 'oauth request failed');
      sendOAuthError(ctx, answer, realm);
    }
  };
}
