import type { Context } from 'koa';
import type { DataSource } from 'typeorm';
import { resolveSession, SESSION_COOKIE } from '../session/index.js';

/**
 * True when the request carries a live session cookie. Pages only need to know whether to
 * send someone to `/login`; what they may see is decided by the API the page calls.
 */
export async function hasLiveSession(ctx: Context, dataSource: DataSource): Promise<boolean> {
  const cookie = ctx.cookies.get(SESSION_COOKIE);
  if (!cookie) return false;
  return (await resolveSession(dataSource, cookie)) !== null;
}
