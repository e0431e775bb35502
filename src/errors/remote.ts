import { codedError, TollboothError } from './base.js';

/**
 * Errors of a client of a running Tollbooth (the stdio MCP server calls the management API over
 * HTTP): the answers it relays keep the server's code, so a tool reports the same error whether
 * it ran in-process or through the API.
 */

/** A problem answered by the management API, relayed as is: its code, status and extension members. */
export class RelayedProblem extends TollboothError {
  constructor(code: string, status: number, message: string, extra: Record<string, unknown>) {
    super(code, status, message, { extra });
  }
}

/** 502: the server answered something that is not a problem document. */
export class UnexpectedResponse extends codedError('unexpected_response', 502) {}

/** 503: the server could not be reached at all. */
export class TollboothUnreachable extends codedError('tollbooth_unreachable', 503) {}

/** 401: the platform token could not be exchanged for a JWT; `error` is the token endpoint's code. */
export class TokenExchangeFailed extends codedError('token_exchange_failed', 401) {
  constructor(message: string, error: string) {
    super(message, { extra: { error } });
  }
}
