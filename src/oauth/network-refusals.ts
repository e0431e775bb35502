import type { DataSource } from 'typeorm';
import { withDeadline } from '../db/index.js';
import type { Logger } from '../log/index.js';
import type { Metrics } from '../metrics/index.js';
import { recordNetworkRefusal, type NetworkRefusalAttempt, type UsableToken } from '../tokens/index.js';

/**
 * What the exchange does when a right secret comes from outside its token's networks: count
 * it and audit it (`token.exchange_denied`). A failed audit write is logged and the refusal
 * is answered as usual, never turned into an error of its own.
 */
export function networkRefusalReporter(options: {
  dataSource: DataSource;
  metrics: Pick<Metrics, 'networkRefusals'>;
  logger: Logger;
  queryTimeoutMs: number;
}) {
  return async function reportNetworkRefusal(token: UsableToken, address: string | undefined, attempt: NetworkRefusalAttempt) {
    options.metrics.networkRefusals.inc({ attempt });
    try {
      await withDeadline(recordNetworkRefusal(options.dataSource, token, address, attempt), options.queryTimeoutMs);
    } catch (error) {
      options.logger.warn({ err: error, tokenId: token.id }, 'auditing a refusal from outside the allowed networks failed');
    }
  };
}
