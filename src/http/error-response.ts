import type { Context } from 'koa';
import { isDatabaseUnavailableError } from '../db/availability.js';
import {
  BodyTooLarge,
  InternalError,
  InvalidRequest,
  MethodNotAllowed,
  NotFound,
  TemporarilyUnavailable,
  TollboothError,
  Unauthenticated,
  UnsupportedMediaType,
} from '../errors/index.js';
import { problemBody } from './problem-body.js';
import type { AppState } from './state.js';

/**
 * How a surface answers errors: problem+json (RFC 9457) on /api, RFC 6749 §5.2 JSON on /oauth,
 * where a failed HTTP Basic client authentication is challenged in `realm`.
 */
export type ErrorFormat = { kind: 'problem' } | { kind: 'oauth'; realm: string };

export const PROBLEM_FORMAT: ErrorFormat = { kind: 'problem' };

/** RFC 6749 §5.2 error body. */
export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

/** Errors raised by Koa, its router and body parser carry a status but no code. */
function fromFramework(status: number, message: string): TollboothError {
  switch (status) {
    case 401:
      return new Unauthenticated(message);
    case 404:
      return new NotFound(message);
    case 405:
      return new MethodNotAllowed(message);
    case 413:
      return new BodyTooLarge(message);
    case 415:
      return new UnsupportedMediaType(message);
    default:
      return new InvalidRequest(message, { status });
  }
}

/**
 * Anything thrown, as the error it is answered with: typed errors as they are, a database
 * outage as 503 `temporarily_unavailable` (the caller's cue to retry), a framework 4xx by its
 * status, and anything else as a 500 that reveals nothing.
 */
export function asTollboothError(thrown: unknown): TollboothError {
  if (thrown instanceof TollboothError) return thrown;
  if (isDatabaseUnavailableError(thrown)) return new TemporarilyUnavailable(undefined, { cause: thrown });
  const { status, expose, message } = (thrown ?? {}) as { status?: unknown; expose?: boolean; message?: string };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return fromFramework(status, expose && message ? message : (STATUS_TEXT[status] ?? 'Bad Request'));
  }
  return new InternalError(thrown);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
};

/** The RFC 6749 §5.2 body. RFC 6749 names an internal failure `server_error`. */
export function oauthErrorBody(error: TollboothError): OAuthErrorBody {
  return { error: error instanceof InternalError ? 'server_error' : error.code, error_description: error.description };
}

/**
 * Everything about an error answer but its body: logs a failure on our side, and sets
 * `Cache-Control: no-store`, `Retry-After` and `WWW-Authenticate`. RFC 6749 §5.2: a client
 * that tried to authenticate with the `Authorization` header and failed is challenged. The
 * oidc-provider seam uses this and lets the provider write the body.
 */
export function prepareErrorAnswer(ctx: Context, thrown: unknown, format: ErrorFormat): TollboothError {
  const error = asTollboothError(thrown);
  if (error.status >= 500) (ctx.state as Partial<AppState>).log?.error({ err: thrown }, 'request failed');
  ctx.set('Cache-Control', 'no-store');
  if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
  const challenge =
    error.challenge ??
    (format.kind === 'oauth' && error.status === 401 && ctx.get('Authorization')
      ? `Basic realm="${format.realm}", error="${error.code}"`
      : undefined);
  if (challenge) ctx.set('WWW-Authenticate', challenge);
  return error;
}

/** The one function that writes an error onto `ctx`: status, headers and body in the surface's format. */
export function writeError(ctx: Context, thrown: unknown, format: ErrorFormat): void {
  const error = prepareErrorAnswer(ctx, thrown, format);
  ctx.status = error.status;
  if (format.kind === 'oauth') {
    ctx.type = 'application/json';
    ctx.body = oauthErrorBody(error);
  } else {
    ctx.type = 'application/problem+json';
    ctx.body = problemBody(error);
  }
}
