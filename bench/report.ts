import type { Round } from './load.js';
import type { TokenWrites } from './database.js';

export interface TargetSummary {
  key: string;
  label: string;
  rounds: Round[];
  /** Medians over the timed rounds: the machine is shared and noisy, so no means. */
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** Median server CPU time per response, µs (null when it could not be read). */
  cpuMicrosPerResponse: number | null;
  /** Median CPU time per response of the server's event-loop thread alone, µs. */
  eventLoopMicrosPerResponse: number | null;
  /** MiB, read from /proc/<pid>/status after the last round (VmRSS), and the process's peak (VmHWM). */
  rssMiB: number | null;
  peakRssMiB: number | null;
  server: string;
}

export interface Check {
  name: string;
  target: string;
  actual: number | null;
  pass: boolean | null;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of a measurement every round has; null when any round could not read it. */
function medianOf(rounds: Round[], value: (round: Round) => number | null | undefined): number | null {
  const values = rounds.map(value);
  return values.every((entry) => typeof entry === 'number') ? median(values as number[]) : null;
}

export function summarise(
  target: { key: string; label: string },
  rounds: Round[],
  server: string,
  memory: { rssMiB: number; peakRssMiB: number } | null,
): TargetSummary {
  return {
    key: target.key,
    label: target.label,
    rounds,
    requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
    p50: median(rounds.map((round) => round.p50)),
    p99: median(rounds.map((round) => round.p99)),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    cpuMicrosPerResponse: medianOf(rounds, (round) => round.cpuMicrosPerResponse),
    eventLoopMicrosPerResponse: medianOf(rounds, (round) => round.eventLoopMicrosPerResponse),
    rssMiB: memory?.rssMiB ?? null,
    peakRssMiB: memory?.peakRssMiB ?? null,
    server,
  };
}

const PAIRS = [
  ['a', 'd'],
  ['b', 'd'],
  ['c', 'e'],
  // The exchange with --tokens N stored, over the same exchange with 40.
  ['aN', 'a'],
] as const;

function pairwise(summaries: TargetSummary[], ratio: (top: TargetSummary, bottom: TargetSummary) => number | null): Record<string, number> {
  const find = (key: string) => summaries.find((summary) => summary.key === key);
  const result: Record<string, number> = {};
  for (const [top, bottom] of PAIRS) {
    const [numerator, denominator] = [find(top), find(bottom)];
    const value = numerator && denominator ? ratio(numerator, denominator) : null;
    if (value !== null && Number.isFinite(value)) result[`${top}/${bottom}`] = value;
  }
  return result;
}

/** The throughput ratios the issue asks for (median req/s over median req/s), when both sides ran. */
export function ratios(summaries: TargetSummary[]): Record<string, number> {
  return pairwise(summaries, (top, bottom) => top.requestsPerSecond / bottom.requestsPerSecond);
}

/**
 * The same comparison by CPU cost: the baseline's CPU per response over ours. On a machine
 * shared with other work this is steadier than throughput, which follows whoever gets the cores.
 */
export function cpuRatios(summaries: TargetSummary[]): Record<string, number> {
  return pairwise(summaries, (top, bottom) =>
    top.cpuMicrosPerResponse && bottom.cpuMicrosPerResponse ? bottom.cpuMicrosPerResponse / top.cpuMicrosPerResponse : null,
  );
}

/**
 * The same again for the event loop's thread alone: the one thread a Node server cannot add
 * more of, so the comparison that bounds throughput on a machine with cores to spare.
 */
export function eventLoopRatios(summaries: TargetSummary[]): Record<string, number> {
  return pairwise(summaries, (top, bottom) =>
    top.eventLoopMicrosPerResponse && bottom.eventLoopMicrosPerResponse
      ? bottom.eventLoopMicrosPerResponse / top.eventLoopMicrosPerResponse
      : null,
  );
}

/** What the run measured besides the main rounds, for the checks that need it. */
export interface ExtraMeasurements {
  cpuRatios?: Record<string, number>;
  /** (a) and (d) again under heavier concurrency. */
  wide?: { connections: number; summaries: TargetSummary[] };
}

/** The benchmark's targets; a check whose inputs did not run is `pass: null`. */
export function checks(
  summaries: TargetSummary[],
  ratioValues: Record<string, number>,
  writes: { duringRun: TokenWrites; allowedPerToken: number } | null,
  extra: ExtraMeasurements = {},
): Check[] {
  const summary = (key: string) => summaries.find((entry) => entry.key === key);
  const atLeast = (value: number | undefined, bound: number) => (value === undefined ? null : value >= bound);
  const atMost = (value: number | null | undefined, bound: number) => (value === undefined || value === null ? null : value <= bound);
  // Resident memory after all the load, the heavier rounds included.
  const wideA = extra.wide?.summaries.find((entry) => entry.key === 'a');
  const rssValues = [summary('a')?.rssMiB ?? summary('b')?.rssMiB, wideA?.rssMiB].filter(
    (value): value is number => typeof value === 'number',
  );
  const tollboothRss = rssValues.length ? Math.max(...rssValues) : undefined;
  const cpu = extra.cpuRatios ?? {};
  const list: Check[] = [
    { name: 'a/d', target: '≥ 0.8', actual: ratioValues['a/d'] ?? null, pass: atLeast(ratioValues['a/d'], 0.8) },
    { name: 'b/d', target: '≥ 0.8', actual: ratioValues['b/d'] ?? null, pass: atLeast(ratioValues['b/d'], 0.8) },
    ...(extra.cpuRatios
      ? [
          { name: 'a/d by CPU per response', target: '≥ 0.9', actual: cpu['a/d'] ?? null, pass: atLeast(cpu['a/d'], 0.9) },
          { name: 'b/d by CPU per response', target: '≥ 0.9', actual: cpu['b/d'] ?? null, pass: atLeast(cpu['b/d'], 0.9) },
        ]
      : []),
    { name: 'c/e', target: '≥ 0.9', actual: ratioValues['c/e'] ?? null, pass: atLeast(ratioValues['c/e'], 0.9) },
    { name: 'p99 of (a), ms', target: '≤ 15', actual: summary('a')?.p99 ?? null, pass: atMost(summary('a')?.p99, 15) },
    { name: 'Tollbooth RSS after the run, MiB', target: '≤ 200', actual: tollboothRss ?? null, pass: atMost(tollboothRss, 200) },
    {
      name: 'most platform_tokens writes for one token',
      target: writes ? `≤ ${writes.allowedPerToken} (one per token per minute)` : 'one per token per minute',
      actual: writes?.duringRun.maxPerToken ?? null,
      pass: writes ? writes.duringRun.maxPerToken <= writes.allowedPerToken : null,
    },
  ];
  if (ratioValues['aN/a'] !== undefined) {
    list.push({
      name: 'a with --tokens N / a with 40',
      target: '≥ 0.9',
      actual: ratioValues['aN/a'],
      pass: atLeast(ratioValues['aN/a'], 0.9),
    });
  }
  if (extra.wide) {
    for (const entry of extra.wide.summaries) {
      list.push({
        name: `failures of (${entry.key}) at ${extra.wide.connections} connections`,
        target: '0',
        actual: entry.failures,
        pass: entry.failures === 0,
      });
    }
  }
  return list;
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));
const fixed = (value: number | null, digits = 1) => (value === null || Number.isNaN(value) ? '–' : value.toFixed(digits));

export function formatTable(summaries: TargetSummary[]): string {
  const header = ['', 'target', 'req/s (median)', 'p50 ms', 'p99 ms', 'CPU µs/resp', 'event loop µs', 'RSS MiB (peak)', 'failures'];
  const rows = summaries.map((summary) => [
    summary.key,
    summary.label,
    fixed(summary.requestsPerSecond, 0),
    fixed(summary.p50, 1),
    fixed(summary.p99, 1),
    fixed(summary.cpuMicrosPerResponse, 0),
    fixed(summary.eventLoopMicrosPerResponse, 0),
    `${fixed(summary.rssMiB, 0)} (${fixed(summary.peakRssMiB, 0)})`,
    String(summary.failures),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column]!, column >= 2)).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatChecks(list: Check[]): string {
  return list
    .map((check) => {
      const verdict = check.pass === null ? 'not run' : check.pass ? 'ok' : 'MISSED';
      const actual = check.actual === null ? '–' : Number.isInteger(check.actual) ? String(check.actual) : check.actual.toFixed(2);
      return `  ${pad(check.name, 42)} ${pad(actual, 8, true)}   target ${check.target}   ${verdict}`;
    })
    .join('\n');
}
