import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Runtime } from './runtime.js';

export interface RunningServer {
  readonly server: Server;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes the runtime. */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(runtime: Runtime, listen: { port: number; host: string }): Promise<RunningServer> {
  const app = await createApp(runtime);
  const server = createServer(app.callback());
  // Slow-loris guard; well above any legitimate request.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  let closing: Promise<void> | undefined;

  return {
    server,
    port,
    url: `http://${shownHost}:${port}`,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        await stopped;
        clearTimeout(deadline);
        await runtime.close();
      })();
      return closing;
    },
  };
}
