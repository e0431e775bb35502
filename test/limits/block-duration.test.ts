import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimited } from '../../src/errors/index.js';
import { POLICIES } from '../../src/limits/index.js';
import { createLimiterStore, FailureLimiter, type FailureLimitPolicy } from '../../src/limits/failure-limiter.js';
import { createLogger } from '../../src/log/logger.js';
import { useDatabase } from '../support/fixture.js';

const START = new Date('2031-05-01T12:00:00.000Z');
let keySequence = 0;

/** Resolves to the Retry-After a blocked key is refused with, or undefined when it is let through. */
async function retryAfter(limiter: FailureLimiter, key: string): Promise<number | undefined> {
  try {
    await limiter.check(key);
    return undefined;
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    return error.retryAfterSeconds;
  }
}

describe.each(['memory', 'database'] as const)('a block lasts as long as announced (%s store)', (store) => {
  const database = useDatabase({ migrate: true });
  const logger = createLogger('silent');

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const advance = (seconds: number) => vi.setSystemTime(new Date(Date.now() + seconds * 1000));

  it.each(Object.entries(POLICIES))(
    '%s: blocked for blockSeconds from the failure that trips it, with that Retry-After',
    async (_name, policy: FailureLimitPolicy) => {
      const limiter = new FailureLimiter(policy, createLimiterStore(policy, store, database.dataSource), logger);
      const key = `key-${++keySequence}`;
      // The first failure opens the window; the others come just before it closes.
      await limiter.fail(key);
      advance(policy.windowSeconds - 5);
      for (let failure = 1; failure < policy.failures; failure += 1) await limiter.fail(key);
      expect(await retryAfter(limiter, key)).toBeUndefined();

      await limiter.fail(key);
      expect(await retryAfter(limiter, key)).toBe(policy.blockSeconds);

      // The window has long closed; the block has not.
      advance(policy.blockSeconds - 10);
      expect(await retryAfter(limiter, key)).toBe(10);
      advance(11);
      expect(await retryAfter(limiter, key)).toBeUndefined();
    },
  );
});
