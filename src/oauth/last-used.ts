import type { DataSource } from 'typeorm';
import { PlatformTokenEntity, writeRetrying } from '../db/index.js';
import type { Logger } from '../log/index.js';

export interface LastUsedRecorderOptions {
  dataSource: DataSource;
  logger: Logger;
  /** At most one write per token per this many milliseconds (default: a minute). */
  minimumIntervalMs?: number;
  /** How often pending uses are written. */
  flushIntervalMs?: number;
  clock?: () => Date;
}

interface PendingUse {
  at: Date;
  ip: string | null;
}

const MINUTE_MS = 60_000;
/** Bounds memory under a flood of distinct tokens; beyond it, uses wait for the next flush. */
const MAX_PENDING = 50_000;

/** `::ffff:203.0.113.7` → `203.0.113.7`; anything longer than the column is dropped. */
function normaliseIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const plain = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  return plain.length <= 45 ? plain : null;
}

/**
 * Records `last_used_at` / `last_used_ip` of each exchange off the request path: `record` only
 * touches memory; a timer writes the latest use per token, at most once per token per minute
 * on this instance. The UPDATE itself also skips rows whose stored use is less than a minute
 * older, so several instances together still write about once a minute, and the stored time
 * is never more than a minute behind the real last use. Pending uses are flushed on shutdown.
 */
export class LastUsedRecorder {
  readonly #options: Required<Omit<LastUsedRecorderOptions, 'logger' | 'dataSource'>> &
    Pick<LastUsedRecorderOptions, 'logger' | 'dataSource'>;
  readonly #pending = new Map<string, PendingUse>();
  readonly #lastWritten = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<number> | undefined;

  constructor(options: LastUsedRecorderOptions) {
    this.#options = { minimumIntervalMs: MINUTE_MS, flushIntervalMs: 2_000, clock: () => new Date(), ...options };
  }

  /** Notes a use; never waits for and never fails on the database. */
  record(tokenId: string, ip: string | undefined): void {
    if (this.#pending.size >= MAX_PENDING && !this.#pending.has(tokenId)) return;
    this.#pending.set(tokenId, { at: this.#options.clock(), ip: normaliseIp(ip) });
  }

  /** Starts the periodic flush (unref'd: it never keeps the process alive). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.#options.logger.warn({ err: error }, 'recording last use failed'));
    }, this.#options.flushIntervalMs);
    this.#timer.unref();
  }

  /**
   * Writes pending uses whose token was not written within the minimum interval (all of
   * them with `{ all: true }`, on shutdown). Returns how many UPDATE statements ran.
   */
  flush({ all = false }: { all?: boolean } = {}): Promise<number> {
    // One flush at a time: a slow database must not stack concurrent flushes.
    const run = (this.#flushing ?? Promise.resolve(0)).catch(() => 0).then(() => this.#flushOnce(all));
    this.#flushing = run;
    return run;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush({ all: true });
  }

  async #flushOnce(all: boolean): Promise<number> {
    const now = this.#options.clock().getTime();
    const { minimumIntervalMs, dataSource } = this.#options;
    for (const [tokenId, writtenAt] of this.#lastWritten) {
      if (now - writtenAt >= minimumIntervalMs) this.#lastWritten.delete(tokenId);
    }
    let writes = 0;
    for (const [tokenId, use] of [...this.#pending]) {
      if (!all && this.#lastWritten.has(tokenId)) continue;
      this.#pending.delete(tokenId);
      this.#lastWritten.set(tokenId, now);
      writes += 1;
      try {
        await writeRetrying(dataSource, () =>
          dataSource
            .createQueryBuilder()
            .update(PlatformTokenEntity)
            .set({ lastUsedAt: use.at, lastUsedIp: use.ip })
            .where('id = :tokenId', { tokenId })
            .andWhere('(last_used_at IS NULL OR last_used_at <= :staleBefore)', {
              staleBefore: new Date(use.at.getTime() - minimumIntervalMs),
            })
            .execute(),
        );
      } catch (error) {
        // Keep the use for the next flush unless a newer one arrived meanwhile.
        if (!this.#pending.has(tokenId)) this.#pending.set(tokenId, use);
        this.#lastWritten.delete(tokenId);
        throw error;
      }
    }
    return writes;
  }
}
