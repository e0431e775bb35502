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
}

export interface LoadSettings {
  connections: number;
  seconds: number;
}

/** Drives `target` for one round; `cpuSeconds` reads the server's CPU clock before and after. */
export async function runRound(target: Target, settings: LoadSettings, round: number, cpuSeconds?: () => number): Promise<Round> {
  const cpuBefore = cpuSeconds?.();
  const result = await autocannon({
    url: target.url,
    connections: settings.connections,
    duration: settings.seconds,
    requests: target.requests,
    timeout: 10,
    title: target.label,
  });
  const cpuUsed = cpuSeconds && cpuBefore !== undefined ? cpuSeconds() - cpuBefore : undefined;
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
    cpuMicrosPerResponse: cpuUsed !== undefined && result['2xx'] > 0 ? Math.round((cpuUsed * 1e6) / result['2xx']) : null,
  };
}
