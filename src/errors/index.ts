/**
 * Typed errors with a stable `code` callers can switch on. Domain code throws these;
 * http/problem.ts turns them into problem+json on /api, oauth/ into RFC 6749 JSON.
 */
export class TollboothError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is well-formed HTTP but its content is wrong. */
export class InvalidInputError extends TollboothError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super(code, message, 400, extra);
  }
}

/** 401: no valid credentials. */
export class UnauthenticatedError extends TollboothError {
  constructor(code = 'unauthenticated', message = 'Authentication is required.') {
    super(code, message, 401);
  }
}

/** 403: authenticated, but not allowed. */
export class ForbiddenError extends TollboothError {
  constructor(code: string, message: string) {
    super(code, message, 403);
  }
}

/** 404: absent, or not visible to the caller (the two are deliberately indistinguishable). */
export class NotFoundError extends TollboothError {
  constructor(code = 'not_found', message = 'Not found.') {
    super(code, message, 404);
  }
}

/** 409: the request conflicts with the current state. */
export class ConflictError extends TollboothError {
  constructor(code: string, message: string, extra: Record<string, unknown> = {}) {
    super(code, message, 409, extra);
  }
}

/** 429: too many attempts. */
export class RateLimitedError extends TollboothError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'Too many attempts; try again later.', 429, { retry_after: retryAfterSeconds });
  }
}

/** 503: a dependency (the database) is not answering. */
export class UnavailableError extends TollboothError {
  constructor(message = 'The service is temporarily unavailable; try again shortly.') {
    super('temporarily_unavailable', message, 503);
  }
}
