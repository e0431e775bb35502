/**
 * `npm run bench` (issue 7): Tollbooth's exchanges and the example API's verification,
 * side by side with a bare oidc-provider and a bare Koa route, in one run of alternating
 * rounds. Every server runs in its own process; this process is the load generator. Prints
 * a table, the ratios and the targets, and writes everything to bench/results.json.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../src/config/index.js';
import { bulkSeedTokens } from './bulk-seed.js';
import { createBenchDatabase, type BenchDatabase, type TokenWrites } from './database.js';
import { runRound, type Round, type Target } from './load.js';
import { describeMachine } from './machine.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { probeTarget } from './probe.js';
import { formatProfile, summariseProfile, type ProfileSummary } from './profile-summary.js';
import { checks, cpuRatios, eventLoopRatios, formatChecks, formatTable, ratios, summarise, type TargetSummary } from './report.js';
import type { ServerProcess } from './processes.js';
import {
  BASELINE_CLIENT,
  prepareTollbooth,
  startKoaBaseline,
  startOidcProviderBaseline,
  startProductApi,
  startTollbooth,
  tollboothEnvironment,
} from './servers.js';
import { clientCredentialsTarget, koaBaselineTarget, oidcProviderBaselineTarget, tokenExchangeTarget, whoamiTarget } from './targets.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Driven {
  target: Target;
  server: ServerProcess;
  rounds: Round[];
  memory: { rssMiB: number; peakRssMiB: number } | null;
}

async function drive(options: BenchOptions, driven: Driven[], connections = options.connections): Promise<void> {
  const settings = { connections };
  if (options.warmupSeconds > 0) {
    log(`warm-up: ${options.warmupSeconds} s per target`);
    for (const { target } of driven) await runRound(target, { ...settings, seconds: options.warmupSeconds }, 0);
  }
  for (let round = 1; round <= options.rounds; round += 1) {
    // Rotate the order each round so no target always runs first (or right after another).
    const order = driven.map((_, index) => driven[(index + round - 1) % driven.length]!);
    const line: string[] = [];
    for (const entry of order) {
      const result = await runRound(entry.target, { ...settings, seconds: options.seconds }, round, {
        total: () => entry.server.cpuSeconds(),
        eventLoop: () => entry.server.eventLoopCpuSeconds(),
      });
      entry.rounds.push(result);
      line.push(
        `${entry.target.key} ${result.requestsPerSecond.toFixed(0)}/s p99 ${result.p99.toFixed(1)}ms${result.failures ? ` (${result.failures} failed)` : ''}`,
      );
    }
    log(`round ${round}/${options.rounds}: ${line.join(' | ')}`);
  }
}

function newestProfile(directory: string, pid: number): string | undefined {
  const files = readdirSync(directory).filter((file) => file.endsWith('.cpuprofile') && file.includes(`.${pid}.`));
  return files
    .sort()
    .map((file) => join(directory, file))
    .pop();
}

async function main(): Promise<void> {
  const root = packageRoot();
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env, join(root, 'bench', 'results.json'));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(64);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const selected = new Set(options.only);
  const database = await createBenchDatabase(options.databaseUrl);
  const machine = describeMachine(database.serverVersion);
  log(
    `machine: ${machine.cpuModel}, ${machine.processors} CPUs, ${machine.memoryTotalGiB} GiB, load ${machine.loadAverage.join(' ')}; ${machine.node}; database ${machine.database}`,
  );
  const servers: ServerProcess[] = [];
  const environment = await tollboothEnvironment(database.url, options.logLevel);
  const profileDirectory = options.profile ? join(root, 'bench', 'profiles') : undefined;
  if (profileDirectory) mkdirSync(profileDirectory, { recursive: true });

  // --tokens N: a second database and Tollbooth, created in the try below.
  let large: { database: BenchDatabase; environment: Record<string, string>; server?: ServerProcess; target?: Target } | undefined;
  try {
    log(`seeding ${database.url} …`);
    const { config, tokens } = await prepareTollbooth(environment);
    const audience = config.services.get('strings')!.audience;
    const tollbooth = await startTollbooth(environment, profileDirectory);
    servers.push(tollbooth);
    await database.recordTokenWrites();
    const startedAt = Date.now();
    const updatesBefore = await database.globalUpdateStatements();

    // --tokens N: the same exchange against a second database holding N tokens, in the same rounds.
    if (options.tokens > tokens.length && selected.has('a')) {
      const database = await createBenchDatabase(`${options.databaseUrl}_large`);
      const environment = await tollboothEnvironment(database.url, options.logLevel);
      large = { database, environment };
      await prepareTollbooth(environment);
      const bulk = options.tokens - tokens.length;
      log(`bulk-inserting ${bulk} more tokens into ${database.name} …`);
      const insertStarted = Date.now();
      const sample = await bulkSeedTokens(database.url, config.services, bulk, log);
      log(`  done in ${((Date.now() - insertStarted) / 1000).toFixed(0)} s; the exchange cycles over ${sample.length} of them`);
      const server = await startTollbooth(environment, undefined, 'tollbooth-large');
      servers.push(server);
      large.server = server;
      large.target = tokenExchangeTarget(server.url, sample, 'aN', `Tollbooth: RFC 8693 exchange, ${options.tokens} tokens stored`);
    }

    const exchange = tokenExchangeTarget(tollbooth.url, tokens);
    const credentials = clientCredentialsTarget(tollbooth.url, tokens);
    // (c) and (e) send real JWTs for the example API's audience, one per `strings` token;
    // (e) ignores them, so without (a)/(c) a stand-in of the same size does.
    const jwts: string[] = [];
    if (selected.has('a') || selected.has('c')) {
      for (const [index, token] of tokens.entries()) {
        if (token.service === 'strings') jwts.push((await probeTarget(exchange, true, index))!);
      }
    } else {
      jwts.push(`${'x'.repeat(36)}.${'y'.repeat(560)}.${'z'.repeat(86)}`);
    }

    const driven: Driven[] = [];
    const add = (target: Target, server: ServerProcess) => driven.push({ target, server, rounds: [], memory: null });
    if (selected.has('a')) add(exchange, tollbooth);
    if (large?.target && large.server) add(large.target, large.server);
    if (selected.has('b')) add(credentials, tollbooth);
    if (selected.has('c')) {
      const productApi = await startProductApi(config.issuer, audience, profileDirectory);
      servers.push(productApi);
      add(whoamiTarget(productApi.url, jwts), productApi);
    }
    if (selected.has('d')) {
      const oidcProvider = await startOidcProviderBaseline(audience, profileDirectory);
      servers.push(oidcProvider);
      add(oidcProviderBaselineTarget(oidcProvider.url, BASELINE_CLIENT), oidcProvider);
    }
    if (selected.has('e')) {
      const koa = await startKoaBaseline();
      servers.push(koa);
      add(koaBaselineTarget(koa.url, jwts), koa);
    }
    for (const entry of driven) await probeTarget(entry.target, ['a', 'aN', 'b', 'd'].includes(entry.target.key));

    log(
      `driving ${driven.map((entry) => entry.target.key).join(', ')}: ${options.rounds} rounds × ${options.seconds} s, ${options.connections} connections`,
    );
    const micros = () => Number(process.hrtime.bigint() / 1000n);
    const window = { fromMicros: micros(), toMicros: 0 };
    await drive(options, driven);
    window.toMicros = micros();
    for (const entry of driven) entry.memory = entry.server.memory();

    // The same exchange and the bare provider under heavier concurrency: latency and errors.
    const wide: Driven[] = driven
      .filter((entry) => options.wideConnections > 0 && ['a', 'd'].includes(entry.target.key) && selected.has('d'))
      .map((entry) => ({ target: entry.target, server: entry.server, rounds: [], memory: null }));
    if (wide.length === 2) {
      log(`driving a, d again: ${options.rounds} rounds × ${options.seconds} s, ${options.wideConnections} connections`);
      await drive({ ...options, warmupSeconds: 0 }, wide, options.wideConnections);
      for (const entry of wide) entry.memory = entry.server.memory();
    }

    const elapsedSeconds = (Date.now() - startedAt) / 1000;
    const duringRun: TokenWrites = await database.countTokenWrites();
    const globalUpdates = (await database.globalUpdateStatements()) - updatesBefore;
    for (const server of servers) await server.stop();
    const afterShutdown = await database.countTokenWrites();
    const allowedPerToken = Math.floor(elapsedSeconds / 60) + 1;

    // Profiles cover the timed rounds only (start-up and warm-up JIT left out).
    const profiles: Record<string, ProfileSummary & { path: string }> = {};
    for (const server of profileDirectory
      ? servers.filter((entry) => ['tollbooth', 'product-api', 'oidc-provider'].includes(entry.name))
      : []) {
      const path = newestProfile(profileDirectory!, server.pid);
      if (!path) continue;
      const requests = driven
        .filter((entry) => entry.server === server)
        .reduce((sum, entry) => sum + entry.rounds.reduce((total, round) => total + round.responses2xx, 0), 0);
      const summary = summariseProfile(path, window);
      profiles[server.name] = {
        path,
        ...summary,
        requests,
        busyMicrosPerRequest: requests ? Math.round((summary.busyMs * 1000) / requests) : undefined,
      };
    }

    const summaries: TargetSummary[] = driven.map((entry) => summarise(entry.target, entry.rounds, entry.server.name, entry.memory));
    const ratioValues = ratios(summaries);
    const cpuRatioValues = cpuRatios(summaries);
    const eventLoopRatioValues = eventLoopRatios(summaries);
    const wideSummaries = wide.map((entry) => summarise(entry.target, entry.rounds, entry.server.name, entry.memory));
    const wideResult = wideSummaries.length ? { connections: options.wideConnections, summaries: wideSummaries } : undefined;
    const checkList = checks(summaries, ratioValues, { duringRun, allowedPerToken }, { cpuRatios: cpuRatioValues, wide: wideResult });

    console.log(`\n${formatTable(summaries)}\n`);
    if (wideResult) console.log(`at ${wideResult.connections} connections:\n${formatTable(wideSummaries)}\n`);
    const show = (values: Record<string, number>) =>
      Object.entries(values)
        .map(([name, value]) => `${name} = ${value.toFixed(2)}`)
        .join('   ') || '–';
    console.log(`ratios (req/s): ${show(ratioValues)}`);
    console.log(`ratios by CPU per response (baseline CPU / ours, contention-independent): ${show(cpuRatioValues)}`);
    console.log(`ratios by the event loop's CPU per response (its thread alone): ${show(eventLoopRatioValues)}`);
    console.log(
      `platform_tokens writes in ${elapsedSeconds.toFixed(0)} s of load: ${duringRun.rows} rows in ${duringRun.statements} UPDATE statements over ` +
        `${duringRun.distinctTokens} tokens, at most ${duringRun.maxPerToken} for one token ` +
        `(bound: at most one per token per minute = ${allowedPerToken} each, ${allowedPerToken * tokens.length} for ${tokens.length} tokens); ` +
        `${afterShutdown.rows - duringRun.rows} more flushed at shutdown; ` +
        `${duringRun.otherRows} other updates (a network recorded the first time a token was used from it)`,
    );
    console.log(`(server-wide Com_update during the run, other databases included: ${globalUpdates})`);
    console.log(`\ntargets (medians over ${options.rounds} rounds):\n${formatChecks(checkList)}`);
    for (const [name, profile] of Object.entries(profiles)) {
      console.log(`\nCPU profile of ${name} during the timed rounds (${profile.path}):\n${formatProfile(profile)}`);
    }

    const results = {
      generatedAt: new Date().toISOString(),
      machine,
      settings: { ...options, databaseUrl: undefined, output: undefined, tokens: tokens.length },
      targets: summaries,
      ratios: ratioValues,
      cpuRatios: cpuRatioValues,
      eventLoopRatios: eventLoopRatioValues,
      checks: checkList,
      wide: wideResult,
      tokenWrites: { elapsedSeconds, allowedPerToken, duringRun, afterShutdown, serverWideComUpdate: globalUpdates },
      profiles: options.profile ? profiles : undefined,
    };
    mkdirSync(dirname(options.output), { recursive: true });
    writeFileSync(options.output, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwrote ${options.output}`);
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    if (!options.keepDatabase) await database.drop();
    rmSync(environment.DATA_DIR!, { recursive: true, force: true });
    if (large?.database && !options.keepDatabase) await large.database.drop();
    if (large?.environment) rmSync(large.environment.DATA_DIR!, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
