import autocannon, { type Request } from 'autocannon';

/** One thing the benchmark drives: a server and the requests each connection cycles through. */
export interface Target {
  /** Short key used in ratios: a, b, c, d, e. */
  key: string;
  label: string;
  url: string;
  requests: Request[];
}

/** What one timed round of one target measured. */
export interface Round {
  round: number;
  /** Successful (2xx) responses per second over the round. */
  requestsPerSecond: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  responses2xx: number;
  /** Non-2xx responses, connection errors and timeouts: any of these makes the round suspect. */
  failures: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
  /** The server's CPU time (all threads) per 2xx response: what a request costs, however busy the machine. */
  cpuMicrosPerResponse: number | null;
  /** The part of it on the server's main thread, which runs the event loop. */
  eventLoopMicrosPerResponse: number | null;
}

/** The server's CPU clocks, in seconds: all threads, and the event loop's thread alone. */
export interface CpuClock {
  total: () => number;
  eventLoop: () => number;
}

export interface LoadSettings {
  connections: number;
  seconds: number;
}

const perResponse = (seconds: number | undefined, responses: number) =>
  seconds !== undefined && responses > 0 ? Math.round((seconds * 1e6) / responses) : null;

/** Drives `target` for one round; `clock` reads the server's CPU clocks before and after. */
export async function runRound(target: Target, settings: LoadSettings, round: number, clock?: CpuClock): Promise<Round> {
  const cpuBefore = clock?.total();
  const eventLoopBefore = clock?.eventLoop();
  const result = await autocannon({
    url: target.url,
    connections: settings.connections,
    duration: settings.seconds,
    requests: target.requests,
    timeout: 10,
    title: target.label,
  });
  const cpuUsed = clock && cpuBefore !== undefined ? clock.total() - cpuBefore : undefined;
  const eventLoopUsed = clock && eventLoopBefore !== undefined ? clock.eventLoop() - eventLoopBefore : undefined;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  return {
    round,
    requestsPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    responses2xx: result['2xx'],
    failures: result.non2xx + result.errors + result.timeouts,
    statusCodes,
    durationSeconds: result.duration,
    cpuMicrosPerResponse: perResponse(cpuUsed, result['2xx']),
    eventLoopMicrosPerResponse: perResponse(eventLoopUsed, result['2xx']),
  };
}
