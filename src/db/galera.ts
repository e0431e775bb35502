import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Galera applies another node's committed transactions a moment after they commit there, so a
 * plain read on this node can miss a write the caller has already been told about (a token
 * deleted through another instance). `wsrep_sync_wait=1` makes a read first wait until this
 * node has applied everything the cluster committed before the read began. It costs a round
 * of the group communication, so Tollbooth asks for it only where a stale answer would be
 * wrong, statement by statement (MariaDB's SET STATEMENT), and only on a Galera node.
 */
const galeraNodes = new WeakSet<DataSource>();

/** Asks the server whether it is a Galera node (`wsrep_on`), and remembers the answer for the data source. */
export async function detectGalera(dataSource: DataSource): Promise<boolean> {
  if (dataSource.options.type !== 'mysql') return false;
  // SHOW VARIABLES answers no row (rather than an error) on a server without wsrep, e.g. MySQL.
  const rows = (await dataSource.query("SHOW VARIABLES LIKE 'wsrep_on'")) as Array<{ Value?: string }>;
  const on = rows[0]?.Value === 'ON';
  if (on) galeraNodes.add(dataSource);
  else galeraNodes.delete(dataSource);
  return on;
}

/** True when the data source's server is a Galera node. */
export function isGaleraNode(dataSource: DataSource): boolean {
  return galeraNodes.has(dataSource);
}

/**
 * `select` as a causal read on a Galera node: it sees every transaction committed anywhere in
 * the cluster before it ran. Unchanged elsewhere (one server has nothing to wait for).
 */
export function causalSelect(dataSource: DataSource, select: string): string {
  return galeraNodes.has(dataSource) ? `SET STATEMENT wsrep_sync_wait=1 FOR ${select}` : select;
}

/**
 * On a Galera node, waits on `runner`'s connection until the node has applied everything the
 * cluster committed so far; run it before START TRANSACTION (inside a transaction MariaDB
 * skips the wait). The reads that follow see at least that.
 */
export async function catchUpWithCluster(runner: QueryRunner): Promise<void> {
  if (galeraNodes.has(runner.connection)) await runner.query(causalSelect(runner.connection, 'SELECT 1'));
}
