import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';

/**
 * The benchmark's own MySQL/MariaDB database: created fresh for the run and dropped after.
 * A marker table (`bench_token_writes`, which also records writes — see `countTokenWrites`)
 * says the database is the benchmark's, so a DATABASE_URL pointing at real data is refused
 * instead of dropped.
 */
export interface BenchDatabase {
  url: string;
  name: string;
  serverVersion: string;
  /** Starts recording every row UPDATE on platform_tokens (a trigger into the marker table). */
  recordTokenWrites(): Promise<void>;
  countTokenWrites(): Promise<TokenWrites>;
  /** Com_update + Com_update_multi for the whole server (other databases included). */
  globalUpdateStatements(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * The writes of the last-used recorder: rows of platform_tokens whose `last_used_at` an UPDATE
 * changed. Other updates (a network a token is used from for the first time, recorded once) are
 * counted apart, in `otherRows`: they are not per exchange.
 */
export interface TokenWrites {
  /** Rows of platform_tokens updated with a new last_used_at. */
  rows: number;
  /** UPDATE statements (rows written by one statement share its start time). */
  statements: number;
  distinctTokens: number;
  maxPerToken: number;
  /** Shortest time between two writes of the same token, seconds (null: no token written twice). */
  minimumGapSeconds: number | null;
  /** Rows updated without a new last_used_at (seen networks). */
  otherRows: number;
}

const MARKER = 'bench_token_writes';

function parse(databaseUrl: string): { serverUrl: string; name: string } {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error(`DATABASE_URL must name a database (letters, digits, _): got '${name}'`);
  url.pathname = '';
  return { serverUrl: url.toString().replace(/\/$/, ''), name };
}

async function withConnection<T>(url: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await createConnection(url);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function rows<T>(connection: Connection, sql: string, values: unknown[] = []): Promise<T[]> {
  const [result] = await connection.query<RowDataPacket[]>(sql, values);
  return result as T[];
}

/** Drops a previous run's database, refusing any database the benchmark did not create. */
async function dropIfOurs(connection: Connection, name: string): Promise<void> {
  const tables = await rows<{ TABLE_NAME: string }>(connection, 'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [
    name,
  ]);
  const exists = (await rows(connection, 'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name])).length > 0;
  if (!exists) return;
  if (tables.length > 0 && !tables.some((table) => table.TABLE_NAME === MARKER)) {
    throw new Error(`refusing to drop database '${name}': it has tables and was not created by the benchmark (no ${MARKER} table)`);
  }
  await connection.query(`DROP DATABASE \`${name}\``);
}

export async function createBenchDatabase(databaseUrl: string): Promise<BenchDatabase> {
  const { serverUrl, name } = parse(databaseUrl);
  const serverVersion = await withConnection(serverUrl, async (connection) => {
    await dropIfOurs(connection, name);
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.query(
      `CREATE TABLE \`${name}\`.${MARKER} (
         id BIGINT AUTO_INCREMENT PRIMARY KEY,
         token_id VARCHAR(36) NOT NULL,
         written_at DATETIME(6) NOT NULL,
         last_used BOOLEAN NOT NULL
       )`,
    );
    const [version] = await rows<{ version: string }>(connection, 'SELECT VERSION() AS version');
    return version!.version;
  });

  return {
    url: `${serverUrl}/${name}`,
    name,
    serverVersion,
    recordTokenWrites: () =>
      withConnection(serverUrl, async (connection) => {
        // NOW(6) is the statement's start time, also inside the trigger, so the rows one
        // UPDATE writes share it and the statements can be counted apart from the rows.
        await connection.query(
          `CREATE TRIGGER \`${name}\`.bench_record_token_write AFTER UPDATE ON \`${name}\`.platform_tokens
             FOR EACH ROW INSERT INTO \`${name}\`.${MARKER} (token_id, written_at, last_used)
             VALUES (NEW.id, NOW(6), NOT (NEW.last_used_at <=> OLD.last_used_at))`,
        );
      }),
    countTokenWrites: () =>
      withConnection(serverUrl, async (connection) => {
        const all = await rows<{ token_id: string; seconds: string; last_used: number }>(
          connection,
          `SELECT token_id, UNIX_TIMESTAMP(written_at) AS seconds, last_used FROM \`${name}\`.${MARKER} ORDER BY id`,
        );
        const writes = all.filter((write) => Number(write.last_used) === 1);
        const byToken = new Map<string, number[]>();
        for (const write of writes) byToken.set(write.token_id, [...(byToken.get(write.token_id) ?? []), Number(write.seconds)]);
        let minimumGapSeconds: number | null = null;
        for (const times of byToken.values()) {
          for (let index = 1; index < times.length; index += 1) {
            const gap = times[index]! - times[index - 1]!;
            minimumGapSeconds = minimumGapSeconds === null ? gap : Math.min(minimumGapSeconds, gap);
          }
        }
        return {
          rows: writes.length,
          statements: new Set(writes.map((write) => write.seconds)).size,
          distinctTokens: byToken.size,
          maxPerToken: Math.max(0, ...[...byToken.values()].map((times) => times.length)),
          minimumGapSeconds,
          otherRows: all.length - writes.length,
        };
      }),
    globalUpdateStatements: () =>
      withConnection(serverUrl, async (connection) => {
        const status = await rows<{ Variable_name: string; Value: string }>(
          connection,
          "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_update', 'Com_update_multi')",
        );
        return status.reduce((sum, row) => sum + Number(row.Value), 0);
      }),
    drop: () =>
      withConnection(serverUrl, async (connection) => {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      }),
  };
}
