import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Each server under test runs in its own child process, so its RSS is its own and the load
 * generator (this process) never shares its event loop.
 */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Resident memory now and at its peak, in MiB, from /proc/<pid>/status. */
  memory(): { rssMiB: number; peakRssMiB: number };
  /** CPU time the process (all its threads) has used so far, in seconds, from /proc/<pid>/stat. */
  cpuSeconds(): number;
  /**
   * The part of it spent by the main thread, the one running the event loop (/proc/<pid>/task/<pid>/stat):
   * a Node server's throughput is bounded by this thread, whatever the thread pool and V8's
   * helper threads (GC, compilation, signatures) do beside it.
   */
  eventLoopCpuSeconds(): number;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** What to run: `node` itself by default. */
  command?: string;
  /** Arguments to the command (for `node`: flags, script, script arguments). */
  args: string[];
  env: Record<string, string>;
  port: number;
  /** A path answering 2xx–4xx once the server is ready. */
  readyPath: string;
  readyTimeoutMs?: number;
}

function readStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** Linux reports utime/stime in USER_HZ ticks, 100 a second on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

function readCpuSeconds(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function waitForReady(child: ChildProcess, url: string, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready at ${url} within ${timeoutMs} ms:\n${output()}`);
}

export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const child = spawn(options.command ?? process.execPath, options.args, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Keep the last few KB of output for error messages; servers run with quiet logs.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;

  try {
    await waitForReady(child, `${url}${options.readyPath}`, options.readyTimeoutMs ?? 60_000, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${options.name}: ${(error as Error).message}`, { cause: error });
  }

  return {
    name: options.name,
    pid: child.pid!,
    url,
    cpuSeconds: () => readCpuSeconds(`/proc/${child.pid!}/stat`),
    eventLoopCpuSeconds: () => readCpuSeconds(`/proc/${child.pid!}/task/${child.pid!}/stat`),
    memory: () => ({ rssMiB: readStatusMiB(child.pid!, 'VmRSS'), peakRssMiB: readStatusMiB(child.pid!, 'VmHWM') }),
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
