export interface ErrorOptions {
  /** Extension members of the problem body (`limit`, `field`, `errors`, …); not part of OAuth answers. */
  extra?: Record<string, unknown>;
  /** The `WWW-Authenticate` challenge that goes with this answer (RFC 9110 §11.6.1). */
  challenge?: string;
  /** Seconds for `Retry-After` (RFC 9110 §10.2.3) on answers that ask the caller to come back. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The one base of every error Tollbooth answers with: a stable `code` callers can switch on
 * (the `error` of an RFC 6749 answer on /oauth, the `code` of a problem on /api) and the HTTP
 * status it is answered with. Domain code throws the subclass named for the code;
 * http/error-response.ts turns any of them into an HTTP answer, in one place.
 */
export class TollboothError extends Error {
  readonly extra: Readonly<Record<string, unknown>>;
  readonly challenge: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  protected constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    { extra = {}, challenge, retryAfterSeconds, cause }: ErrorOptions = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.extra = extra;
    this.challenge = challenge;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** What the caller is told. The message itself, unless it is meant for operators only. */
  get description(): string {
    return this.message;
  }
}

/**
 * The base class for one code: `class InvalidScope extends codedError('invalid_scope', 400) {}`.
 * Subclasses with a fixed message or extension members give their own constructor.
 */
export function codedError(code: string, status: number) {
  return class CodedError extends TollboothError {
    constructor(message: string, options: ErrorOptions = {}) {
      super(code, status, message, options);
    }
  };
}
