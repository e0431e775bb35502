import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { DataSource } from 'typeorm';
import { readAuditLog } from '../audit/index.js';
import { presentAuditPage } from './audit-presenter.js';
import { auditQuerySchema } from './audit-schemas.js';
import { principalOf } from './authenticate.js';
import { organizationActor } from './organization-access.js';
import type { ApiState } from './state.js';
import { parseInput } from './validate.js';

/** The organization's audit log, newest first, for its admins and owners. */
export function registerAuditRoutes(
  router: Router<ApiState>,
  { dataSource, authenticated }: { dataSource: DataSource; authenticated: Middleware },
): void {
  router.get('/api/orgs/:org/audit', authenticated, async (ctx) => {
    // Unknown org, or one the caller (or a bearer's token) is not in: the same 404 as the token API.
    const reader = await organizationActor(dataSource, principalOf(ctx), ctx.params.org!);
    const { limit, cursor, action, token_id: tokenId } = parseInput(auditQuerySchema, ctx.query);
    const page = await readAuditLog(dataSource, reader, { limit, after: cursor, action, tokenId });
    ctx.body = presentAuditPage(page);
  });
}
