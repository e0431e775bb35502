import type Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { DataSource } from 'typeorm';
import type { ServiceCatalog } from '../config/index.js';
import { InvalidToken } from '../errors/index.js';
import type { Limiters } from '../limits/index.js';
import type { Metrics } from '../metrics/index.js';
import { recordNetworkRefusal, rollPresentedToken } from '../tokens/index.js';
import { requestOrigin } from './audit-context.js';
import { jsonBody } from './body.js';
import type { ApiState } from './state.js';
import { presentToken } from './token-presenter.js';
import { rollTokenSchema } from './token-schemas.js';
import { parseInput } from './validate.js';

export interface SelfRollRouteDependencies {
  dataSource: DataSource;
  services: ServiceCatalog;
  /** The token endpoint's per-address limit on failed credentials: a platform token is checked here too. */
  limiters: Pick<Limiters, 'exchangeByIp'>;
  metrics: Pick<Metrics, 'networkRefusals'>;
}

/** RFC 6750 §2.1: `Bearer` and the credential, here a platform token. */
const BEARER = /^Bearer +(\S+)$/i;

function refuse(): never {
  throw new InvalidToken('Send the current secret of a usable platform token as Authorization: Bearer tbp_….', {
    challenge: 'Bearer realm="tollbooth", error="invalid_token"',
  });
}

/**
 * `POST /api/tokens/self/roll`: a platform token rolls itself, authenticated by nothing but
 * its own current secret, so a CI job can rotate its credential with no person involved. No
 * session, no JWT. Every refusal is the same 401 and counts as a failed credential for the
 * caller's address, as at the token endpoint.
 */
export function registerSelfRollRoute(
  router: Router<ApiState>,
  { dataSource, services, limiters, metrics }: SelfRollRouteDependencies,
): void {
  const presentedSecret = (ctx: Context) => BEARER.exec(ctx.get('Authorization').trim())?.[1];

  async function credentialLimits(ctx: Context, next: Next): Promise<void> {
    const { ip } = requestOrigin(ctx);
    await limiters.exchangeByIp.check(ip);
    try {
      // Refused before the body is read: without a credential, nothing else is answered.
      if (!presentedSecret(ctx)) refuse();
      await next();
    } catch (error) {
      if (error instanceof InvalidToken) await limiters.exchangeByIp.fail(ip);
      throw error;
    }
  }

  router.post('/api/tokens/self/roll', credentialLimits, jsonBody, async (ctx) => {
    const { grace_seconds: graceSeconds } = parseInput(rollTokenSchema, ctx.request.body ?? {});
    const origin = requestOrigin(ctx);
    const rolled = await rollPresentedToken(dataSource, services, presentedSecret(ctx), {
      graceSeconds,
      audit: { actorUserId: null, ip: origin.ip || null, userAgent: origin.userAgent },
      address: origin.ip || undefined,
      async onNetworkRefusal(token, address, attempt) {
        metrics.networkRefusals.inc({ attempt });
        await recordNetworkRefusal(dataSource, token, address, attempt);
      },
    });
    if (!rolled) refuse();
    ctx.body = { token: presentToken(rolled.token), secret: rolled.secret };
  });
}
