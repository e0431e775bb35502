/**
 * Every error Tollbooth answers with: one class per code, all under `TollboothError`, which
 * carries the code and the HTTP status. No Koa here: http/error-response.ts writes them.
 */
export { TollboothError, type ErrorOptions } from './base.js';
export {
  type FieldError,
  InvalidRequest,
  InvalidGrant,
  InvalidClient,
  InvalidScope,
  InvalidTarget,
  UnsupportedGrantType,
} from './oauth.js';
export {
  TemporarilyUnavailable,
  KeyStoreUnavailable,
  NoSigningKeyError,
  KeyDecryptionError,
  RateLimited,
  InternalError,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from './availability.js';
export {
  Unauthenticated,
  InvalidToken,
  InvalidCredentials,
  InsufficientScope,
  CsrfTokenInvalid,
  InsufficientRole,
  NotTokenOwner,
  PlatformTokenRequiresSession,
  DisabledByAdmin,
  RoleExceedsMembership,
} from './access.js';
export {
  NotFound,
  OrganizationNotFound,
  TokenNotFound,
  MemberNotFound,
  LastOwner,
  TokenLimitReached,
  TokenExpired,
  UserExists,
  ImmutableField,
  UnknownService,
  InvalidUser,
} from './resources.js';
export { MalformedJson, MethodNotAllowed, BodyTooLarge, UnsupportedMediaType } from './http.js';
export { RelayedProblem, UnexpectedResponse, TollboothUnreachable, TokenExchangeFailed } from './remote.js';
