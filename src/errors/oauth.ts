import { codedError, TollboothError, type ErrorOptions } from './base.js';

/**
 * The RFC 6749 §5.2 error codes (and RFC 8707's `invalid_target`). `invalid_request` is also
 * the management API's code for input that fails validation.
 */

/** A problem with one field of the input, as `invalid_request` lists them. */
export interface FieldError {
  field: string;
  message: string;
}

/** 400: a parameter or field is missing, repeated, malformed or not allowed. */
export class InvalidRequest extends TollboothError {
  /** `status`: RFC 6749 has no code for a wrong method, so /oauth answers one as invalid_request with 405. */
  constructor(
    message: string,
    { errors, status = 400, ...options }: ErrorOptions & { errors?: readonly FieldError[]; status?: number } = {},
  ) {
    super('invalid_request', status, message, { ...options, extra: errors ? { errors } : {} });
  }
}

/**
 * 400: the subject token cannot be exchanged. One answer for every such token — unknown,
 * malformed, disabled, expired, deleted, or whose owner lost the role — so the answer reveals
 * nothing about which.
 */
export class InvalidGrant extends codedError('invalid_grant', 400) {
  constructor(message = 'the subject token is invalid, expired or revoked') {
    super(message);
  }
}

/** 401: the client_credentials counterpart of `InvalidGrant`, worded as oidc-provider words its own. */
export class InvalidClient extends codedError('invalid_client', 401) {
  constructor(message = 'client authentication failed') {
    super(message);
  }
}

/** 400: a requested scope the token does not grant (RFC 6749 §3.3). */
export class InvalidScope extends codedError('invalid_scope', 400) {}

/** 400: `audience` or `resource` names something the token cannot be used for (RFC 8707 §2, RFC 8693 §2.2.2). */
export class InvalidTarget extends codedError('invalid_target', 400) {}

/** 400: a grant type the token endpoint does not offer. */
export class UnsupportedGrantType extends codedError('unsupported_grant_type', 400) {}
