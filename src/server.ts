import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
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

/**
 * Node hands a CONNECT request to the `connect` event, not to the app, and without a listener
 * drops the connection unanswered. Tollbooth is no proxy: the request goes through the app like
 * any other method, so every surface answers it with its own 4xx in its own error format.
 */
function answerConnect(handle: (request: IncomingMessage, response: ServerResponse) => unknown) {
  return (request: IncomingMessage, socket: Duplex): void => {
    socket.on('error', () => socket.destroy());
    if (!request.url?.startsWith('/')) {
      // `CONNECT host:port`, a proxy tunnel: no path, so no surface to answer in its format.
      socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Socket);
    response.on('finish', () => {
      response.detachSocket(socket as Socket);
      socket.end();
    });
    void handle(request, response);
  };
}

export async function startServer(runtime: Runtime, listen: { port: number; host: string }): Promise<RunningServer> {
  const app = await createApp(runtime);
  const handle = app.callback();
  const server = createServer(handle);
  server.on('connect', answerConnect(handle));
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
