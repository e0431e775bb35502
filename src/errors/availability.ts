import { codedError } from './base.js';

/** How long a caller is asked to wait before retrying a 503. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * 503: something Tollbooth depends on (the database, the signing keys) cannot serve the
 * request right now. The caller should retry after `Retry-After`; it is never a 500.
 */
export class TemporarilyUnavailable extends codedError('temporarily_unavailable', 503) {
  constructor(
    message = 'The service is temporarily unavailable; try again shortly.',
    { cause, retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS }: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause, retryAfterSeconds });
  }
}

/**
 * A key-store failure. Its message is for operators (which key, which setting to check) and
 * goes to the logs and the CLI; a caller only learns that the service is unavailable.
 */
export abstract class KeyStoreUnavailable extends TemporarilyUnavailable {
  override get description(): string {
    return 'No signing key is available; try again shortly.';
  }
}

/** No active signing key is loaded: none exists that this instance can sign with. */
export class NoSigningKeyError extends KeyStoreUnavailable {}

/** A private signing key cannot be decrypted, almost always a KEY_ENCRYPTION_KEY that differs from the one it was written with. */
export class KeyDecryptionError extends KeyStoreUnavailable {}

/** 429: too many failed attempts; blocked for `retry_after` seconds. */
export class RateLimited extends codedError('rate_limited', 429) {
  constructor(retryAfterSeconds: number) {
    super('Too many attempts; try again later.', { retryAfterSeconds, extra: { retry_after: retryAfterSeconds } });
  }
}

/** 500: a bug. The caller learns nothing but that it happened; the log has the cause. */
export class InternalError extends codedError('internal_error', 500) {
  constructor(cause?: unknown) {
    super('An unexpected error occurred.', { cause });
  }
}
