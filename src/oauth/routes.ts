import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import compose from 'koa-compose';
import mount from 'koa-mount';
import type { Config } from '../config/index.js';
import type { DataSource } from 'typeorm';
import { InvalidRequest } from '../errors/index.js';
import { clientAddress, errorBoundary } from '../http/index.js';
import type { Keystore } from '../keys/index.js';
import type { Limiters } from '../limits/index.js';
import type { Metrics } from '../metrics/index.js';
import { discoveryAction, metadataPaths, notAnOpenIdProvider, openIdConfigurationPaths } from './discovery.js';
import { jwksAction } from './jwks.js';
import { tokenRequestState } from './request-state.js';
import { revocationFeedAction } from './revocation-feed.js';
import { tokenRequest } from './token-request.js';
import { CLIENT_CREDENTIALS_GRANT, TOKEN_EXCHANGE_GRANT } from './token-types.js';

export interface OAuthRouteOptions {
  config: Config;
  keystore: Keystore;
  /** The shared database the revocation feed is read from. */
  dataSource: DataSource;
  /** The oidc-provider instance (a Koa application) that serves `POST /oauth/token`. */
  provider: { middleware: Middleware[] };
  metrics: Metrics;
  /**
   * Failed credentials are limited per IP, and per token id *from that IP*. A limit on the
   * token id alone would let anyone who has seen a JWT (its `client_id` is the token id, and
   * every product API sees it) lock the owner's CI out from elsewhere.
   */
  limiters: Pick<Limiters, 'exchangeByIp' | 'exchangeByClient'>;
}

/** Refusals that mean "wrong credential": the ones brute-force limits count. */
const CREDENTIAL_FAILURES = new Set(['invalid_grant', 'invalid_client']);

function grantLabel(ctx: Context): string {
  const grantType = tokenRequestState(ctx)?.grantType;
  return grantType === TOKEN_EXCHANGE_GRANT ? 'token_exchange' : grantType === CLIENT_CREDENTIALS_GRANT ? 'client_credentials' : 'other';
}

/**
 * Brute-force limits and metrics around the token endpoint: a blocked IP is refused before
 * anything else, failed credentials are counted per IP, and every answer is counted by grant
 * and outcome.
 */
function tokenEndpointGuard({ metrics, limiters }: Pick<OAuthRouteOptions, 'metrics' | 'limiters'>) {
  // The labelled series, looked up once each: prom-client hashes a label object on every call.
  const answers = new Map<string, { inc: () => void }>();
  const durations = new Map<string, { observe: (seconds: number) => void }>();
  const answered = (grant: string, outcome: string) => {
    const key = `${grant} ${outcome}`;
    let series = answers.get(key);
    if (!series) answers.set(key, (series = metrics.exchanges.labels({ grant, outcome })));
    return series;
  };
  const timed = (grant: string) => {
    let series = durations.get(grant);
    if (!series) durations.set(grant, (series = metrics.tokenEndpointSeconds.labels({ grant })));
    return series;
  };
  return async function guardTokenEndpoint(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    let outcome = 'success';
    try {
      await limiters.exchangeByIp.check(clientAddress(ctx));
      await next();
      if (ctx.status !== 200) outcome = (ctx.body as { error?: string } | undefined)?.error ?? 'server_error';
    } catch (error) {
      outcome = (error as { code?: string }).code ?? 'server_error';
      throw error;
    } finally {
      const grant = grantLabel(ctx);
      // The outcome only: never a parameter, so never a secret.
      if (outcome !== 'success') ctx.state.log?.info({ grant, outcome }, 'token request refused');
      answered(grant, outcome).inc();
      timed(grant).observe(Number(process.hrtime.bigint() - started) / 1e9);
      if (CREDENTIAL_FAILURES.has(outcome)) await limiters.exchangeByIp.fail(clientAddress(ctx));
    }
  };
}

/**
 * Requests that authenticate a platform token as client (client_credentials, or an exchange
 * sent with client authentication): a token id that keeps failing from one address is refused
 * with 429 before its secret is checked again. Runs after the form is read, so the id is known.
 * The public exchange names no client, whatever `client_id` it carries.
 */
function clientGuard({ limiters }: Pick<OAuthRouteOptions, 'limiters'>) {
  return async function guardClient(ctx: Context, next: Next): Promise<void> {
    const client = tokenRequestState(ctx)?.client;
    if (!client) return next();
    const key = `${client.id.slice(0, 64)}|${clientAddress(ctx)}`;
    await limiters.exchangeByClient.check(key);
    await next();
    if ((ctx.body as { error?: string } | undefined)?.error === 'invalid_client') await limiters.exchangeByClient.fail(key);
  };
}

function methodNotAllowed(allowed: string) {
  return function refuse(ctx: Context): void {
    ctx.set('Allow', allowed);
    // RFC 6749 has no code for a wrong method; the status says it.
    throw new InvalidRequest(`use ${allowed} on ${ctx.path}`, { status: 405 });
  };
}

/**
 * Everything under `/oauth` plus the RFC 8414 metadata documents: the token endpoint (our
 * checks, then oidc-provider), the JWKS and metadata (served from config and the keystore),
 * and a JSON 404 for any other path — no other oidc-provider route is reachable.
 */
export function oauthRoutes(options: OAuthRouteOptions): Middleware {
  const { config, keystore, provider, dataSource } = options;
  const router = new Router();
  // Thrown errors and unmatched paths become RFC 6749 JSON, never HTML or problem+json.
  const errors = errorBoundary({ kind: 'oauth', realm: config.issuer }, 'no such OAuth endpoint');
  const discovery = discoveryAction(config);
  const issuerPath = new URL(config.issuer).pathname.replace(/\/$/, '');

  for (const path of metadataPaths(config)) {
    router.get(path, errors, discovery);
    router.all(path, errors, methodNotAllowed('GET'));
  }
  for (const path of openIdConfigurationPaths(config)) router.all(path, errors, notAnOpenIdProvider(config));
  router.get(`${issuerPath}/jwks`, errors, jwksAction(keystore));
  router.all(`${issuerPath}/jwks`, errors, methodNotAllowed('GET'));
  const revocationFeed = revocationFeedAction({
    dataSource,
    keystore,
    issuer: config.issuer,
    queryTimeoutMs: config.database.queryTimeoutMs,
  });
  router.get(`${issuerPath}/revocations`, errors, revocationFeed);
  router.all(`${issuerPath}/revocations`, errors, methodNotAllowed('GET'));
  const tokenPath = `${issuerPath}/token`;
  const tokenEndpoint = compose([
    errors,
    tokenEndpointGuard(options),
    tokenRequest,
    clientGuard(options),
    mount(issuerPath, provider as never),
  ]);
  router.post(tokenPath, tokenEndpoint);
  router.all(tokenPath, errors, methodNotAllowed('POST'));
  router.all(issuerPath, errors);
  router.all(`${issuerPath}/{*rest}`, errors);

  const routes = router.routes() as unknown as Middleware;
  // The token endpoint is nearly all of the traffic: it skips the router's matching.
  return (ctx, next) => (ctx.method === 'POST' && ctx.path === tokenPath ? tokenEndpoint(ctx, next) : routes(ctx, next));
}
