import { TemporarilyUnavailable } from '../errors/index.js';
import { isRetryableConflict } from './retry.js';

/** Driver error codes that mean "the database is not reachable right now", not "your query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_CLOSED',
  'SQLITE_BUSY',
]);

/** True when `error` says the database is down, stalled or overloaded. */
export function isDatabaseUnavailableError(error: unknown): boolean {
  if (error instanceof TemporarilyUnavailable) return true;
  const candidate = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = candidate?.driverError?.code ?? candidate?.code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  // A conflict that reached the caller without its retries (a read on a Galera node that is not
  // ready, a single statement): as temporary as an outage.
  if (isRetryableConflict(error)) return true;
  // mysql2 rejects with these messages (no code) when its pool queue is full or closed.
  return /Queue limit reached|Pool is closed|Can't add new command when connection is in closed state|connect ETIMEDOUT/.test(
    candidate?.message ?? '',
  );
}

/**
 * Bounds how long a request waits for the database. A stalled database (the network
 * drops packets, the server hangs) would otherwise hold requests open forever; past the
 * deadline the caller answers 503 and the pool recovers on its own once the database is back.
 */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporarilyUnavailable('The database did not answer in time; try again shortly.')), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (isDatabaseUnavailableError(error)) {
      throw error instanceof TemporarilyUnavailable ? error : new TemporarilyUnavailable(undefined, { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    // The losing query still settles later; keep its rejection from going unhandled.
    work.catch(() => undefined);
  }
}
