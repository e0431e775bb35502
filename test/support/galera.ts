import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

/**
 * The nodes of the Galera cluster `scripts/galera-cluster start` runs (server URLs without a
 * database, comma-separated in TEST_GALERA_URLS; `.ci/run` sets it). Unset: the cluster tests
 * are skipped, as on a machine without the cluster.
 */
export const GALERA_NODE_URLS: string[] = (process.env.TEST_GALERA_URLS ?? '')
  .split(',')
  .map((url) => url.trim().replace(/\/+$/, ''))
  .filter((url) => url !== '');

export interface GaleraTestDatabase {
  name: string;
  /** DATABASE_URL of this database through each node, in node order. */
  urls: string[];
  drop(): Promise<void>;
}

/**
 * A fresh database on the cluster for one test file. Created through the first node; Galera
 * replicates the DDL to every node before CREATE DATABASE returns (total order isolation).
 */
export async function createGaleraDatabase(): Promise<GaleraTestDatabase> {
  const [first] = GALERA_NODE_URLS;
  if (!first) throw new Error('TEST_GALERA_URLS names no node: start the cluster with scripts/galera-cluster start');
  const name = `tollbooth_test_${randomBytes(6).toString('hex')}`;
  const connection = await createConnection(first);
  try {
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
  return {
    name,
    urls: GALERA_NODE_URLS.map((node) => `${node}/${name}`),
    async drop() {
      const dropper = await createConnection(first);
      try {
        await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await dropper.end();
      }
    },
  };
}
