import { describe, expect, it } from 'vitest';
import { useDatabase } from '../support/fixture.js';

/**
 * Galera replicates only InnoDB tables, and applies row changes by primary key: a table
 * without one is replicated badly or not at all. Every table the migrations create must be
 * fit for a cluster.
 */
describe('the migrated schema on MySQL/MariaDB', () => {
  const database = useDatabase({ migrate: true });

  const tables = async (): Promise<Array<{ name: string; engine: string; primaryKeys: number }>> => {
    const rows: Array<{ name: string; engine: string; primary_keys: number | string }> = await database.dataSource.query(
      `SELECT t.table_name AS name, t.engine AS engine,
              (SELECT COUNT(*) FROM information_schema.table_constraints c
                WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                  AND c.constraint_type = 'PRIMARY KEY') AS primary_keys
         FROM information_schema.tables t
        WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'
        ORDER BY t.table_name`,
    );
    return rows.map((row) => ({ name: row.name, engine: row.engine, primaryKeys: Number(row.primary_keys) }));
  };

  it('has the tables the migrations create, the migrations table included', async () => {
    expect((await tables()).map((table) => table.name)).toEqual(expect.arrayContaining(['locks', 'migrations', 'platform_tokens']));
  });

  it('keeps every table in InnoDB', async () => {
    const others = (await tables()).filter((table) => table.engine !== 'InnoDB');
    expect(others).toEqual([]);
  });

  it('gives every table a primary key', async () => {
    const withoutKey = (await tables()).filter((table) => table.primaryKeys !== 1);
    expect(withoutKey).toEqual([]);
  });
});
