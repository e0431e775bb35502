import { TollboothError, type ErrorOptions } from './base.js';

/**
 * The RFC 6749 §5.2 error codes (and RFC 8707's `invalid_target`). `invalid_request` is also
 * the management API's code for input that fails validation.
 */

/** 400: a parameter or field is missing, repeated, malformed or not allowed. */
export class InvalidRequest extends TollboothError {
  constructor(
    message: string,
    {
      errors,
      status = 400,
      ...options
    }: Omit<ErrorOptions, 'extra'> & { errors?: ReadonlyArray<{ field: string; message: string }>; status?: number } = {},
  ) {
    super('invalid_request', status, message, { ...options, extra: errors ? { errors } : {} });
  }
}

/**
 * 400: the subject token cannot be exchanged. One answer for every such token — unknown,
 * malformed, disabled, expired, deleted, or whose owner lost the role — so the answer reveals
 * nothing about which.
 */
export class InvalidGrant extends TollboothError {
  constructor(message = 'the subject token is invalid, expired or revoked') {
    super('invalid_grant', 400, message);
  }
}

/** 401: the client_credentials counterpart of `InvalidGrant`, worded as oidc-provider words its own. */
export class InvalidClient extends TollboothError {
  constructor(message = 'client authentication failed') {
    super('invalid_client', 401, message);
  }
}

/** 400: a requested scope the token does not grant (RFC 6749 §3.3). */
export class InvalidScope extends TollboothError {
  constructor(message: string) {
    super('invalid_scope', 400, message);
  }
}

/** 400: `audience` or `resource` names something the token cannot be used for (RFC 8707 §2, RFC 8693 §2.2.2). */
export class InvalidTarget extends TollboothError {
  constructor(message: string) {
    super('invalid_target', 400, message);
  }
}

/** 400: a grant type the token endpoint does not offer. */
export class UnsupportedGrantType extends TollboothError {
  constructor(message: string) {
    super('unsupported_grant_type', 400, message);
  }
}
