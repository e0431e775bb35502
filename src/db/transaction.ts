import type { DataSource, EntityManager } from 'typeorm';

/**
 * The embedded SQLite runs on a single connection, where two interleaved transactions would
 * collide. Serialising them in-process gives the same isolation MySQL gives with row locks.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') {
    return dataSource.transaction(work);
  }
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => dataSource.transaction(work));
  sqliteQueues.set(dataSource, run);
  return run;
}

/**
 * Takes a write lock on one user's row for the rest of the transaction, so checks such as
 * the 20-token cap cannot race: 30 parallel creates end with exactly 20.
 * SQLite needs no lock: its transactions are already serialised above.
 */
export async function lockUserRow(manager: EntityManager, userId: string): Promise<void> {
  if (manager.connection.options.type === 'better-sqlite3') return;
  await manager.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId]);
}

/** True when the error is a unique-key violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
