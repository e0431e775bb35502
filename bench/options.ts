import { parseArgs } from 'node:util';

export const TARGET_KEYS = ['a', 'b', 'c', 'd', 'e'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];

export interface BenchOptions {
  databaseUrl: string;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  only: TargetKey[];
  /** Run Tollbooth under `node --cpu-prof` and summarise the profile. */
  profile: boolean;
  keepDatabase: boolean;
  /** Tollbooth's LOG_LEVEL: `warn` by default; `info` adds the per-request access line. */
  logLevel: string;
  /**
   * Platform tokens in a second database (bulk-inserted), served by a second Tollbooth that
   * runs the exchange beside (a) in the same rounds; 40 (the default) runs no second one.
   */
  tokens: number;
  /** Connections for the extra rounds of (a) and (d) under heavier concurrency; 0 skips them. */
  wideConnections: number;
  output: string;
}

export const USAGE = `Usage: npm run bench [-- options]

Starts Tollbooth (on DATABASE_URL, default mysql://root@127.0.0.1:3306/tollbooth_bench,
created and dropped by the run), the example product API and two baselines, each in its
own process, and drives them with autocannon in alternating rounds.

  --rounds N        timed rounds per target (default 5)
  --seconds S       length of a round (default 5)
  --warmup S        untimed warm-up per target before the rounds (default 3)
  --connections C   concurrent connections (default 10)
  --only a,b,…      targets to run: a token exchange, b client_credentials, c whoami,
                    d bare oidc-provider, e bare Koa (default all)
  --profile         run Tollbooth under node --cpu-prof and print where its time goes
  --keep-database   leave the benchmark database in place afterwards
  --log-level L     Tollbooth's LOG_LEVEL (default warn; info adds one access-log line per request)
  --tokens N        also run the exchange against a second database holding N tokens
                    (bulk-inserted), beside (a) in the same rounds (default 40: not run)
  --wide C          then drive (a) and (d) again with C connections (default 100; 0 skips)
  --output FILE     where to write the JSON results (default bench/results.json)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return number;
}

/** The benchmark is a script, not the server: reading the environment here is its entry point. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv, defaultOutput: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean' },
      'keep-database': { type: 'boolean' },
      'log-level': { type: 'string' },
      tokens: { type: 'string' },
      wide: { type: 'string' },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const only = (values.only ?? TARGET_KEYS.join(',')).split(',').map((key) => key.trim());
  for (const key of only) {
    if (!(TARGET_KEYS as readonly string[]).includes(key))
      throw new Error(`--only: unknown target '${key}' (use ${TARGET_KEYS.join(', ')})`);
  }
  return {
    databaseUrl: env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/tollbooth_bench',
    rounds: Math.round(positive('rounds', values.rounds, 5)),
    seconds: positive('seconds', values.seconds, 5),
    warmupSeconds: values.warmup === '0' ? 0 : positive('warmup', values.warmup, 3),
    connections: Math.round(positive('connections', values.connections, 10)),
    only: only as TargetKey[],
    profile: Boolean(values.profile),
    keepDatabase: Boolean(values['keep-database']),
    logLevel: values['log-level'] ?? 'warn',
    tokens: Math.round(positive('tokens', values.tokens, 40)),
    wideConnections: values.wide === '0' ? 0 : Math.round(positive('wide', values.wide, 100)),
    output: values.output ?? defaultOutput,
  };
}
