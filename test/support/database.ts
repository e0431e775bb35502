import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/** The MySQL/MariaDB server the suite runs against (CI and README: root, no password). */
export const MYSQL_SERVER_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  /** DATABASE_URL for this database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty MySQL database for one test file, so files can run in parallel, on the suite's
 * server or the one `serverUrl` names. The caller runs migrations (the server does at start)
 * and drops it in afterAll.
 */
export async function createTestDatabase(serverUrl = MYSQL_SERVER_URL): Promise<TestDatabase> {
  const name = `tollbooth_test_${randomBytes(6).toString('hex')}`;
  const connection = await createConnection(serverUrl);
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
  return {
    name,
    url: `${serverUrl}/${name}`,
    async drop() {
      const dropper = await createConnection(serverUrl);
      try {
        await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await dropper.end();
      }
    },
  };
}
