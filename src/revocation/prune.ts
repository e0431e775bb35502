import { LessThanOrEqual, type DataSource } from 'typeorm';
import { TokenRevocationEntity, writeRetrying } from '../db/index.js';
import { runPeriodically, type Runtime } from '../runtime.js';
import { revocationWindowStart } from './feed.js';

/**
 * How often each instance prunes. Rows only need to go eventually: the feed reads by time and
 * never publishes a row older than its window, so a row left a while longer changes nothing.
 */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Deletes the revocations no JWT can need any more: those at or before the feed's window start
 * (the JWT lifetime plus clock skew ago), which the feed no longer publishes. Returns how many
 * went. One statement, safe from any number of instances at once: each deletes what is still
 * there, and a revocation recorded again meanwhile has moved its time forward out of reach. On
 * a conflict (a deadlock, a lost Galera certification) it runs again.
 */
export async function pruneRevocations(dataSource: DataSource, now = new Date()): Promise<number> {
  const before = revocationWindowStart(now);
  const { affected } = await writeRetrying(dataSource, () =>
    dataSource.getRepository(TokenRevocationEntity).delete({ notBefore: LessThanOrEqual(before) }),
  );
  return affected ?? 0;
}

/**
 * Prunes every PRUNE_INTERVAL_MS (first a minute after start) until the runtime closes. A
 * failed run (the database down) is logged; the next one catches up.
 */
export function scheduleRevocationPruning(runtime: Runtime, intervalMs = PRUNE_INTERVAL_MS, firstAfterMs = 60_000): void {
  const { dataSource, logger } = runtime;
  runPeriodically(runtime, {
    firstAfterMs,
    intervalMs,
    run: () =>
      pruneRevocations(dataSource).then(
        (pruned) => {
          if (pruned > 0) logger.info({ pruned }, 'old token revocations pruned');
        },
        (error: unknown) => logger.warn({ err: error }, 'pruning old token revocations failed'),
      ),
  });
}
