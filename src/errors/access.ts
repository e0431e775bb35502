import { codedError } from './base.js';

/** 401: no credentials, or none that are valid. `challenge` is the `WWW-Authenticate` to send. */
export class Unauthenticated extends codedError('unauthenticated', 401) {
  constructor(message = 'Authentication is required.', { challenge }: { challenge?: string } = {}) {
    super(message, { challenge });
  }
}

/** 401: a bearer token that is missing, malformed, expired or not valid for this API (RFC 6750 §3.1). */
export class InvalidToken extends codedError('invalid_token', 401) {}

/** 401: the email or password is wrong; the same answer whether or not the account exists. */
export class InvalidCredentials extends codedError('invalid_credentials', 401) {
  constructor() {
    super('The email or password is not right.');
  }
}

/** 403: a valid bearer token without the scope the request needs (RFC 6750 §3.1). */
export class InsufficientScope extends codedError('insufficient_scope', 403) {
  constructor(scope: string, { challenge }: { challenge: string }) {
    super(`This call needs the ${scope} scope.`, { challenge });
  }
}

/** 403: a cookie-authenticated state change without the session's CSRF token. */
export class CsrfTokenInvalid extends codedError('csrf_token_invalid', 403) {}

/** 403: the caller's role in the organization is too low for this. */
export class InsufficientRole extends codedError('insufficient_role', 403) {}

/** 403: only a token's owner may do this (rename, describe or roll it). */
export class NotTokenOwner extends codedError('not_token_owner', 403) {
  constructor(action = 'rename or describe it') {
    super(`Only a token's owner can ${action}.`);
  }
}

/** 403: a token's role may not exceed its creator's role in the organization. */
export class RoleExceedsMembership extends codedError('role_exceeds_membership', 403) {
  constructor(ceiling: string) {
    super(`A token's role cannot exceed your role in the organization (${ceiling}).`);
  }
}

/**
 * 403: a bearer JWT (hours long) may not mint a platform-service secret (730 days long, and
 * itself able to mint JWTs for this API): creating or rolling one takes a signed-in person.
 */
export class PlatformTokenRequiresSession extends codedError('platform_token_requires_session', 403) {
  constructor(action: 'create' | 'roll') {
    super(
      `A JWT cannot ${action} a token for the platform service: sign in and ${action} it on the Access tokens page or with a session. Tokens for product services can still be ${action === 'create' ? 'created' : 'rolled'} with a JWT.`,
    );
  }
}

/** 403: a token an organization admin or owner disabled may be re-enabled only by an admin or owner. */
export class DisabledByAdmin extends codedError('disabled_by_admin', 403) {
  constructor() {
    super('An organization admin or owner disabled this token; only an admin or owner can enable it again.');
  }
}
