import type { DataSource, EntityManager } from 'typeorm';
import { queryTimeoutOf } from './data-source.js';
import { catchUpWithCluster } from './galera.js';
import { retryOnConflict, retryPolicyFor } from './retry.js';

/**
 * The embedded SQLite runs on a single connection, where two interleaved transactions would
 * collide. Serialising them in-process gives the same isolation MySQL gives with row locks.
 */
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

function sqliteTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => dataSource.transaction(work));
  sqliteQueues.set(dataSource, run);
  return run;
}

/** One attempt on MySQL/MariaDB: on a Galera node it first catches up with the cluster, so it reads what others committed. */
async function mysqlTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await catchUpWithCluster(runner);
    await runner.startTransaction();
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    // The server may have rolled back already (a deadlock victim, a lost certification).
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Runs `work` in a transaction, retried whole when the database aborts it for a conflict
 * (a deadlock, a lock wait timeout, a lost Galera certification; see retryOnConflict): every
 * write transaction goes through here, so no call site has a retry loop of its own. `work` may
 * run more than once and must keep its effects inside the transaction.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return retryOnConflict(
    () => (dataSource.options.type === 'better-sqlite3' ? sqliteTransaction(dataSource, work) : mysqlTransaction(dataSource, work)),
    retryPolicyFor(dataSource, queryTimeoutOf(dataSource)),
  );
}

/**
 * Holders of one lock within this process, queued in memory: the database sees one of them at
 * a time per instance. Waiting in the database instead would hold a pooled connection each,
 * and on Galera a conflicting write from another node aborts every transaction waiting for
 * the row, not only the one holding it.
 */
const localLockQueues = new WeakMap<DataSource, Map<string, Promise<unknown>>>();

async function queuedLocally<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  let queues = localLockQueues.get(dataSource);
  if (!queues) localLockQueues.set(dataSource, (queues = new Map()));
  const previous = queues.get(name) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  queues.set(name, run);
  try {
    return await run;
  } finally {
    // The last in line removes the queue, so one per user does not pile up.
    if (queues.get(name) === run) queues.delete(name);
  }
}

/**
 * One write outside a transaction (an autocommit statement), retried like a transaction. Never
 * inside one: a conflict aborts the whole transaction, which inTransaction runs again.
 */
export async function writeRetrying<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  return retryOnConflict(work, retryPolicyFor(dataSource, queryTimeoutOf(dataSource)));
}

/**
 * Runs `work` in a transaction (as inTransaction, retries included) that holds the lock `name`
 * from its first statement to its end. The lock is taken by *writing* its row in `locks`, so it
 * holds across a cluster: on one server the row lock queues the others; on Galera, of two
 * nodes' transactions that both took it, certification lets one commit and aborts the other,
 * which is retried and then sees what the first did. (SELECT … FOR UPDATE and GET_LOCK stay on
 * the node that took them, and Galera certifies only what a transaction writes.) On SQLite the
 * write comes first for the same reason: it takes the database's write lock before any read.
 * Nothing may be read before the lock in `work`'s transaction: every read must see the state
 * the previous holder committed.
 */
export async function withLock<T>(dataSource: DataSource, name: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3') {
    return inTransaction(dataSource, async (manager) => {
      await manager.query('INSERT INTO locks (name, version) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET version = version + 1', [name]);
      return work(manager);
    });
  }
  return queuedLocally(dataSource, name, async () => {
    // The row is made to exist first, in a statement of its own: a transaction that had to
    // insert it would take gap locks, and concurrent first users of one lock would deadlock on
    // them. When the row exists this writes (and replicates) nothing.
    await writeRetrying(dataSource, () => dataSource.query('INSERT IGNORE INTO locks (name, version) VALUES (?, 0)', [name]));
    return inTransaction(dataSource, async (manager) => {
      await manager.query('UPDATE locks SET version = version + 1 WHERE name = ?', [name]);
      return work(manager);
    });
  });
}

/**
 * Takes a further lock inside a `withLock` transaction, by writing its row as withLock does
 * (so it holds across a cluster), for a change that must also exclude the holders of a second
 * lock. Inserting the row here may take gap locks and deadlock with another first user of the
 * lock; the transaction is then retried whole, like any conflict.
 */
export async function holdLock(manager: EntityManager, name: string): Promise<void> {
  const upsert =
    manager.connection.options.type === 'better-sqlite3'
      ? 'INSERT INTO locks (name, version) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET version = version + 1'
      : 'INSERT INTO locks (name, version) VALUES (?, 1) ON DUPLICATE KEY UPDATE version = version + 1';
  await manager.query(upsert, [name]);
}

/** True when the error is a unique-key violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
