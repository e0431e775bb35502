import type { Server } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { createVerifier, type RevocationOptions, type Verifier } from '@tollbooth/verifier';
import { bearerAuth, requireScope, type TollboothState } from '@tollbooth/verifier/koa';
import { newStringSchema, StringStore } from './strings.js';

/** Answers the example's own 4xx errors (bad JSON, unknown route) as JSON, like the verifier does. */
async function jsonErrors(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: 'No such route' };
    }
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (typeof status !== 'number' || status >= 500) throw error;
    ctx.status = status;
    ctx.body = { error: 'invalid_request', error_description: (error as Error).message };
  }
}

/**
 * The example product API: every route needs a valid Tollbooth JWT for this audience;
 * reading strings needs `strings.read`, writing needs `strings.write`.
 */
export function createProductApi(verifier: Verifier): Koa<TollboothState> {
  const store = new StringStore();
  const router = new Router<TollboothState>();
  // Bodies are parsed only on the routes that take one, after authentication and the scope
  // check: a request that will be refused costs no parsing.
  const parseJson = bodyParser({ enableTypes: ['json'] });

  // Every claim of the JWT; iss and aud are the ones the verifier required.
  const { issuer: iss, audience: aud } = verifier;
  router.get('/v1/whoami', (ctx) => {
    const { sub, org_id, token_id, role, client_id, jti, scope, exp, iat } = ctx.state.claims;
    ctx.body = { iss, aud, sub, org_id, token_id, role, client_id, jti, scope: [...scope], exp, iat };
  });

  router.get('/v1/strings', requireScope('strings.read'), (ctx) => {
    ctx.body = { strings: store.list(ctx.state.claims.org_id) };
  });

  router.post('/v1/strings', requireScope('strings.write'), parseJson, (ctx) => {
    const parsed = newStringSchema.safeParse(ctx.request.body);
    if (!parsed.success) {
      ctx.status = 400;
      ctx.body = {
        error: 'invalid_request',
        error_description: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      };
      return;
    }
    ctx.status = 201;
    ctx.body = store.put(ctx.state.claims.org_id, ctx.state.claims.sub, parsed.data);
  });

  const app = new Koa<TollboothState>();
  // bearerAuth emits DiscoveryError or RevocationFeedError here when Tollbooth cannot be
  // reached (answering 503); a real API alerts on it.
  app.on('error', (error: Error & { code?: string }) => console.error(`product-api: ${error.code ?? error.name}: ${error.message}`));
  app.use(jsonErrors);
  app.use(bearerAuth(verifier));
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

export interface ProductApiOptions {
  /** The Tollbooth issuer: `PUBLIC_URL/oauth`. */
  issuerUrl: string;
  /** This API's audience, as declared for the `strings` service in Tollbooth. */
  audience: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** How the verifier follows Tollbooth's revocation feed; default its own (poll every 15 s). */
  revocation?: RevocationOptions;
}

export interface RunningProductApi {
  url: string;
  verifier: Verifier;
  close(): Promise<void>;
}

/** Starts the example API; tests run it in-process on a free port. */
export async function startProductApi({
  issuerUrl,
  audience,
  port,
  host = '127.0.0.1',
  revocation,
}: ProductApiOptions): Promise<RunningProductApi> {
  // The revocation feed is followed by default: a JWT of a token deleted or disabled in
  // Tollbooth is refused within about 20 s.
  const verifier = createVerifier({ issuer: issuerUrl, audience, ...(revocation && { revocation }) });
  const app = createProductApi(verifier);
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(port, host, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address() as { port: number };
  return {
    url: `http://${host}:${address.port}`,
    verifier,
    close: () =>
      new Promise<void>((resolve) => {
        verifier.close();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
