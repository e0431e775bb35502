import type { Context, Next } from 'koa';
import { isDatabaseUnavailableError } from '../db/availability.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../errors/index.js';

/**
 * Pages (login, settings) that hit a database outage answer 503 with Retry-After rather
 * than a bare 500: the outage is temporary and the browser should simply try again.
 * `/api` and `/oauth` map outages to their own error formats before this runs.
 */
export async function unavailablePages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (!isDatabaseUnavailableError(error)) throw error;
    ctx.status = 503;
    ctx.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/plain';
    ctx.body = 'Tollbooth is temporarily unavailable. Please try again in a few seconds.\n';
  }
}
