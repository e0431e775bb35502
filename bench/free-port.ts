import { createServer } from 'node:net';

/**
 * Asks the kernel for a free port, so a server's URL (an issuer) can name it before it
 * listens. The benchmark keeps its own copy, apart from the tests' helpers, so neither tree
 * depends on the other.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
