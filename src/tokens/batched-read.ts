/**
 * Reads rows by a unique key, many callers per query. A caller that asks while a read is in
 * flight joins the next one, which starts as soon as a read finishes: every caller's read is
 * sent after the caller asked (as fresh as a query of its own), and under load one round trip
 * serves many callers, so the database, the driver and the socket writes each do a fraction of
 * the work. Nothing is remembered between reads.
 */
export interface BatchedReadOptions<Row> {
  /** One query for all the keys; returns the rows found (in any order, missing keys absent). */
  readMany: (keys: string[]) => Promise<Row[]>;
  /** The keys a row answers (a row may be found by more than one). */
  keysOf: (row: Row) => readonly string[];
  /** Reads in flight at once; callers arriving meanwhile wait for the next one. */
  maxInFlight: number;
  /** Most keys in one read; the rest wait for the next read. */
  maxKeys: number;
  /**
   * A read that has not settled by then stops holding its slot, so a stalled connection
   * cannot hold up every later caller (its own callers still wait for it, or their deadline).
   */
  releaseSlotAfterMs: number;
}

interface Waiter<Row> {
  resolve: (row: Row | undefined) => void;
  reject: (error: unknown) => void;
}

export class BatchedRead<Row> {
  private pending = new Map<string, Waiter<Row>[]>();
  private inFlight = 0;

  constructor(private readonly options: BatchedReadOptions<Row>) {}

  read(key: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (this.inFlight < this.options.maxInFlight) this.send();
    });
  }

  private send(): void {
    if (this.pending.size === 0) return;
    let batch = this.pending;
    if (batch.size <= this.options.maxKeys) {
      this.pending = new Map();
    } else {
      batch = new Map();
      for (const [key, waiters] of this.pending) {
        if (batch.size === this.options.maxKeys) break;
        batch.set(key, waiters);
        this.pending.delete(key);
      }
    }
    this.inFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      this.inFlight -= 1;
      this.send();
    };
    const timer = setTimeout(release, this.options.releaseSlotAfterMs);
    let query: Promise<Row[]>;
    try {
      query = this.options.readMany([...batch.keys()]);
    } catch (error) {
      query = Promise.reject(error);
    }
    query.then(
      (rows) => {
        const found = new Map<string, Row>();
        for (const row of rows) for (const key of this.options.keysOf(row)) found.set(key, row);
        for (const [key, waiters] of batch) {
          const row = found.get(key);
          for (const waiter of waiters) waiter.resolve(row);
        }
        release();
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
        release();
      },
    );
  }
}
