import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';

/** Where a result came from: throughput means little without the machine beside it. */
export interface Machine {
  cpuModel: string;
  /** What `nproc` prints. */
  processors: number;
  memoryTotalGiB: number;
  memoryFreeGiB: number;
  /** 1, 5 and 15 minute load averages when the run started: a busy shared machine shows here. */
  loadAverage: number[];
  node: string;
  database: string;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

const gib = (bytes: number) => Math.round((bytes / 1024 ** 3) * 10) / 10;

export function describeMachine(database: string): Machine {
  return {
    cpuModel: cpuModel(),
    processors: availableParallelism(),
    memoryTotalGiB: gib(totalmem()),
    memoryFreeGiB: gib(freemem()),
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    node: process.version,
    database,
  };
}
