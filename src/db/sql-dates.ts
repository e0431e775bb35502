import type { DataSource } from 'typeorm';

/**
 * Dates in raw SQL. TypeORM converts dates for repositories but not for `query()`: on MySQL
 * mysql2 does it (the pool runs in UTC), while the embedded SQLite stores datetimes as
 * `YYYY-MM-DD HH:MM:SS.SSS` text in UTC, which a raw parameter must match to compare right.
 */
export function sqlDateParameter(dataSource: DataSource, date: Date): Date | string {
  return dataSource.options.type === 'better-sqlite3' ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
}

/** A datetime column from a raw query: a Date on MySQL, UTC text on SQLite. */
export function dateFromSql(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}
