import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';
import { packageRoot, type Config } from '../../src/config/index.js';
import { openDataSource } from '../../src/db/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { createGaleraDatabase, type GaleraTestDatabase } from './galera.js';
import { TestClient, type TestClientOptions } from './http.js';
import { startTestInstance, startTestRuntime, type TestInstanceOptions, type TestRuntime, type TestServer } from './server.js';
import { startMysqlProxy, throughProxy, type TcpProxy } from './tcp-proxy.js';

/**
 * Where the file's server keeps its data:
 * - `mysql`: a fresh MySQL database of its own (the default);
 * - `sqlite`: the embedded SQLite in a fresh temporary folder, as `npm start` runs;
 * - `proxied`: a fresh MySQL database reached through a TCP proxy the test can stall or cut
 *   (`fixture.proxy`); queries give up after 1.5 s so an outage shows quickly.
 */
export type FixtureDatabase = 'mysql' | 'sqlite' | 'proxied';

export interface UseServerOptions {
  database?: FixtureDatabase;
  env?: Record<string, string | undefined>;
  captureLogs?: boolean;
  /** A service catalog other than the shipped config/services.json, e.g. `THREE_SCOPE_SERVICES`. */
  servicesFile?: string;
}

/** The shipped service catalog with a third Strings scope (`strings.admin`), as `useServer({ servicesFile })` takes it. */
export const THREE_SCOPE_SERVICES = join(packageRoot(), 'test', 'support', 'services-three-scopes.json');

/** Options for a further instance on the fixture's database. */
export type InstanceOptions = Omit<TestInstanceOptions, 'databaseUrl'>;

export interface ServerFixture {
  readonly server: TestServer;
  /** The server's base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly config: Config;
  readonly dataSource: DataSource;
  /** DATABASE_URL of the file's MySQL database, reached directly (undefined on SQLite). */
  readonly databaseUrl: string | undefined;
  /** The proxy between the server and MySQL (`database: 'proxied'` only). */
  readonly proxy: TcpProxy;
  /** Every log line so far (with `captureLogs`). */
  logs(): string;
  /** A new client without cookies, as scripts and CI call Tollbooth; `{ from: '127.0.0.2' }` connects from another address. */
  client(options?: TestClientOptions): TestClient;
  /** Another instance on the same MySQL database, stopped after the file's tests. */
  startInstance(options?: InstanceOptions): Promise<TestServer>;
}

export interface DatabaseFixture {
  /** DATABASE_URL of the file's fresh MySQL database. */
  readonly url: string;
  readonly name: string;
  /** A data source on the migrated database (`useDatabase({ migrate: true })` only). */
  readonly dataSource: DataSource;
  /** A server on this database, stopped after the file's tests. */
  startInstance(options?: InstanceOptions): Promise<TestServer>;
  /** A runtime (no HTTP server) on this database, stopped after the file's tests. */
  startRuntime(options?: InstanceOptions): Promise<TestRuntime>;
}

/** Closes what a file started, newest first, then drops its database. */
class Resources {
  readonly #closers: Array<() => Promise<void>> = [];

  track<T extends { close(): Promise<void> }>(resource: T): T {
    this.#closers.push(() => resource.close());
    return resource;
  }

  async closeAll(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) await close();
  }
}

function notStarted(what: string): never {
  throw new Error(`${what} is not available yet: use the fixture inside tests and hooks, not while the file is collected`);
}

/**
 * One fresh MySQL database for the file (beforeAll), dropped after its tests (afterAll).
 * With `migrate: true` it is migrated and `dataSource` is open on it, for domain tests that
 * need no server; without, it is left empty (for the CLI's own `migrate`).
 */
export function useDatabase({ migrate = false }: { migrate?: boolean } = {}): DatabaseFixture {
  const resources = new Resources();
  let database: TestDatabase | undefined;
  let dataSource: DataSource | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    resources.track({ close: () => database!.drop() });
    if (migrate) {
      dataSource = await openDataSource({ kind: 'mysql', url: database.url, poolSize: 5, queryTimeoutMs: 5_000 }, { migrate: true });
      resources.track({ close: () => dataSource!.destroy() });
    }
  });
  afterAll(() => resources.closeAll());

  const opened = () => database ?? notStarted('the database');
  return {
    get url() {
      return opened().url;
    },
    get name() {
      return opened().name;
    },
    get dataSource() {
      return dataSource ?? notStarted(migrate ? 'the data source' : 'a data source (use useDatabase({ migrate: true }))');
    },
    async startInstance(options = {}) {
      return resources.track(await startTestInstance({ ...options, databaseUrl: opened().url }));
    },
    async startRuntime(options = {}) {
      return resources.track(await startTestRuntime({ ...options, databaseUrl: opened().url }));
    },
  };
}

