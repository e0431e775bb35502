import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config/index.js';

const HEAP_MODULE = pathToFileURL(join(packageRoot(), 'dist', 'src', 'cli', 'heap.js')).href;

/**
 * A workload shaped like the server's under load, in a child Node under the `tollbooth`
 * command's cap: a steady live set, and objects that live long enough to be promoted and then
 * die, so old space keeps filling with garbage. Prints how many major collections it took.
 */
const WORKLOAD = `
import { PerformanceObserver, constants } from 'node:perf_hooks';
if (process.argv[1] === 'policy') (await import(${JSON.stringify(HEAP_MODULE)})).applyHeapPolicy();
let majors = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors += 1;
}).observe({ entryTypes: ['gc'] });
const live = Array.from({ length: 20_000 }, (_, i) => 'x'.repeat(1000) + i);
const ring = new Array(150_000);
for (let i = 0; i < 3_000_000; i += 1) ring[i % ring.length] = { i, pad: new Array(20).fill(i) };
await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write(String(live.length > 0 && ring.length > 0 ? majors : -1));
`;

function majorCollections(mode: 'default' | 'policy'): number {
  const result = spawnSync(process.execPath, ['--max-old-space-size=128', '--input-type=module', '-e', WORKLOAD, mode], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return Number(result.stdout);
}

describe('the server process heap policy', () => {
  it('lets old space grow further before a major collection, inside the same cap', () => {
    const withoutPolicy = majorCollections('default');
    const withPolicy = majorCollections('policy');
    expect(withoutPolicy).toBeGreaterThan(5);
    expect(withPolicy).toBeGreaterThan(0);
    // Growing to twice the survivors instead of ~1.3 times: about a third fewer collections for
    // the same garbage (24 against 16 on the development machine, quiet or with both cores
    // busy). The margin is for a machine running the whole suite at once, where the concurrent
    // marker falls behind; a flag without effect gives the same count both ways.
    expect(withPolicy).toBeLessThan(withoutPolicy * 0.9);
  }, 120_000);
});
