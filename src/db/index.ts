export { createDataSource, openAndMigrate, openDataSource, queryTimeoutOf } from './data-source.js';
export { inTransaction, withLock, holdLock, writeRetrying, isUniqueViolation } from './transaction.js';
export { retryOnConflict, isRetryableConflict, onConflictRetry, CONFLICT_RETRY, type ConflictReason, type RetryPolicy } from './retry.js';
export { isGaleraNode, causalSelect } from './galera.js';
export { preparedRead } from './prepared-read.js';
export * from './entities/index.js';
export { isDatabaseUnavailableError, withDeadline } from './availability.js';
export { sqlDateParameter, dateFromSql } from './sql-dates.js';
