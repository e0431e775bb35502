import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the server's CPU time went,
 * by function (self time) and by area — a package in node_modules, a folder of Tollbooth's
 * src/, or Node's internals — both self and inclusive (time with the area anywhere on the
 * stack, counted once per sample). Run on its own: `node dist/bench/profile-summary.js FILE`.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock `process.hrtime` reads. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Only samples inside this window count (e.g. the timed rounds, leaving out start-up). */
export interface SampleWindow {
  fromMicros: number;
  toMicros: number;
}

export interface Share {
  name: string;
  ms: number;
  percentOfBusy: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  topFunctions: Share[];
  selfByArea: Share[];
  inclusiveByArea: Share[];
  /** Responses the process gave inside the window, when known: busy time per request. */
  requests?: number;
  busyMicrosPerRequest?: number;
}

/**
 * `…/node_modules/@scope/pkg/…` → `@scope/pkg`; `…/dist/src/oauth/…` → `src/oauth`;
 * `…/packages/verifier/dist/…` (a workspace package, reached through its real path) → `packages/verifier`.
 */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (module) return module[1]!;
  const workspacePackage = /\/(packages\/[^/]+)\/dist\//.exec(url);
  if (workspacePackage) return workspacePackage[1]!;
  const own = /\/dist\/((?:src|examples|bench)\/[^/]+)/.exec(url);
  if (own) return own[1]!.replace(/\.js$/, '');
  if (url.startsWith('node:'))
    return url
      .replace(/^node:(internal\/)?/, 'node:')
      .split('/')
      .slice(0, 2)
      .join('/');
  return url;
}

function shares(times: Map<string, number>, busyMs: number, limit: number): Share[] {
  return [...times]
    .sort((left, right) => right[1] - left[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), percentOfBusy: Math.round((ms / busyMs) * 1000) / 10 }));
}

export function summariseProfile(path: string, window?: SampleWindow, limit = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  const byFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  const inclusiveByArea = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  let at = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    at += profile.timeDeltas[index] ?? 0;
    if (window && (at < window.fromMicros || at > window.toMicros)) return;
    totalMs += ms;
    const node = nodes.get(nodeId)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    const area = areaOf(url, functionName);
    const where = url ? `${areaOf(url, functionName)} ${url.split('/').pop()}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parents.get(id)) {
      const frame = nodes.get(id)!.callFrame;
      if (frame.functionName === '(root)') continue;
      seen.add(areaOf(frame.url, frame.functionName));
    }
    for (const name of seen) inclusiveByArea.set(name, (inclusiveByArea.get(name) ?? 0) + ms);
  });
  const busyMs = totalMs - idleMs;
  return {
    totalMs: Math.round(totalMs),
    idleMs: Math.round(idleMs),
    busyMs: Math.round(busyMs),
    topFunctions: shares(byFunction, busyMs, limit),
    selfByArea: shares(selfByArea, busyMs, limit),
    inclusiveByArea: shares(inclusiveByArea, busyMs, limit),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const list = (title: string, items: Share[]) =>
    [
      title,
      ...items.map((item) => `  ${item.percentOfBusy.toFixed(1).padStart(5)}%  ${String(item.ms).padStart(7)} ms  ${item.name}`),
    ].join('\n');
  return [
    `${summary.totalMs} ms sampled, ${summary.busyMs} ms busy, ${summary.idleMs} ms idle (percentages are of busy time)` +
      (summary.busyMicrosPerRequest === undefined
        ? ''
        : `; ${summary.requests} responses, ${summary.busyMicrosPerRequest} µs busy per response`),
    list('Self time by function:', summary.topFunctions),
    list('Self time by area:', summary.selfByArea),
    list('Inclusive time by area (area anywhere on the stack):', summary.inclusiveByArea),
  ].join('\n\n');
}

if (process.argv[1]?.endsWith('profile-summary.js') && process.argv[2]) {
  console.log(formatProfile(summariseProfile(process.argv[2])));
}
