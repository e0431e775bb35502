import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
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
const REASONS_BY_ERRNO = new Map([
  [1213, 'deadlock'],
  [1205, 'lock_wait_timeout'],
  [1047, 'node_not_ready'],
] as const);

/** Why the database aborted an attempt, as the metrics label it. */
export type ConflictReason = 'deadlock' | 'lock_wait_timeout' | 'node_not_ready' | 'busy';

/** The conflict `error` stands for, or undefined when it is not one to retry. */
export function conflictReason(error: unknown): ConflictReason | undefined {
  const candidate = error as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } } | null;
  const errno = candidate?.driverError?.errno ?? candidate?.errno;
  const code = candidate?.driverError?.code ?? candidate?.code;
  if (errno === 1213 || errno === 1205 || errno === 1047) return REASONS_BY_ERRNO.get(errno);
  return code === 'SQLITE_BUSY' ? 'busy' : undefined;
}

/** True when `error` means "the database aborted this attempt; run it again". */
export function isRetryableConflict(error: unknown): boolean {
  return conflictReason(error) !== undefined;
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

type RetryListener = (reason: ConflictReason) => void;
const listeners = new WeakMap<DataSource, Set<RetryListener>>();

/** Calls `listener` on every conflict retried on `dataSource` (metrics); returns the function that stops it. */
export function onConflictRetry(dataSource: DataSource, listener: RetryListener): () => void {
  let set = listeners.get(dataSource);
  if (!set) listeners.set(dataSource, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** The retry policy for work on `dataSource`: its query deadline as the budget, its listeners told of each retry. */
export function retryPolicyFor(dataSource: DataSource, budgetMs: number): Partial<RetryPolicy> & { onRetry: RetryListener } {
  return {
    budgetMs,
    onRetry: (reason) => {
      for (const listener of listeners.get(dataSource) ?? []) listener(reason);
    },
  };
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
export async function retryOnConflict<T>(
  work: () => Promise<T>,
  policy: Partial<RetryPolicy> & { onRetry?: RetryListener } = {},
): Promise<T> {
  const { minAttempts, budgetMs, baseDelayMs, maxDelayMs, onRetry } = { ...CONFLICT_RETRY, ...policy };
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const reason = conflictReason(error);
      if (reason === undefined) throw error;
      const delayMs = backoffMs(baseDelayMs, maxDelayMs, attempt);
      if (attempt >= minAttempts && Date.now() + delayMs - startedAt >= budgetMs) {
        throw new TemporarilyUnavailable('The database is busy with conflicting changes; try again shortly.', {
          cause: error,
          retryAfterSeconds: CONFLICT_RETRY_AFTER_SECONDS,
        });
      }
      onRetry?.(reason);
      await sleep(delayMs);
    }
  }
}
