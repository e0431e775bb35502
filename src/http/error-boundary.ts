import type { Context, Next } from 'koa';
import { NotFound } from '../errors/index.js';
import { writeError, type ErrorFormat } from './error-response.js';

/**
 * The error boundary of a surface: anything thrown below it, and a route nobody answered,
 * becomes an error answer in the surface's format (`writeError`).
 */
export function errorBoundary(format: ErrorFormat, notFoundMessage: string) {
  return async function errorBoundaryMiddleware(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) writeError(ctx, new NotFound(notFoundMessage), format);
    } catch (error) {
      writeError(ctx, error, format);
    }
  };
}
