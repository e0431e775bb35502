import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import type { DataSource } from 'typeorm';

/** How long /readyz waits for the database before calling it down. */
const READINESS_TIMEOUT_MS = 2_000;

async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      dataSource.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const HEALTH_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/**
 * `GET /healthz`: the process is up. `GET /readyz`: the database answers (503 otherwise).
 * Another method on those paths is 405 (the router's allowedMethods); every other path passes
 * straight on, untouched: the router's allowedMethods looks at every route matched by any
 * router on the way back, so run for all paths it would rewrite other surfaces' answers.
 */
export function healthRoutes(dataSource: DataSource): Middleware {
  const router = healthRouter(dataSource);
  const routes = router.routes() as unknown as Middleware;
  const allowedMethods = router.allowedMethods() as unknown as Middleware;
  return async function healthMiddleware(ctx: Context, next: Next): Promise<void> {
    if (!HEALTH_PATHS.has(ctx.path)) return next();
    await routes(ctx, () => allowedMethods(ctx, async () => undefined));
    // A method the router has never heard of (TRACE) is as wrong as POST here: 405, not 501.
    if (ctx.status === 501) ctx.status = 405;
  };
}

function healthRouter(dataSource: DataSource): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const ready = await databaseAnswers(dataSource);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', database: ready ? 'up' : 'down' };
  });
  return router;
}
