export { createDataSource, openAndMigrate, openDataSource, queryTimeoutOf } from './data-source.js';
export { inTransaction, lockUserRow, isUniqueViolation } from './transaction.js';
export * from './entities/index.js';
export { isDatabaseUnavailableError, withDeadline } from './availability.js';
export { sqlDateParameter, dateFromSql } from './sql-dates.js';
