import { RateLimiterMemory, RateLimiterMySQL, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import { retryOnConflict } from '../db/index.js';
import { RateLimited } from '../errors/index.js';
import type { Logger } from '../log/index.js';

export interface FailureLimitPolicy {
  /** Name in metrics and logs, e.g. `login_ip`. */
  name: string;
  /** Failures allowed per window before the key is blocked. */
  failures: number;
  windowSeconds: number;
  /** How long a key stays blocked once over the limit. */
  blockSeconds: number;
}

/**
 * Counts failures only, so legitimate traffic is never throttled: a CI fleet behind one IP
 * doing thousands of valid exchanges a minute consumes nothing. Once a key has failed too
 * often, every attempt for it is refused with 429 until the block ends.
 */
export class FailureLimiter {
  constructor(
    readonly policy: FailureLimitPolicy,
    private readonly limiter: RateLimiterAbstract,
    private readonly logger: Logger,
    private readonly onLimited: (policy: string) => void = () => undefined,
  ) {}

  /**
   * Throws RateLimited (429) when `key` is blocked, with the seconds left of its block as
   * Retry-After. A store outage lets the request through (fail open) and is logged.
   */
  async check(key: string): Promise<void> {
    let state: RateLimiterRes | null;
    try {
      state = await this.limiter.get(key);
    } catch (error) {
      this.logger.warn({ err: error, limiter: this.policy.name }, 'rate limit store unavailable; not limiting');
      return;
    }
    // A record past its expiry may linger until the store sweeps it: it blocks nothing.
    if (state && state.consumedPoints > this.policy.failures && state.msBeforeNext > 0) {
      this.onLimited(this.policy.name);
      throw new RateLimited(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
    }
  }

  /**
   * Records one failure for `key`. The database store counts in a transaction of its own; when
   * instances on several nodes of a cluster count one key at once, the loser is retried.
   */
  async fail(key: string): Promise<void> {
    try {
      await retryOnConflict(() => this.limiter.consume(key));
    } catch (error) {
      // Rejection with a RateLimiterRes just means the key is now over its limit.
      if (!(error instanceof RateLimiterRes)) {
        this.logger.warn({ err: error, limiter: this.policy.name }, 'rate limit store unavailable; failure not counted');
      }
    }
  }

  /**
   * For calls limited whether they succeed or not: counts this call against `key`, then
   * refuses it (429) when that put the key over its allowance — `failures` calls per window.
   */
  async spend(key: string): Promise<void> {
    await this.fail(key);
    await this.check(key);
  }

  /** Forgets a key's failures (a successful login clears its account's count). */
  async reset(key: string): Promise<void> {
    try {
      await retryOnConflict(() => this.limiter.delete(key));
    } catch (error) {
      this.logger.warn({ err: error, limiter: this.policy.name }, 'rate limit store unavailable; reset skipped');
    }
  }
}

/** Builds the rate-limiter-flexible store for a policy: memory, or MySQL to share limits across instances. */
export function createLimiterStore(policy: FailureLimitPolicy, store: 'memory' | 'database', dataSource: DataSource): RateLimiterAbstract {
  const options = {
    keyPrefix: `tollbooth_${policy.name}`,
    // The store blocks a key (for blockDuration, from that moment) on the consume that goes
    // past `points`: the (failures+1)-th failure, the one after which `check` refuses. Were
    // `points` any higher, `check` would refuse on the window's count alone, and the refusal
    // would end with the window rather than after blockDuration.
    points: policy.failures,
    duration: policy.windowSeconds,
    blockDuration: policy.blockSeconds,
  };
  if (store === 'database' && dataSource.options.type === 'mysql') {
    const driver = dataSource.driver as unknown as { pool: unknown; database?: string };
    return new RateLimiterMySQL({
      ...options,
      storeClient: driver.pool,
      storeType: 'pool',
      dbName: driver.database ?? (dataSource.options as { database?: string }).database,
      tableName: 'rate_limits',
      // Created by migrations/; the server needs no CREATE privilege.
      tableCreated: true,
    });
  }
  return new RateLimiterMemory(options);
}
