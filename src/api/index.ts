import type { Context, Middleware, Next } from 'koa';
import { dummyPasswordHash } from '../accounts/index.js';
import { MethodNotAllowed } from '../errors/index.js';
import { errorBoundary, PROBLEM_FORMAT } from '../http/index.js';
import { createLimiters, type Limiters } from '../limits/index.js';
import type { Runtime } from '../runtime.js';
import { createManagementRouter } from './router.js';
import type { AuthenticateBearer } from './state.js';

export type { BearerIdentity, AuthenticateBearer, Principal, ApiState } from './state.js';
export { createManagementRouter } from './router.js';
export { openApiDocument } from './openapi.js';
export { presentToken, tokenSchema as presentedTokenSchema, type PresentedToken } from './token-presenter.js';
export { organizationActor } from './organization-access.js';
export { presentServices } from './services-presenter.js';
export { READ_SCOPE, WRITE_SCOPE } from './authenticate.js';

export interface ManagementApiOptions {
  /** Verifies Tollbooth JWTs for the `platform` service; without it every bearer gets 401. */
  authenticateBearer?: AuthenticateBearer;
  /**
   * Brute-force limits: the login's, and the token endpoint's per-address limit, which the
   * self-roll shares; built from the runtime's config when absent.
   */
  limiters?: Pick<Limiters, 'loginByIp' | 'loginByAccount' | 'exchangeByIp' | 'credentialReportsByIp'>;
}

const noop = async (): Promise<void> => undefined;

/**
 * The JSON management API, as one Koa middleware that answers every
 * path under `/api` and passes anything else on. Every answer carries
 * `Cache-Control: no-store` (tokens and CSRF tokens must not sit in caches); every error is
 * problem+json.
 */
export function createManagementApi(runtime: Runtime, options: ManagementApiOptions = {}): Middleware {
  // Compute the dummy hash now, so the first failed login for an unknown email is not faster.
  void dummyPasswordHash();
  const router = createManagementRouter(runtime, {
    authenticateBearer: options.authenticateBearer,
    limiters: options.limiters ?? createLimiters(runtime),
  });
  const routes = router.routes();
  const allowedMethods = router.allowedMethods();
  const errors = errorBoundary(PROBLEM_FORMAT, 'Not Found');

  return async function managementApi(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== '/api' && !ctx.path.startsWith('/api/')) return next();
    ctx.set('Cache-Control', 'no-store');
    await errors(ctx, async () => {
      await allowedMethods(ctx as never, () => routes(ctx as never, noop));
      // The router set 405 and the Allow header (RFC 9110 §15.5.6); give it a problem body.
      if (ctx.status === 405 && ctx.body === undefined) throw new MethodNotAllowed();
    });
  };
}
