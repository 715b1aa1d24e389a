import { describe, expect, test } from 'vitest';
import { createEventStream } from './eventStream';
import { createMemoryRunLog } from './runLog';
import { readStream, testEntry } from './testing';

describe('the memory run log', () => {
  test('keeps every entry when no bound is given', async () => {
    const log = createMemoryRunLog();
    for (let seq = 1; seq <= 3_000; seq++) await log.append(testEntry(seq));
    expect(await log.firstSeq()).toBe(1);
    expect(await log.readAfter(0)).toHaveLength(3_000);
  });

  test('with maxLen, drops the oldest entries once it holds more than maxLen and a little', async () => {
    const log = createMemoryRunLog({ maxLen: 100 });
    for (let seq = 1; seq <= 1_000; seq++) await log.append(testEntry(seq));
    const kept = await log.readAfter(0);
    expect(kept.length).toBeGreaterThanOrEqual(100);
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept.at(-1)!.envelope.seq).toBe(1_000);
    expect(await log.firstSeq()).toBe(kept[0]!.envelope.seq);
  });

  test('reads after a seq, and at most `limit` entries', async () => {
    const log = createMemoryRunLog({ maxLen: 100 });
    for (let seq = 1; seq <= 1_000; seq++) await log.append(testEntry(seq));
    expect((await log.readAfter(950, 10)).map((e) => e.envelope.seq)).toEqual([951, 952, 953, 954, 955, 956, 957, 958, 959, 960]);
    expect((await log.readAfter(0, 3))[0]!.envelope.seq).toBe(await log.firstSeq());
  });

  test('a reader from Last-Event-ID 0 of a trimmed log is told of the gap, then gets what is kept', async () => {
    const log = createMemoryRunLog({ maxLen: 50 });
    for (let seq = 1; seq <= 499; seq++) await log.append(testEntry(seq));
    await log.append(testEntry(500, 'gen.done'));
    const first = await log.firstSeq();

    const { envelopes } = await readStream(createEventStream({ log, afterSeq: 0, heartbeatMs: 60_000, maxLifetimeMs: 60_000 }));

    expect(envelopes[0]).toMatchObject({ type: 'status', seq: first - 1, data: { state: 'info', code: 'log_gap' } });
    expect(envelopes.slice(1).map((e) => e.seq)).toEqual(Array.from({ length: 500 - first + 1 }, (_, i) => first + i));
  });
});
