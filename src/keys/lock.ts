import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../db/index.js';

/** How long an instance waits for another one to finish provisioning or rotating keys. */
const LOCK_WAIT_SECONDS = 10;

/**
 * Named per database: MySQL's GET_LOCK namespace is server-wide, and several Tollbooth
 * databases (tests, staging) may share one server. MySQL caps lock names at 64 characters.
 */
const LOCK_NAME = "LEFT(CONCAT('tollbooth.signing_keys.', DATABASE()), 64)";

/**
 * Runs `work` in a transaction while holding the signing-key lock, so instances that start
 * together, or a `keys rotate` racing the automatic rotation, never create two active keys.
 *
 * MySQL: a named lock (GET_LOCK) on the transaction's own connection — `SELECT … FOR UPDATE`
 * cannot lock rows that do not exist yet, which is exactly the first-start case. SQLite: the
 * embedded database serialises transactions in-process already.
 */
export async function withSigningKeyLock<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3') return inTransaction(dataSource, work);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query(`SELECT GET_LOCK(${LOCK_NAME}, ?) AS acquired`, [LOCK_WAIT_SECONDS])) as Array<{ acquired: unknown }>;
    if (Number(row?.acquired) !== 1) throw new Error(`timed out after ${LOCK_WAIT_SECONDS}s waiting for the signing-key lock`);
    try {
      await runner.startTransaction();
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.query(`SELECT RELEASE_LOCK(${LOCK_NAME})`);
    }
  } finally {
    await runner.release();
  }
}
