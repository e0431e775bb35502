import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';

/** MySQL's ER_BAD_DB_ERROR: the database named in the URL does not exist. */
const UNKNOWN_DATABASE = 1049;

/** Names we are willing to put in a CREATE DATABASE statement (MySQL's unquoted identifiers). */
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

function isUnknownDatabase(error: unknown): boolean {
  return (error as { errno?: number } | null)?.errno === UNKNOWN_DATABASE;
}

/**
 * Opens `dataSource`; when the MySQL database its URL names does not exist yet, creates it
 * (utf8mb4) and opens again, and says so by resolving to the name. Only migrating comes
 * here: serving never needs the CREATE privilege, and a user without it is told what to run.
 */
export async function initializeCreatingDatabase(dataSource: DataSource, url: string): Promise<string | undefined> {
  try {
    await dataSource.initialize();
    return undefined;
  } catch (error) {
    if (!isUnknownDatabase(error)) throw error;
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!DATABASE_NAME.test(name)) {
    throw new Error(
      `Database "${name}" does not exist, and its name is not one Tollbooth creates by itself (letters, digits, _ and $): create it first`,
    );
  }
  target.pathname = '/';
  const connection = await createConnection(target.toString());
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } catch (error) {
    throw new Error(
      `Database "${name}" does not exist and this user cannot create it (${(error as Error).message}): ` +
        `run CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci as an administrator`,
    );
  } finally {
    await connection.end();
  }
  await dataSource.initialize();
  return name;
}
