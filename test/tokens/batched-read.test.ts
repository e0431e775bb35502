import { describe, expect, it } from 'vitest';
import { BatchedRead } from '../../src/tokens/batched-read.js';

interface Row {
  key: string;
  value: number;
}

/** A fake query: records each call's keys and settles only when the test says so. */
function controlledQuery() {
  const calls: { keys: string[]; settle: (rows: Row[]) => void; fail: (error: unknown) => void }[] = [];
  const readMany = (keys: string[]) =>
    new Promise<Row[]>((resolve, reject) => {
      calls.push({ keys, settle: resolve, fail: reject });
    });
  return { calls, readMany };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function reader(query: ReturnType<typeof controlledQuery>, overrides: { maxKeys?: number; releaseSlotAfterMs?: number } = {}) {
  return new BatchedRead<Row>({
    readMany: query.readMany,
    keysOf: (row) => [row.key],
    maxInFlight: 1,
    maxKeys: overrides.maxKeys ?? 100,
    releaseSlotAfterMs: overrides.releaseSlotAfterMs ?? 60_000,
  });
}

describe('BatchedRead', () => {
  it('sends a lone caller at once, and callers arriving during that read in the next one, only after it settled', async () => {
    const query = controlledQuery();
    const batched = reader(query);
    const first = batched.read('a');
    expect(query.calls.map((call) => call.keys)).toEqual([['a']]);

    // These arrive while the first read is in flight: they must not be answered by it.
    const second = batched.read('b');
    const third = batched.read('c');
    const again = batched.read('b');
    await tick();
    expect(query.calls).toHaveLength(1);

    query.calls[0]!.settle([{ key: 'a', value: 1 }]);
    expect(await first).toEqual({ key: 'a', value: 1 });
    expect(query.calls.map((call) => call.keys)).toEqual([['a'], ['b', 'c']]);

    query.calls[1]!.settle([{ key: 'b', value: 2 }]);
    expect(await second).toEqual({ key: 'b', value: 2 });
    expect(await again).toEqual({ key: 'b', value: 2 });
    expect(await third).toBeUndefined();
  });

  it('a key asked again after its read was sent waits for a fresh read', async () => {
    const query = controlledQuery();
    const batched = reader(query);
    const before = batched.read('a');
    const after = batched.read('a');
    query.calls[0]!.settle([{ key: 'a', value: 1 }]);
    expect(await before).toEqual({ key: 'a', value: 1 });
    expect(query.calls.map((call) => call.keys)).toEqual([['a'], ['a']]);
    // The row changed between the two reads: the later caller sees the change.
    query.calls[1]!.settle([]);
    expect(await after).toBeUndefined();
  });

  it('rejects every caller of a failed read, and the next read still runs', async () => {
    const query = controlledQuery();
    const batched = reader(query);
    const first = batched.read('a');
    const joined = [batched.read('b'), batched.read('c')];
    query.calls[0]!.settle([]);
    await first;
    query.calls[1]!.fail(new Error('connection lost'));
    for (const caller of joined) await expect(caller).rejects.toThrow('connection lost');
    const later = batched.read('d');
    query.calls[2]!.settle([{ key: 'd', value: 4 }]);
    expect(await later).toEqual({ key: 'd', value: 4 });
  });

  it('puts at most maxKeys keys in one read', async () => {
    const query = controlledQuery();
    const batched = reader(query, { maxKeys: 2 });
    const callers = ['a', 'b', 'c', 'd', 'e'].map((key) => batched.read(key));
    for (let index = 0; index < 3; index += 1) {
      await tick();
      query.calls[index]!.settle(query.calls[index]!.keys.map((key) => ({ key, value: 0 })));
    }
    expect(query.calls.map((call) => call.keys)).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    expect((await Promise.all(callers)).map((row) => row?.key)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('lets a read that never answers hold up later callers only until releaseSlotAfterMs', async () => {
    const query = controlledQuery();
    const batched = reader(query, { releaseSlotAfterMs: 50 });
    void batched.read('stuck');
    const later = batched.read('b');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(query.calls.map((call) => call.keys)).toEqual([['stuck'], ['b']]);
    query.calls[1]!.settle([{ key: 'b', value: 2 }]);
    expect(await later).toEqual({ key: 'b', value: 2 });
  });
});