/**
 * The one way a test file gets a Tollbooth server: started on a fresh database before the
 * file's tests, stopped (and the database dropped) after them. Read its parts inside tests
 * and hooks: `fixture.url`, `fixture.dataSource`, `fixture.client()`.
 */
export function useServer({ database = 'mysql', env, captureLogs, servicesFile }: UseServerOptions = {}): ServerFixture {
  const resources = new Resources();
  let server: TestServer | undefined;
  let mysql: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;

  beforeAll(async () => {
    if (database === 'sqlite') {
      server = resources.track(await startTestInstance({ env, captureLogs, servicesFile }));
      return;
    }
    mysql = await createTestDatabase();
    resources.track({ close: () => mysql!.drop() });
    let databaseUrl = mysql.url;
    let instanceEnv = env;
    if (database === 'proxied') {
      proxy = await startMysqlProxy();
      resources.track(proxy);
      databaseUrl = throughProxy(mysql.url, proxy);
      instanceEnv = { DB_QUERY_TIMEOUT_MS: '1500', ...env };
    }
    server = resources.track(await startTestInstance({ databaseUrl, env: instanceEnv, captureLogs, servicesFile }));
    // Closed newest first: the proxy forwards again before the server shuts down, so its
    // shutdown (last-used flush) can reach the database.
    if (proxy) resources.track({ close: async () => proxy!.restore() });
  });
  afterAll(() => resources.closeAll());

  const running = () => server ?? notStarted('the test server');
  return {
    get server() {
      return running();
    },
    get url() {
      return running().url;
    },
    get config() {
      return running().config;
    },
    get dataSource() {
      return running().runtime.dataSource;
    },
    get databaseUrl() {
      running();
      return mysql?.url;
    },
    get proxy() {
      running();
      return proxy ?? notStarted("the proxy (use useServer({ database: 'proxied' }))");
    },
    logs: () => running().logs(),
    client: (options) => new TestClient(running().url, options),
    async startInstance(options = {}) {
      running();
      if (!mysql) throw new Error('a second instance needs a MySQL database; the embedded SQLite belongs to one process');
      return resources.track(await startTestInstance({ servicesFile, ...options, databaseUrl: mysql.url }));
    },
  };
}

export interface GaleraFixture {
  readonly name: string;
  /** DATABASE_URL of the file's database through node `node` (0, 1, 2). */
  url(node: number): string;
  /** A data source on the migrated database through node `node`. */
  dataSource(node: number): DataSource;
  /**
   * Runs `select` through node `node` as a causal read: it sees every transaction committed
   * anywhere in the cluster before it ran, so a check reads the cluster's outcome, not a lag.
   */
  causalRead<Row>(node: number, select: string, parameters: unknown[]): Promise<Row[]>;
  /** A server on this database through node `node`, stopped after the file's tests. */
  startInstance(node: number, options?: InstanceOptions): Promise<TestServer>;
}

/**
 * One fresh database on the Galera cluster (`TEST_GALERA_URLS`) for the file, migrated through
 * the first node unless `migrate: false`, with a data source through every node; dropped after
 * the file's tests. Instances and data sources name the node they go through.
 */
export function useGaleraDatabase({ migrate = true }: { migrate?: boolean } = {}): GaleraFixture {
  const resources = new Resources();
  let database: GaleraTestDatabase | undefined;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    database = await createGaleraDatabase();
    resources.track({ close: () => database!.drop() });
    for (const [node, url] of database.urls.entries()) {
      const dataSource = await openDataSource(
        { kind: 'mysql', url, poolSize: 5, queryTimeoutMs: 5_000 },
        { migrate: migrate && node === 0 },
      );
      resources.track({ close: () => dataSource.destroy() });
      dataSources.push(dataSource);
    }
  });
  afterAll(() => resources.closeAll());

  const opened = () => database ?? notStarted('the cluster database');
  const nodeUrl = (node: number) => opened().urls[node] ?? notStarted(`node ${node} (the cluster has ${opened().urls.length})`);
  const dataSourceOf = (node: number): DataSource => {
    nodeUrl(node);
    return dataSources[node] ?? notStarted(`the data source through node ${node}`);
  };
  return {
    get name() {
      return opened().name;
    },
    url: nodeUrl,
    dataSource: dataSourceOf,
    causalRead(node, select, parameters) {
      return dataSourceOf(node).query(`SET STATEMENT wsrep_sync_wait=1 FOR ${select}`, parameters);
    },
    async startInstance(node, options = {}) {
      return resources.track(await startTestInstance({ ...options, databaseUrl: nodeUrl(node) }));
    },
  };
}
