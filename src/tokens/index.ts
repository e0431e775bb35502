/**
 * Platform tokens: the format (mint, checksum, digest), the lifecycle (create under the cap,
 * rename, disable/enable, delete), the queries behind the management API, and the lookup
 * the token exchange uses. Domain functions take plain values and a DataSource, so the API,
 * the CLI, benchmarks and tests share them.
 */
export {
  TOKEN_PREFIX,
  TOKEN_LENGTH,
  DISPLAY_PREFIX_LENGTH,
  mintPlatformToken,
  isWellFormedPlatformToken,
  digestPlatformToken,
  digestsEqual,
  displayPrefix,
} from './format.js';
export { findUsableTokenBySecret, findUsableTokenById, findStillUsableToken, type UsableToken } from './usable-token.js';
export { isTokenId } from './token-id.js';
export { knownService } from './known-service.js';
export { scopesForNewToken } from './scopes.js';
export {
  TOKEN_LIFETIME_DAYS,
  TOKEN_CAP,
  NAME_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  ROLL_GRACE_DEFAULT_SECONDS,
  ROLL_GRACE_MAX_SECONDS,
  expiryFor,
  tokenNameSchema,
  tokenDescriptionSchema,
} from './rules.js';
export { TOKEN_STATUSES, LISTED_STATUSES, tokenStatus, type TokenStatus, type ListedStatus } from './status.js';
export { seesWholeOrganization, type TokenActor, type ActorCredential } from './actor.js';
export { aboveOwnerRole, type TokenView } from './views.js';
export { createPlatformToken, tokenCapLock, type NewPlatformToken, type CreatedPlatformToken } from './create.js';
export { listTokens, findVisibleToken, countLiveTokens, type TokenFilters } from './query.js';
export { changeTokenDetails, setTokenStatus, type TokenDetailsChange } from './change.js';
export {
  deleteTokens,
  deleteToken,
  markDeleted,
  BULK_DELETE_MAX,
  DELETION_REASONS,
  type DeletionReason,
  type Deletion,
  type DeletionResult,
} from './remove.js';
export { rollToken, rollPresentedToken, type RollOptions, type PresentedRollOptions, type RolledToken } from './roll.js';
export {
  ALLOWED_NETWORKS_MAX,
  allowedNetworksSchema,
  normaliseNetwork,
  parseAllowedNetworks,
  networksAllow,
  networksOf,
  storedNetworks,
  networkOfUse,
  describeNetworkOfUse,
} from './networks.js';
export { recordNetworkUse, forgetNetworkUse, SEEN_NETWORKS_MAX, type NetworkUse } from './seen-networks.js';
export { recordNetworkRefusal, type NetworkRefusalAttempt } from './network-refusal.js';
export { revokeLeakedTokens, LEAK_REPORT_MAX_CREDENTIALS, type LeakReporter, type RevokedLeakedToken } from './leaks.js';
export { deleteTokensOfRemovedMember, revokeTokensAboveRole, type MemberOfOrganization } from './membership-revocation.js';
