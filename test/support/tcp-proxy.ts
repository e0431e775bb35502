import { MYSQL_SERVER_URL } from './database.js';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy the test controls, placed between the server and MySQL, to simulate a
 * database that stalls (packets stop flowing) or goes away (connections cut and refused)
 * without touching the shared MariaDB.
 */
export interface TcpProxy {
  port: number;
  /** Stop forwarding bytes on every connection, and hold new ones without connecting them. */
  stall(): void;
  /** Destroy every connection and refuse new ones. */
  cut(): void;
  /** Forward normally again. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'open' | 'stalled' | 'cut' = 'open';
  const pairs = new Set<{ client: Socket; upstream?: Socket }>();
  const held: Array<() => void> = [];

  const connectUpstream = (pair: { client: Socket; upstream?: Socket }) => {
    const upstream = createConnection(targetPort, targetHost);
    pair.upstream = upstream;
    pair.client.pipe(upstream).pipe(pair.client);
    const end = () => {
      pair.client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    upstream.on('error', end).on('close', end);
    pair.client.on('error', end).on('close', end);
  };

  const server: Server = createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const pair: { client: Socket; upstream?: Socket } = { client };
    pairs.add(pair);
    client.on('error', () => client.destroy());
    if (mode === 'stalled') {
      client.pause();
      held.push(() => connectUpstream(pair));
    } else {
      connectUpstream(pair);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const proxy: TcpProxy = {
    port,
    stall() {
      mode = 'stalled';
      for (const { client, upstream } of pairs) {
        if (!upstream) continue;
        // Unpipe rather than just pause: pipe() would resume a paused source on 'drain'.
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    cut() {
      mode = 'cut';
      held.length = 0;
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      pairs.clear();
    },
    restore() {
      mode = 'open';
      for (const { client, upstream } of pairs) {
        if (!upstream) continue;
        client.pipe(upstream);
        upstream.pipe(client);
      }
      for (const connect of held.splice(0)) connect();
    },
    async close() {
      proxy.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}

/** A proxy in front of the test MySQL server. */
export async function startMysqlProxy(): Promise<TcpProxy> {
  const target = new URL(MYSQL_SERVER_URL);
  return startTcpProxy(target.hostname, Number(target.port || 3306));
}

/** The same database URL, reached through `proxy`. */
export function throughProxy(databaseUrl: string, proxy: TcpProxy): string {
  const proxied = new URL(databaseUrl);
  proxied.host = `127.0.0.1:${proxy.port}`;
  return proxied.toString();
}
