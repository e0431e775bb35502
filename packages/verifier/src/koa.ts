/**
 * `@tollbooth/verifier/koa`: Koa middleware on the verifier core.
 *
 * It imports Koa's types only, so the package never loads Koa (an optional peer dependency)
 * and the core entry stays free of it; APIs on other frameworks use the core's `bearer.ts`.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import Router from '@koa/router';
 * import { createVerifier } from '@tollbooth/verifier';
 * import { bearerAuth, requireScope, type TollboothState } from '@tollbooth/verifier/koa';
 *
 * const verifier = createVerifier({
 *   issuer: 'https://tollbooth.example/oauth',
 *   audience: 'https://strings.tollbooth.example/api',
 * });
 * const router = new Router<TollboothState>();
 * router.get('/v1/whoami', (ctx) => { ctx.body = { sub: ctx.state.claims.sub }; });
 * router.post('/v1/strings', requireScope('strings.write'), (ctx) => { ctx.status = 201; });
 * new Koa().use(bearerAuth(verifier)).use(router.routes()).listen(4000);
 * ```
 *
 * @module
 */
import type { Middleware, ParameterizedContext } from 'koa';
import { bearerErrorResponse, readBearerToken } from './bearer.js';
import type { TollboothClaims } from './claims.js';
import { VerifierError } from './errors.js';
import { resolveScopes } from './options.js';
import { assertScopes } from './scopes.js';
import type { Verifier } from './verifier.js';

/**
 * What `bearerAuth()` puts on `ctx.state`.
 *
 * @example
 * ```ts
 * const router = new Router<TollboothState>();
 * router.get('/v1/whoami', (ctx) => { ctx.body = { user: ctx.state.claims.sub }; });
 * ```
 */
export interface TollboothState {
  claims: TollboothClaims;
}

/**
 * Options of `bearerAuth()`.
 *
 * @example
 * ```ts
 * app.use(bearerAuth(verifier, { realm: 'strings' } satisfies BearerAuthOptions));
 * ```
 */
export interface BearerAuthOptions {
  /** The `realm` of the RFC 6750 challenge; default the verifier's audience. */
  realm?: string;
}

/** The realm each authenticated request was challenged with, for requireScope's answers. */
const realms = new WeakMap<object, string>();

function answer(ctx: ParameterizedContext, error: VerifierError, realm: string | undefined): void {
  const response = bearerErrorResponse(error, { realm });
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
  // A discovery failure is an outage, not a client error: hand it to the app's error listener.
  if (response.status >= 500) ctx.app.emit('error', error, ctx);
}

/**
 * Koa middleware that admits only requests with a valid Tollbooth access token and puts its
 * claims on `ctx.state.claims`. Refusals follow RFC 6750 §3: 401 with a `WWW-Authenticate:
 * Bearer` challenge (no error code when no token was sent, `invalid_token` otherwise), 403
 * `insufficient_scope` for the verifier's `requiredScopes`, 400 `invalid_request` for a
 * malformed header — each with a JSON body `{error, error_description}`. When the issuer's keys
 * cannot be fetched it answers 503 and emits the error on the app.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { createVerifier } from '@tollbooth/verifier';
 * import { bearerAuth } from '@tollbooth/verifier/koa';
 *
 * const app = new Koa();
 * app.use(bearerAuth(createVerifier({ issuer, audience })));
 * app.use((ctx) => { ctx.body = { hello: ctx.state.claims.sub }; });
 * ```
 */
export function bearerAuth(verifier: Verifier, options: BearerAuthOptions = {}): Middleware<TollboothState> {
  const realm = options.realm ?? verifier.audience;
  return async (ctx, next) => {
    let claims: TollboothClaims;
    try {
      claims = await verifier.verify(readBearerToken(ctx.get('authorization')));
    } catch (error) {
      if (!(error instanceof VerifierError)) throw error;
      answer(ctx, error, realm);
      return;
    }
    ctx.state.claims = claims;
    realms.set(ctx, realm);
    await next();
  };
}

/**
 * Koa middleware for one route that needs scopes beyond the API's: answers 403
 * `insufficient_scope` with `scope="…"` (RFC 6750 §3.1) unless the token carries all of them.
 * Put it after `bearerAuth()`.
 *
 * @example
 * ```ts
 * router.post('/v1/strings', requireScope('strings.write'), createString);
 * ```
 */
export function requireScope(...scopes: string[]): Middleware<TollboothState> {
  const required = resolveScopes(scopes, 'requireScope');
  return async (ctx, next) => {
    const claims = ctx.state.claims as TollboothClaims | undefined;
    if (claims === undefined) throw new Error('requireScope() must run after bearerAuth()');
    try {
      assertScopes(claims, required);
    } catch (error) {
      if (!(error instanceof VerifierError)) throw error;
      answer(ctx as ParameterizedContext, error, realms.get(ctx));
      return;
    }
    await next();
  };
}
