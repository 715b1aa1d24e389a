import { afterEach, describe, expect, test } from 'vitest';
import { formatEnvelope } from '../protocol/sse';
import type { EventEnvelope } from '../protocol/envelope';
import { createEventStream } from './eventStream';
import { createMemoryRunLog, type RunLog } from './runLog';
import { readStream, sleep } from './testing';

function token(seq: number): EventEnvelope {
  return { v: '1', id: `e${seq}`, type: 'gen.token', seq, ts: 1, corrId: 'r', data: { token: `t${seq}`, index: seq - 1 } };
}
function done(seq: number): EventEnvelope {
  return { v: '1', id: `e${seq}`, type: 'gen.done', seq, ts: 1, corrId: 'r', data: { finishReason: 'stop' } };
}
async function append(log: RunLog, envelope: EventEnvelope) {
  await log.append({ envelope, frame: formatEnvelope(envelope) });
}
const defaults = { heartbeatMs: 60_000, maxLifetimeMs: 60_000 };
const closes: string[] = [];
afterEach(() => void (closes.length = 0));

describe('event stream', () => {
  test('replays a finished log byte for byte and ends after the terminal', async () => {
    const log = createMemoryRunLog();
    for (let seq = 1; seq <= 3; seq++) await append(log, token(seq));
    await append(log, done(4));
    const { text } = await readStream(createEventStream({ log, afterSeq: 0, ...defaults }));
    expect(text).toBe([token(1), token(2), token(3), done(4)].map(formatEnvelope).join(''));
  });

  test('starts after Last-Event-ID', async () => {
    const log = createMemoryRunLog();
    for (let seq = 1; seq <= 7; seq++) await append(log, token(seq));
    await append(log, done(8));
    const { envelopes } = await readStream(createEventStream({ log, afterSeq: 5, ...defaults }));
    expect(envelopes.map((e) => e.seq)).toEqual([6, 7, 8]);
  });

  test('replays what exists, then follows live appends without a gap or duplicate', async () => {
    const log = createMemoryRunLog();
    await append(log, token(1));
    await append(log, token(2));
    const reading = readStream(createEventStream({ log, afterSeq: 0, ...defaults }));
    await sleep(5);
    for (let seq = 3; seq <= 10; seq++) await append(log, token(seq));
    await append(log, done(11));
    const { envelopes } = await reading;
    expect(envelopes.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('an entry appended while the replay is being read is sent once, in order', async () => {
    const inner = createMemoryRunLog();
    await append(inner, token(1));
    // A log whose replay resolves only after a live append has happened.
    const slowLog: RunLog = {
      ...inner,
      subscribe: inner.subscribe,
      async readAfter(afterSeq) {
        const entries = await inner.readAfter(afterSeq);
        await append(inner, token(2));
        await sleep(5);
        return [...entries, ...(await inner.readAfter(1))];
      },
    };
    const reading = readStream(createEventStream({ log: slowLog, afterSeq: 0, ...defaults }));
    await sleep(20);
    await append(inner, done(3));
    const { envelopes } = await reading;
    expect(envelopes.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  test('sends heartbeat comments while the run is quiet', async () => {
    const log = createMemoryRunLog();
    const reading = readStream(createEventStream({ log, afterSeq: 0, heartbeatMs: 10, maxLifetimeMs: 60_000 }));
    await sleep(45);
    await append(log, done(1));
    const { text } = await reading;
    expect(text).toMatch(/^(: ping \d+\n\n){2,}id: 1\n/);
  });

  test('ends without a terminal after the maximum lifetime so the client resumes', async () => {
    const log = createMemoryRunLog();
    await append(log, token(1));
    const { envelopes } = await readStream(
      createEventStream({ log, afterSeq: 0, heartbeatMs: 60_000, maxLifetimeMs: 20, onClose: (why) => closes.push(why) }),
    );
    expect(envelopes.map((e) => e.seq)).toEqual([1]);
    expect(closes).toEqual(['lifetime']);
  });

  test('stops following the log when the client cancels', async () => {
    const log = createMemoryRunLog();
    const stream = createEventStream({ log, afterSeq: 0, ...defaults, onClose: (why) => closes.push(why) });
    const reader = stream.getReader();
    await append(log, token(1));
    await reader.read();
    await reader.cancel();
    expect(closes).toEqual(['client']);
  });

  test('frames appended in one tick leave as one chunk', async () => {
    const log = createMemoryRunLog();
    const stream = createEventStream({ log, afterSeq: 0, ...defaults });
    const reader = stream.getReader();
    await sleep(1);
    for (let seq = 1; seq <= 50; seq++) void append(log, token(seq));
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value).match(/^id: /gm)).toHaveLength(50);
    await reader.cancel();
  });

  test('a jump in seq is announced with a log_gap status before the entry after it', async () => {
    const log = createMemoryRunLog();
    // A log that no longer holds seqs 1 to 4 (as a trimmed Redis stream).
    const trimmed: RunLog = { ...log, readAfter: async () => [token(5), done(6)].map((envelope) => ({ envelope, frame: formatEnvelope(envelope) })) };

    const { envelopes } = await readStream(createEventStream({ log: trimmed, afterSeq: 1, ...defaults }));

    expect(envelopes.map((e) => [e.type, e.seq])).toEqual([
      ['status', 4],
      ['gen.token', 5],
      ['gen.done', 6],
    ]);
    expect(envelopes[0]).toMatchObject({ corrId: 'r', data: { state: 'info', code: 'log_gap', message: expect.stringContaining('2 to 4') } });
  });

  test('a reader that has everything before the jump is told nothing', async () => {
    const log = createMemoryRunLog();
    for (let seq = 1; seq <= 3; seq++) await append(log, token(seq));
    await append(log, done(4));

    const { envelopes } = await readStream(createEventStream({ log, afterSeq: 2, ...defaults }));

    expect(envelopes.map((e) => e.type)).toEqual(['gen.token', 'gen.done']);
  });

  test('ends without a terminal, after sending what it has, when the log says live delivery broke off', async () => {
    const log = createMemoryRunLog();
    let breakOff: ((error: Error) => void) | undefined;
    const breakable: RunLog = {
      ...log,
      subscribe: (listener, onBroken) => {
        breakOff = onBroken;
        return log.subscribe(listener);
      },
    };
    await append(log, token(1));
    const reading = readStream(createEventStream({ log: breakable, afterSeq: 0, ...defaults, onClose: (why) => closes.push(why) }));
    await sleep(5);
    await append(log, token(2));

    breakOff?.(new Error('Redis unreachable'));

    expect((await reading).envelopes.map((e) => e.seq)).toEqual([1, 2]);
    expect(closes).toEqual(['error']);
  });

  test('a client that stops reading is cut off once its buffer is full, not buffered forever', async () => {
    const log = createMemoryRunLog();
    const stream = createEventStream({ log, afterSeq: 0, ...defaults, maxBufferedBytes: 4096, onClose: (why) => closes.push(why) });
    stream.getReader(); // never reads
    for (let seq = 1; seq <= 2000; seq++) {
      await append(log, token(seq));
      if (seq % 100 === 0) await sleep(1);
    }
    expect(closes).toEqual(['backpressure']);
  });
});

describe('replays of a long log', () => {
  const LONG = 20_000;

  /** A finished log of LONG entries, and a view of it that counts the entries its replays have been handed. */
  async function countedLongLog() {
    const inner = createMemoryRunLog();
    for (let seq = 1; seq < LONG; seq++) await append(inner, token(seq));
    await append(inner, done(LONG));
    const counter = { handedOut: 0 };
    const log: RunLog = {
      ...inner,
      subscribe: inner.subscribe,
      async readAfter(afterSeq, limit) {
        const entries = await inner.readAfter(afterSeq, limit);
        counter.handedOut += entries.length;
        return entries;
      },
    };
    return { log, counter };
  }

  /** Waits until the replays stop reading (each waits for its client). */
  async function untilQuiet(counter: { handedOut: number }) {
    let last = -1;
    while (counter.handedOut !== last) {
      last = counter.handedOut;
      await sleep(10);
    }
  }

  test('fifty replays from Last-Event-ID 0 whose clients read nothing hold a piece of the log each, not the log', async () => {
    const { log, counter } = await countedLongLog();
    const streams = Array.from({ length: 50 }, () => createEventStream({ log, afterSeq: 0, ...defaults }));

    await untilQuiet(counter);

    // Each holds what fills its queue to the high-water mark (64 KiB), about 500 entries of 20,000.
    expect(counter.handedOut).toBeLessThanOrEqual(50 * 1_000);
    await Promise.all(streams.map((stream) => stream.cancel()));
  });

  test('a replay read to its end gets every entry once, in order, and reads on only as its client takes them', async () => {
    const { log, counter } = await countedLongLog();
    const stream = createEventStream({ log, afterSeq: 0, ...defaults, replayChunk: 100 });
    await untilQuiet(counter);
    const before = counter.handedOut;
    expect(before).toBeLessThan(LONG);

    const { envelopes } = await readStream(stream);

    expect(envelopes.map((e) => e.seq)).toEqual(Array.from({ length: LONG }, (_, i) => i + 1));
    expect(counter.handedOut).toBe(LONG);
  });

  test('live entries appended during a long replay are all delivered, once and in order', async () => {
    const log = createMemoryRunLog();
    for (let seq = 1; seq <= 2_000; seq++) await append(log, token(seq));
    const reading = readStream(createEventStream({ log, afterSeq: 0, ...defaults, replayChunk: 50 }));
    for (let seq = 2_001; seq < 3_000; seq++) await append(log, token(seq));
    await append(log, done(3_000));

    const { envelopes } = await reading;

    expect(envelopes.map((e) => e.seq)).toEqual(Array.from({ length: 3_000 }, (_, i) => i + 1));
  });
});
