/**
 * Revocation that reaches JWTs already issued: per-token "not before" times, recorded in the
 * transaction of the change that revokes (delete, disable, leak report, membership change),
 * the list of the last hours that the revocation feed publishes, and the pruning of older ones.
 */
export { REVOCATION_REASONS, recordRevocations, type RevocationReason } from './record.js';
export { REVOCATION_WINDOW_SECONDS, readRevocationList, type RevocationEntry, type RevocationList } from './feed.js';
export { pruneRevocations, scheduleRevocationPruning } from './prune.js';
