import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/**
 * The server process's memory policy, in one place.
 *
 * The live heap is ~43 MiB. Without a cap V8 lets old space grow far past it under load
 * (resident memory passed 240 MiB in the benchmark), so the `tollbooth` command starts Node with
 * `--max-old-space-size=128` (its `#!` line). Near such a cap, though, V8 schedules a major
 * collection as soon as old space grows ~30 % past what survived the last one: with ~26 MB/s
 * promoted under load that was two major collections a second, ~5 % of the CPU and the longest
 * pauses in the latency tail. Letting old space double first (still inside the cap) halves them.
 * The growing factor is read at every collection, so setting it here, at start, applies however
 * the process was started (a flag on the command line or in NODE_OPTIONS would not: Node refuses
 * this one in NODE_OPTIONS).
 */
const HEAP_GROWING_PERCENT = 100;

/** Heaps larger than this were started without a cap. */
const UNCAPPED_HEAP_MIB = 1024;

export function applyHeapPolicy(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** What the server prints at start about its heap: the limit, or a warning that there is none. */
export function heapLine(): string {
  const limitMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  return limitMiB > UNCAPPED_HEAP_MIB
    ? `Warning: no heap limit (V8 allows ${limitMiB} MiB): resident memory can grow past 200 MB under load. ` +
        'Start it with the `tollbooth` command, or give Node --max-old-space-size=128 (e.g. in NODE_OPTIONS).'
    : `Heap limit ${limitMiB} MiB (--max-old-space-size; the \`tollbooth\` command sets 128 for old space).`;
}
