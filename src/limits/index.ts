import type { Runtime } from '../runtime.js';
import { createLimiterStore, FailureLimiter, type FailureLimitPolicy } from './failure-limiter.js';

export { FailureLimiter, type FailureLimitPolicy } from './failure-limiter.js';

/**
 * Brute-force limits (failures only). Per-IP limits are generous so one misconfigured job
 * cannot lock out a whole CI fleet behind a NAT; per-credential limits are tight.
 */
export const POLICIES = {
  exchangeByIp: { name: 'exchange_ip', failures: 100, windowSeconds: 60, blockSeconds: 300 },
  exchangeByClient: { name: 'exchange_client', failures: 10, windowSeconds: 60, blockSeconds: 300 },
  loginByIp: { name: 'login_ip', failures: 50, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  loginByAccount: { name: 'login_account', failures: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  // Leak reports need no credential, so every report counts (see FailureLimiter.spend): a
  // scanner batches up to 1000 strings per report, so 30 a minute per address is plenty.
  credentialReportsByIp: { name: 'credential_reports_ip', failures: 30, windowSeconds: 60, blockSeconds: 60 },
} satisfies Record<string, FailureLimitPolicy>;

export type Limiters = Record<keyof typeof POLICIES, FailureLimiter>;

export function createLimiters(
  runtime: Runtime,
  overrides: Partial<Record<keyof typeof POLICIES, Partial<FailureLimitPolicy>>> = {},
): Limiters {
  const { config, dataSource, logger, metrics } = runtime;
  if (config.rateLimitStore === 'database' && dataSource.options.type !== 'mysql') {
    logger.warn('RATE_LIMIT_STORE=database needs MySQL; using in-memory limits');
  }
  const build = (key: keyof typeof POLICIES) => {
    const policy = { ...POLICIES[key], ...overrides[key] };
    return new FailureLimiter(policy, createLimiterStore(policy, config.rateLimitStore, dataSource), logger, (name) =>
      metrics.rateLimitHits.inc({ limiter: name }),
    );
  };
  return {
    exchangeByIp: build('exchangeByIp'),
    exchangeByClient: build('exchangeByClient'),
    loginByIp: build('loginByIp'),
    loginByAccount: build('loginByAccount'),
    credentialReportsByIp: build('credentialReportsByIp'),
  };
}
