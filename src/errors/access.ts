import { TollboothError } from './base.js';

/** 401: no credentials, or none that are valid. `challenge` is the `WWW-Authenticate` to send. */
export class Unauthenticated extends TollboothError {
  constructor(message = 'Authentication is required.', { challenge }: { challenge?: string } = {}) {
    super('unauthenticated', 401, message, { challenge });
  }
}

/** 401: a bearer token that is missing, malformed, expired or not valid for this API (RFC 6750 §3.1). */
export class InvalidToken extends TollboothError {
  constructor(message: string, { challenge }: { challenge: string }) {
    super('invalid_token', 401, message, { challenge });
  }
}

/** 401: the email or password is wrong; the same answer whether or not the account exists. */
export class InvalidCredentials extends TollboothError {
  constructor() {
    super('invalid_credentials', 401, 'The email or password is not right.');
  }
}

/** 403: a valid bearer token without the scope the request needs (RFC 6750 §3.1). */
export class InsufficientScope extends TollboothError {
  constructor(scope: string, { challenge }: { challenge: string }) {
    super('insufficient_scope', 403, `This call needs the ${scope} scope.`, { challenge });
  }
}

/** 403: a cookie-authenticated state change without the session's CSRF token. */
export class CsrfTokenInvalid extends TollboothError {
  constructor(message: string) {
    super('csrf_token_invalid', 403, message);
  }
}

/** 403: the caller's role in the organization is too low for this. */
export class InsufficientRole extends TollboothError {
  constructor(message: string) {
    super('insufficient_role', 403, message);
  }
}

/** 403: only a token's owner may do this (rename or describe it). */
export class NotTokenOwner extends TollboothError {
  constructor() {
    super('not_token_owner', 403, "Only a token's owner can rename or describe it.");
  }
}

/** 403: a token's role may not exceed its creator's role in the organization. */
export class RoleExceedsMembership extends TollboothError {
  constructor(ceiling: string) {
    super('role_exceeds_membership', 403, `A token's role cannot exceed your role in the organization (${ceiling}).`);
  }
}
