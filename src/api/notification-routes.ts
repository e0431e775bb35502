import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { DataSource } from 'typeorm';
import { notificationPreferences, saveNotificationPreferences, type NotificationPreferences } from '../notices/index.js';
import { auditContextOf } from './audit-context.js';
import { principalOf } from './authenticate.js';
import { jsonBody } from './body.js';
import { notificationPreferencesSchema, type PresentedNotificationPreferences } from './notification-schemas.js';
import type { ApiState } from './state.js';
import { parseInput } from './validate.js';

export interface NotificationRouteDependencies {
  dataSource: DataSource;
  /** Establishes the caller (session + CSRF, or bearer); runs first on every route. */
  authenticated: Middleware;
}

const PATH = '/api/me/notifications';

function present(preferences: NotificationPreferences): PresentedNotificationPreferences {
  return { expiry_notices: preferences.expiryNotices, new_network_alerts: preferences.newNetworkAlerts };
}

/** `GET/PUT /api/me/notifications`: the caller's own mail preferences, nobody else's. */
export function registerNotificationRoutes(router: Router<ApiState>, { dataSource, authenticated }: NotificationRouteDependencies): void {
  router.get(PATH, authenticated, async (ctx) => {
    ctx.body = present(await notificationPreferences(dataSource, principalOf(ctx).userId));
  });

  router.put(PATH, authenticated, jsonBody, async (ctx) => {
    const { userId } = principalOf(ctx);
    const wanted = parseInput(notificationPreferencesSchema, ctx.request.body);
    const saved = await saveNotificationPreferences(
      dataSource,
      userId,
      { expiryNotices: wanted.expiry_notices, newNetworkAlerts: wanted.new_network_alerts },
      auditContextOf(ctx, userId),
    );
    ctx.body = present(saved);
  });
}
