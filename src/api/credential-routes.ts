import type Router from '@koa/router';
import type { DataSource } from 'typeorm';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { BodyTooLarge, MalformedJson, UnsupportedMediaType } from '../errors/index.js';
import type { Limiters } from '../limits/index.js';
import { maskPath, type Logger } from '../log/index.js';
import type { Metrics } from '../metrics/index.js';
import { sendLeakNotices, type Mailer } from '../notices/index.js';
import { revokeLeakedTokens } from '../tokens/index.js';
import { requestOrigin } from './audit-context.js';
import { credentialReportSchema } from './credential-schemas.js';
import type { ApiState } from './state.js';
import { parseInput } from './validate.js';

export interface CredentialRouteDependencies {
  dataSource: DataSource;
  limiters: Pick<Limiters, 'credentialReportsByIp'>;
  metrics: Pick<Metrics, 'credentialReports' | 'leakedTokensRevoked'>;
  mailer: Mailer;
  logger: Logger;
  publicUrl: string;
}

/** 1000 tokens of 42 characters, quoted and separated, plus a source URL: about 47 KB. */
const REPORT_BODY_LIMIT = '64kb';

const parseReport = bodyParser({
  enableTypes: ['json'],
  parsedMethods: ['POST'],
  jsonLimit: REPORT_BODY_LIMIT,
  jsonStrict: true,
  onError(error) {
    const status = (error as { status?: number }).status;
    if (status === 413) throw new BodyTooLarge(`The request body exceeds ${REPORT_BODY_LIMIT}.`);
    if (status === 415) throw new UnsupportedMediaType((error as Error).message);
    throw new MalformedJson();
  },
});

async function reportBody(ctx: Context, next: Next): Promise<void> {
  if (ctx.request.is('application/json') === false) throw new UnsupportedMediaType('Send the request body as application/json.');
  await parseReport(ctx, next);
}

/**
 * `POST /api/credentials/revoke`: where secret scanners report `tbp_` strings they found
 * exposed. No authentication; limited per address, every report counting. Each real live
 * token is revoked before the answer (deleted, reason `leaked`, audited with the reporter's
 * address and `source`, listed in the revocation feed), and its owner and the organization's
 * admins are mailed after it. The answer is the same 202 whatever the strings were, so a
 * report tells nobody which tokens exist.
 */
export function registerCredentialRoutes(
  router: Router<ApiState>,
  { dataSource, limiters, metrics, mailer, logger, publicUrl }: CredentialRouteDependencies,
): void {
  router.post('/api/credentials/revoke', reportBody, async (ctx) => {
    const origin = requestOrigin(ctx);
    await limiters.credentialReportsByIp.spend(origin.ip);
    const report = parseInput(credentialReportSchema, ctx.request.body);
    const now = new Date();
    // The URL may carry the very token it reports (a query string, a path): kept and told masked.
    const source = report.source === undefined ? null : maskPath(report.source);
    const revoked = await revokeLeakedTokens(dataSource, report.credentials, { ...origin, source }, now);
    metrics.credentialReports.inc();
    metrics.leakedTokensRevoked.inc(revoked.length);
    if (revoked.length > 0) {
      logger.warn({ tokens: revoked.map((token) => token.id), source }, 'leaked platform tokens revoked');
      // After the answer's transaction committed, off the request: SMTP can be slow, and how
      // long the answer took must not say whether anything was real.
      void sendLeakNotices(dataSource, mailer, logger, revoked, { source, publicUrl, now }).catch((error: unknown) =>
        logger.warn({ err: error }, 'leak notices failed'),
      );
    }
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });
}
