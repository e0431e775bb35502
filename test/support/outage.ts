import { createTestDatabase, type TestDatabase } from './database.js';
import { startTestServer, type TestServer } from './server.js';
import { startMysqlProxy, throughProxy, type TcpProxy } from './tcp-proxy.js';

/** A real server whose MySQL connection runs through a proxy the test can stall or cut. */
export interface ServerBehindProxy {
  database: TestDatabase;
  proxy: TcpProxy;
  server: TestServer;
  close(): Promise<void>;
}

/** Starts one on a fresh database; queries give up after 1.5 s so outages show quickly. */
export async function startServerBehindProxy(env: Record<string, string> = {}): Promise<ServerBehindProxy> {
  const database = await createTestDatabase();
  const proxy = await startMysqlProxy();
  const server = await startTestServer({ databaseUrl: throughProxy(database.url, proxy), env: { DB_QUERY_TIMEOUT_MS: '1500', ...env } });
  return {
    database,
    proxy,
    server,
    async close() {
      proxy.restore();
      await server.close();
      await proxy.close();
      await database.drop();
    },
  };
}
