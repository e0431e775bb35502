import { createTestDatabase } from './database.js';

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
  const { name, drop } = await createTestDatabase(first);
  return { name, urls: GALERA_NODE_URLS.map((node) => `${node}/${name}`), drop };
}
