import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { maskPath, maskSecrets, type Logger } from '../log/index.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * A sane incoming id is reused, unless it is shaped like a credential: a platform token sent
 * there by mistake would otherwise be echoed in every response header, past proxies that log
 * them. Such a request gets a fresh id, like any malformed one.
 */
function reusableRequestId(incoming: string): string | undefined {
  return INCOMING_ID.test(incoming) && maskSecrets(incoming) === incoming ? incoming : undefined;
}

/**
 * Gives every request an id (reusing a sane incoming X-Request-Id that is no credential), a
 * child logger carrying it, and one access-log line at the end. Only the path is logged, never
 * the query string or body: a misused client may put a token there. The child logger is built
 * the first time something logs for the request: most requests log nothing but the access
 * line, and that one carries the id itself.
 */
export function requestContext(logger: Logger) {
  return async function requestContextMiddleware(ctx: Context, next: Next): Promise<void> {
    const requestId = reusableRequestId(ctx.get('X-Request-Id')) ?? randomUUID();
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      get: () => (log ??= logger.child({ requestId })),
      set: (value: Logger) => {
        log = value;
      },
      enumerable: true,
      configurable: true,
    });
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('info')) {
        const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
        (log ?? logger).info(
          {
            ...(log ? {} : { requestId }),
            method: ctx.method,
            path: maskPath(ctx.path),
            status: ctx.status,
            durationMs: Math.round(durationMs * 10) / 10,
          },
          'request',
        );
      }
    }
  };
}
