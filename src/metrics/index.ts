import Router from '@koa/router';
import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import { onConflictRetry } from '../db/index.js';

/** Every Prometheus metric Tollbooth exports, on a registry of its own (not the global one). */
export interface Metrics {
  registry: Registry;
  exchanges: Counter<'grant' | 'outcome'>;
  tokenEndpointSeconds: Histogram<'grant'>;
  tokensCreated: Counter<string>;
  tokensDeleted: Counter<string>;
  rateLimitHits: Counter<'limiter'>;
  networkRefusals: Counter<'attempt'>;
  credentialReports: Counter<string>;
  leakedTokensRevoked: Counter<string>;
}

interface PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

export function createMetrics(dataSource: DataSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tollbooth_' });
  const pool = () => (dataSource.options.type === 'mysql' ? ((dataSource.driver as unknown as { pool?: PoolInternals }).pool ?? {}) : {});
  new Gauge({
    name: 'tollbooth_db_pool_connections',
    help: 'Database pool connections by state (MySQL only)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const state = pool();
      const all = state._allConnections?.length ?? 0;
      const free = state._freeConnections?.length ?? 0;
      this.set({ state: 'open' }, all);
      this.set({ state: 'idle' }, free);
      this.set({ state: 'busy' }, all - free);
      this.set({ state: 'waiting' }, state._connectionQueue?.length ?? 0);
    },
  });
  const conflictRetries = new Counter({
    name: 'tollbooth_db_conflict_retries_total',
    help: 'Transactions and writes run again after the database aborted them, by reason (deadlock also counts lost Galera certifications)',
    labelNames: ['reason'],
    registers: [registry],
  });
  onConflictRetry(dataSource, (reason) => conflictRetries.inc({ reason }));
  return {
    registry,
    exchanges: new Counter({
      name: 'tollbooth_token_exchanges_total',
      help: 'Token endpoint requests by grant and outcome (success or the OAuth error code)',
      labelNames: ['grant', 'outcome'],
      registers: [registry],
    }),
    tokenEndpointSeconds: new Histogram({
      name: 'tollbooth_token_endpoint_duration_seconds',
      help: 'Token endpoint latency',
      labelNames: ['grant'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    tokensCreated: new Counter({ name: 'tollbooth_tokens_created_total', help: 'Platform tokens created', registers: [registry] }),
    tokensDeleted: new Counter({ name: 'tollbooth_tokens_deleted_total', help: 'Platform tokens deleted', registers: [registry] }),
    credentialReports: new Counter({
      name: 'tollbooth_credential_reports_total',
      help: 'Leak reports accepted at POST /api/credentials/revoke',
      registers: [registry],
    }),
    leakedTokensRevoked: new Counter({
      name: 'tollbooth_leaked_tokens_revoked_total',
      help: 'Live platform tokens revoked because a leak report named them',
      registers: [registry],
    }),
    rateLimitHits: new Counter({
      name: 'tollbooth_rate_limit_hits_total',
      help: 'Requests refused with 429, by limiter',
      labelNames: ['limiter'],
      registers: [registry],
    }),
    networkRefusals: new Counter({
      name: 'tollbooth_token_network_refusals_total',
      help: "Right platform-token secrets used from outside the token's allowed networks, refused; by attempt (token_exchange, client_credentials, self_roll)",
      labelNames: ['attempt'],
      registers: [registry],
    }),
  };
}

function bearerMatches(header: string | undefined, secret: string): boolean {
  // RFC 7235 §2.1: the scheme name is case-insensitive.
  const match = /^bearer +(\S+)$/i.exec(header ?? '');
  const presented = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(secret);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * `GET /metrics` in Prometheus text format. Not public: it needs `Authorization: Bearer
 * $METRICS_TOKEN`, and answers 404 when no METRICS_TOKEN is configured.
 */
export function metricsRoutes(metrics: Metrics, metricsToken: string | undefined): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    if (!metricsToken) return;
    ctx.set('Cache-Control', 'no-store');
    if (!bearerMatches(ctx.get('Authorization') || undefined, metricsToken)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="tollbooth-metrics"');
      ctx.body = { error: 'unauthorized' };
      return;
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
