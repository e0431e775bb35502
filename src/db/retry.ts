import { setTimeout as sleep } from 'node:timers/promises';
import { TemporarilyUnavailable } from '../errors/index.js';

/**
 * Errors after which running the same work again is right, because the database threw the
 * attempt away rather than refused it:
 * - 1213 ER_LOCK_DEADLOCK: a deadlock victim on one server; on a Galera cluster also a
 *   transaction that lost certification to a conflicting one committed through another node;
 * - 1205 ER_LOCK_WAIT_TIMEOUT: a row lock held too long by someone else;
 * - 1047 (WSREP has not yet prepared node for application use): a Galera node that is joining,
 *   catching up or briefly out of the primary component;
 * - SQLITE_BUSY: another process holds the embedded database's write lock.
 */
const RETRYABLE_ERRNOS = new Set([1213, 1205, 1047]);
const RETRYABLE_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/** True when `error` means "the database aborted this attempt; run it again". */
export function isRetryableConflict(error: unknown): boolean {
  const candidate = error as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } } | null;
  const errno = candidate?.driverError?.errno ?? candidate?.errno;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return (errno !== undefined && RETRYABLE_ERRNOS.has(errno)) || (code !== undefined && RETRYABLE_CODES.has(code));
}

export interface RetryPolicy {
  /** Runs made whatever the time, the first included. */
  minAttempts: number;
  /** Beyond those, further runs start only while this long has not passed since the first. */
  budgetMs: number;
  /** The backoff before the second run; it doubles for each further one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Retries are bounded by time rather than by a count. When instances on two Galera nodes
 * create one user's tokens at once, each commit on one node aborts the transaction running on
 * the other, so a transaction can lose several times in a row until the other node's queue
 * drains; a time budget (the request's database deadline, DB_QUERY_TIMEOUT_MS) lets it through
 * where a fixed count would give up, and still answers a caller who is refused in the end
 * within seconds. Short backoffs: a loser that waits long only falls further behind.
 */
export const CONFLICT_RETRY: RetryPolicy = { minAttempts: 3, budgetMs: 5_000, baseDelayMs: 5, maxDelayMs: 100 };

/** Retry-After on the 503 when the retries ran out: conflicts clear in moments. */
export const CONFLICT_RETRY_AFTER_SECONDS = 1;

type RetryListener = (error: unknown, attempt: number) => void;
const listeners = new Set<RetryListener>();

/** Calls `listener` on every retried conflict (metrics); returns the function that stops it. */
export function onConflictRetry(listener: RetryListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "Full jitter" exponential backoff: a uniform pick below the capped exponential delay. */
function backoffMs(baseDelayMs: number, maxDelayMs: number, attempt: number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}

/**
 * Runs `work`, and runs it again, whole, after a conflict the database aborted it for (see
 * isRetryableConflict), with jittered backoff so the contenders spread out, as the policy
 * allows (see CONFLICT_RETRY). When the retries run out the caller gets 503
 * `temporarily_unavailable` with Retry-After, never the driver's error. `work` must be safe to
 * repeat: a transaction, or one statement.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, policy: Partial<RetryPolicy> = {}): Promise<T> {
  const { minAttempts, budgetMs, baseDelayMs, maxDelayMs } = { ...CONFLICT_RETRY, ...policy };
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryableConflict(error)) throw error;
      const delayMs = backoffMs(baseDelayMs, maxDelayMs, attempt);
      if (attempt >= minAttempts && Date.now() + delayMs - startedAt >= budgetMs) {
        throw new TemporarilyUnavailable('The database is busy with conflicting changes; try again shortly.', {
          cause: error,
          retryAfterSeconds: CONFLICT_RETRY_AFTER_SECONDS,
        });
      }
      for (const listener of listeners) listener(error, attempt);
      await sleep(delayMs);
    }
  }
}
