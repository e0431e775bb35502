import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import mysql2 from 'mysql2';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import type { DatabaseConfig } from '../config/index.js';
import { initializeCreatingDatabase } from './create-database.js';
import { detectGalera } from './galera.js';
import { allEntities } from './entities/index.js';

/**
 * mysql2 with one addition: every new pool connection first bounds how long it waits for a
 * row lock to the query deadline. The server's default (50 s) would hold a request, and its
 * retries, far past the point where its caller has given up; a wait that times out (1205) is
 * retried, then answered 503.
 */
function mysqlDriverBoundingLockWaits(queryTimeoutMs: number): typeof mysql2 {
  const lockWaitSeconds = Math.max(1, Math.ceil(queryTimeoutMs / 1000));
  const createPool = (options: mysql2.PoolOptions) => {
    const pool = mysql2.createPool(options);
    pool.on('connection', (connection) => {
      // Queued ahead of whatever the connection is first handed out for. A failure here (the
      // connection died) surfaces on that first query.
      connection.query(`SET SESSION innodb_lock_wait_timeout = ${lockWaitSeconds}`, () => undefined);
    });
    return pool;
  };
  return Object.assign(Object.create(mysql2) as typeof mysql2, { createPool });
}

/**
 * Builds (does not open) the TypeORM data source for MySQL/MariaDB or the embedded SQLite.
 * `synchronize` is never on: the schema comes from migrations/ only.
 */
export function createDataSource(database: DatabaseConfig): DataSource {
  const common = { entities: allEntities, migrations, synchronize: false, logging: false } as const;
  let options: DataSourceOptions;
  if (database.kind === 'mysql') {
    options = {
      ...common,
      type: 'mysql',
      url: database.url,
      connectorPackage: 'mysql2',
      driver: mysqlDriverBoundingLockWaits(database.queryTimeoutMs),
      // Dates are stored and read as UTC whatever the server's zone.
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      poolSize: database.poolSize,
      extra: {
        connectionLimit: database.poolSize,
        connectTimeout: Math.min(database.queryTimeoutMs, 10_000),
        // Bounded queue: when the database stalls, callers fail fast instead of piling up.
        queueLimit: database.poolSize * 50,
        enableKeepAlive: true,
      },
    };
  } else {
    mkdirSync(dirname(database.path), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      enableWAL: true,
      timeout: database.queryTimeoutMs,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return new DataSource(options);
}

const queryTimeouts = new WeakMap<DataSource, number>();
const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

/** The DB_QUERY_TIMEOUT_MS a data source was opened with: the deadline for a request's queries. */
export function queryTimeoutOf(dataSource: DataSource): number {
  return queryTimeouts.get(dataSource) ?? DEFAULT_QUERY_TIMEOUT_MS;
}

export interface OpenedDataSource {
  dataSource: DataSource;
  /** The MySQL database migrating had to create, if it did. */
  createdDatabase?: string;
  /** The migrations this call applied, by name. */
  applied: string[];
}

/** Opens the connection (pool); with `migrate`, as openAndMigrate() does. */
export async function openDataSource(database: DatabaseConfig, options: { migrate: boolean }): Promise<DataSource> {
  return (await openAndMigrate(database, options)).dataSource;
}

/**
 * Opens the connection (pool) and says what it did. With `migrate`, a missing MySQL database is
 * created first and pending migrations are applied.
 */
export async function openAndMigrate(database: DatabaseConfig, { migrate }: { migrate: boolean }): Promise<OpenedDataSource> {
  const dataSource = createDataSource(database);
  queryTimeouts.set(dataSource, database.queryTimeoutMs);
  let createdDatabase: string | undefined;
  if (migrate && database.kind === 'mysql') createdDatabase = await initializeCreatingDatabase(dataSource, database.url);
  else await dataSource.initialize();
  try {
    await detectGalera(dataSource);
    const applied = migrate ? await dataSource.runMigrations({ transaction: 'each' }) : [];
    return { dataSource, createdDatabase, applied: applied.map((migration) => migration.name) };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
