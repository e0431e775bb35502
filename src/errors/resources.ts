import { TollboothError } from './base.js';

/** 404: no such path or thing. */
export class NotFound extends TollboothError {
  constructor(message = 'Not found.') {
    super('not_found', 404, message);
  }
}

/** 404: an organization that does not exist or the caller is not in; the two are indistinguishable. */
export class OrganizationNotFound extends TollboothError {
  constructor(message = 'No such organization.') {
    super('organization_not_found', 404, message);
  }
}

/** 404: a token that does not exist, is deleted, or is not visible to the caller; indistinguishable. */
export class TokenNotFound extends TollboothError {
  constructor() {
    super('token_not_found', 404, 'No such token.');
  }
}

/** 409: the owner already holds the maximum number of live tokens; `limit` is the cap. */
export class TokenLimitReached extends TollboothError {
  constructor(limit: number) {
    super('token_limit_reached', 409, `You already have ${limit} live tokens; delete one to create another.`, { extra: { limit } });
  }
}

/** 409: an account with this email exists. */
export class UserExists extends TollboothError {
  constructor(email: string) {
    super('user_exists', 409, `A user with email ${email} already exists.`);
  }
}

/** 400: a change names a field that is fixed at creation; `field` says which. */
export class ImmutableField extends TollboothError {
  constructor(field: string, message: string) {
    super('immutable_field', 400, message, { extra: { field } });
  }
}

/** 400: a service id that is not configured; `service` repeats it. */
export class UnknownService extends TollboothError {
  constructor(service: string) {
    super('unknown_service', 400, `There is no service '${service}'.`, { extra: { service } });
  }
}

/** 400: a new user's email, password, organization or role is not acceptable. */
export class InvalidUser extends TollboothError {
  constructor(message: string) {
    super('invalid_user', 400, message);
  }
}
