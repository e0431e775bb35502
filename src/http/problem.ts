import type { Context, Next } from 'koa';
import { isDatabaseUnavailableError } from '../db/index.js';
import { TollboothError, UnavailableError } from '../errors/index.js';
import type { AppState } from './state.js';

/** Titles for the statuses the API answers with; `title` is the same for every error of a status (RFC 9457 §3.1.3). */
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Codes for errors raised by Koa and its body parser, which carry a status but no code. */
const FRAMEWORK_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

/** Maps any thrown value to an RFC 9457 problem; unknown errors become a bare 500. */
export function toProblem(error: unknown): Problem {
  if (!(error instanceof TollboothError) && isDatabaseUnavailableError(error)) {
    // A database outage is the caller's cue to retry, not an internal error.
    return toProblem(new UnavailableError());
  }
  if (error instanceof TollboothError) {
    return {
      type: `https://tollbooth.dev/problems/${error.code}`,
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...error.extra,
    };
  }
  const status = (error as { status?: number; expose?: boolean })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = FRAMEWORK_CODES[status] ?? 'invalid_request';
    return {
      type: `https://tollbooth.dev/problems/${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail: (error as { expose?: boolean }).expose ? (error as Error).message : (TITLES[status] ?? 'Error'),
      code,
    };
  }
  return {
    type: 'https://tollbooth.dev/problems/internal_error',
    title: TITLES[500]!,
    status: 500,
    detail: 'An unexpected error occurred.',
    code: 'internal_error',
  };
}

export function sendProblem(ctx: Context, problem: Problem): void {
  ctx.status = problem.status;
  ctx.type = 'application/problem+json';
  ctx.body = problem;
  if (problem.code === 'rate_limited' && typeof problem.retry_after === 'number') {
    ctx.set('Retry-After', String(problem.retry_after));
  }
}

/**
 * The one place `/api` errors become HTTP: problem+json with a stable `code` (SPEC
 * "Management API"). Also answers unmatched /api routes with a 404 problem.
 */
export async function problemJson(ctx: Context & { state: AppState }, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      sendProblem(ctx, toProblem(Object.assign(new Error('Not Found'), { status: 404, expose: true })));
    }
  } catch (error) {
    const problem = toProblem(error);
    if (problem.status >= 500) ctx.state.log?.error({ err: error }, 'request failed');
    sendProblem(ctx, problem);
  }
}
