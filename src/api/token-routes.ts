import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { DataSource } from 'typeorm';
import type { ServiceCatalog } from '../config/index.js';
import type { Metrics } from '../metrics/index.js';
import {
  changeTokenDetails,
  countLiveTokens,
  createPlatformToken,
  deleteToken,
  deleteTokens,
  findVisibleToken,
  knownService,
  listTokens,
  rollToken,
  setTokenStatus,
  type TokenActor,
} from '../tokens/index.js';
import { auditContextOf } from './audit-context.js';
import { principalOf } from './authenticate.js';
import { jsonBody } from './body.js';
import { organizationActor } from './organization-access.js';
import type { ApiState } from './state.js';
import { presentDeletion, presentToken, presentTokenList } from './token-presenter.js';
import {
  bulkDeleteSchema,
  createTokenSchema,
  listTokensQuerySchema,
  refuseImmutableFields,
  rollTokenSchema,
  updateTokenSchema,
} from './token-schemas.js';
import { parseInput } from './validate.js';

export interface TokenRouteDependencies {
  dataSource: DataSource;
  services: ServiceCatalog;
  /** Establishes the caller (session + CSRF, or bearer); runs first on every route. */
  authenticated: Middleware;
  /** Counted here, after the change committed, so the domain functions stay free of metrics. */
  metrics: Pick<Metrics, 'tokensCreated' | 'tokensDeleted'>;
}

const TOKENS = '/api/orgs/:org/tokens';

/** The platform token routes of the management API. Each: validate, one domain call, present. */
export function registerTokenRoutes(
  router: Router<ApiState>,
  { dataSource, services, authenticated, metrics }: TokenRouteDependencies,
): void {
  const actorOf = (ctx: Context): Promise<TokenActor> => organizationActor(dataSource, principalOf(ctx), ctx.params.org!);
  const audit = (ctx: Context, actor: TokenActor) => auditContextOf(ctx, actor.userId);

  router.get(TOKENS, authenticated, async (ctx) => {
    const actor = await actorOf(ctx);
    const filters = parseInput(listTokensQuerySchema, ctx.query);
    if (filters.service) knownService(services, filters.service);
    const now = new Date();
    const tokens = await listTokens(dataSource, actor, filters, now);
    // `count` is what the cap counts: the caller's live tokens across organizations.
    ctx.body = presentTokenList(tokens, await countLiveTokens(dataSource, actor.userId, now), now);
  });

  router.post(TOKENS, authenticated, jsonBody, async (ctx) => {
    const actor = await actorOf(ctx);
    const { allowed_ips: allowedIps, ...input } = parseInput(createTokenSchema, ctx.request.body);
    const { token, secret } = await createPlatformToken(dataSource, {
      ...input,
      allowedIps,
      services,
      userId: actor.userId,
      organizationId: actor.organizationId,
      // A bearer caller's role may be lower than their membership: it is the ceiling then.
      ceiling: actor.role,
      credential: actor.credential,
      audit: audit(ctx, actor),
    });
    metrics.tokensCreated.inc();
    ctx.status = 201;
    ctx.set('Location', `/api/orgs/${encodeURIComponent(ctx.params.org!)}/tokens/${token.id}`);
    ctx.body = { token: presentToken(token), secret };
  });

  router.post(`${TOKENS}/delete`, authenticated, jsonBody, async (ctx) => {
    const actor = await actorOf(ctx);
    const { ids } = parseInput(bulkDeleteSchema, ctx.request.body);
    const { deleted, notFound } = await deleteTokens(dataSource, actor, ids, audit(ctx, actor));
    metrics.tokensDeleted.inc(deleted.length);
    ctx.body = presentDeletion({ deleted, notFound });
  });

  router.get(`${TOKENS}/:id`, authenticated, async (ctx) => {
    const actor = await actorOf(ctx);
    ctx.body = { token: presentToken(await findVisibleToken(dataSource.manager, actor, ctx.params.id!)) };
  });

  router.patch(`${TOKENS}/:id`, authenticated, jsonBody, async (ctx) => {
    const actor = await actorOf(ctx);
    refuseImmutableFields(ctx.request.body);
    const { allowed_ips: allowedIps, ...change } = parseInput(updateTokenSchema, ctx.request.body);
    const changed = await changeTokenDetails(dataSource, actor, ctx.params.id!, { ...change, allowedIps }, audit(ctx, actor));
    ctx.body = { token: presentToken(changed) };
  });

  router.delete(`${TOKENS}/:id`, authenticated, async (ctx) => {
    const actor = await actorOf(ctx);
    await deleteToken(dataSource, actor, ctx.params.id!, audit(ctx, actor));
    metrics.tokensDeleted.inc();
    ctx.status = 204;
  });

  router.post(`${TOKENS}/:id/roll`, authenticated, jsonBody, async (ctx) => {
    const actor = await actorOf(ctx);
    const { grace_seconds: graceSeconds } = parseInput(rollTokenSchema, ctx.request.body ?? {});
    const { token, secret } = await rollToken(dataSource, actor, ctx.params.id!, { graceSeconds, audit: audit(ctx, actor) });
    ctx.body = { token: presentToken(token), secret };
  });

  for (const [action, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    router.post(`${TOKENS}/:id/${action}`, authenticated, async (ctx) => {
      const actor = await actorOf(ctx);
      ctx.body = { token: presentToken(await setTokenStatus(dataSource, actor, ctx.params.id!, status, audit(ctx, actor))) };
    });
  }
}
