import { codedError } from './base.js';

/** 404: no such path or thing. */
export class NotFound extends codedError('not_found', 404) {}

/** 404: an organization that does not exist or the caller is not in; the two are indistinguishable. */
export class OrganizationNotFound extends codedError('organization_not_found', 404) {
  constructor(message = 'No such organization.') {
    super(message);
  }
}

/** 404: a token that does not exist, is deleted, or is not visible to the caller; indistinguishable. */
export class TokenNotFound extends codedError('token_not_found', 404) {
  constructor() {
    super('No such token.');
  }
}

/** 404: a user who is not a member of the organization, or no such user; indistinguishable. */
export class MemberNotFound extends codedError('member_not_found', 404) {
  constructor(message = 'No such member of this organization.') {
    super(message);
  }
}

/** 409: the change would leave the organization without an owner. */
export class LastOwner extends codedError('last_owner', 409) {
  constructor(action: 'remove' | 'demote') {
    super(`This is the organization's only owner: make another member owner before you ${action} them.`);
  }
}

/** 409: the owner already holds the maximum number of live tokens; `limit` is the cap. */
export class TokenLimitReached extends codedError('token_limit_reached', 409) {
  constructor(limit: number) {
    super(`You already have ${limit} live tokens; delete one to create another.`, { extra: { limit } });
  }
}

/** 409: the token has expired; its expiry is fixed, so a new secret would never work. */
export class TokenExpired extends codedError('token_expired', 409) {
  constructor(message = 'This token has expired; create a new one.') {
    super(message);
  }
}

/** 409: an account with this email exists. */
export class UserExists extends codedError('user_exists', 409) {
  constructor(email: string) {
    super(`A user with email ${email} already exists.`);
  }
}

/** 400: a change names a field that is fixed at creation; `field` says which. */
export class ImmutableField extends codedError('immutable_field', 400) {
  constructor(field: string, message: string) {
    super(message, { extra: { field } });
  }
}

/** 400: a service id that is not configured; `service` repeats it. */
export class UnknownService extends codedError('unknown_service', 400) {
  constructor(service: string) {
    super(`There is no service '${service}'.`, { extra: { service } });
  }
}

/** 400: a new user's email, password, organization or role is not acceptable. */
export class InvalidUser extends codedError('invalid_user', 400) {}
