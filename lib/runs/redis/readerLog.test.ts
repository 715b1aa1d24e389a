// The reader log against a real redis-server: replay and live delivery on an instance that does
// not produce the run, with a writer appending as fast as it can.
import { afterEach, describe, expect, test } from 'vitest';
import type { EventEnvelope } from '../../protocol/envelope';
import { formatEnvelope } from '../../protocol/sse';
import { createRedisConnection } from '../../redis/connection';
import { createEventStream } from '../eventStream';
import { readStream, testEntry as entry, testEnvelope as envelope } from '../testing';
import { backendKeys } from './keys';
import { createLiveChannels } from './liveChannels';
import { createRedisReaderLog } from './readerLog';
import { registerRun } from './runMeta';
import { freshPrefix, hasRedis, useRedisServer } from './testing';
import { createRedisWriterLog } from './writerLog';

const server = useRedisServer();
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const stream = { heartbeatMs: 60_000, maxLifetimeMs: 60_000 };

/** A writer on one set of connections and a reader on another, as on two instances. */
async function writerAndReader({ maxLen = 1_000, stallMs = 10_000 }: { maxLen?: number; stallMs?: number } = {}) {
  const url = server.current().url;
  const writerRedis = createRedisConnection(url, 'commands');
  const readerRedis = createRedisConnection(url, 'commands');
  const subscriber = createRedisConnection(url, 'subscriber');
  const live = createLiveChannels(subscriber, { stallMs });
  const keys = backendKeys(freshPrefix()).run('run-1');
  const meta = { id: 'run-1', kind: 'test', ownerId: null, createdAt: 1, instance: 'a' };
  await registerRun(writerRedis, { meta, keys, leaseMs: 5_000, runningTtlMs: 120_000 });
  const writer = createRedisWriterLog({ redis: writerRedis, keys, meta, maxLen, leaseMs: 5_000, retentionMs: 30_000, runningTtlMs: 120_000 });
  const reader = createRedisReaderLog({ redis: readerRedis, live, keys });
  cleanups.push(
    () => writerRedis.disconnect(),
    () => readerRedis.disconnect(),
    () => live.close(),
    () => writer.dispose(),
    () => reader.dispose(),
  );
  return { writer, reader, keys, readerRedis, subscriber };
}

const seqsOf = (envelopes: EventEnvelope[]) => envelopes.map((e) => e.seq);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.skipIf(!hasRedis)('redis reader log', () => {
  test('replays a finished run with XRANGE, frame for frame as the producer framed it', async () => {
    const { writer, reader } = await writerAndReader();
    for (let seq = 1; seq <= 5; seq++) await writer.append(entry(seq));
    await writer.append(entry(6, 'gen.done'));

    const replay = await reader.readAfter(2);

    expect(replay.map((e) => e.frame)).toEqual([3, 4, 5].map((seq) => formatEnvelope(envelope(seq))).concat(formatEnvelope(envelope(6, 'gen.done'))));
  });

  test('readers joining at random moments of a fast run each get every seq once, in order', async () => {
    const { writer, reader } = await writerAndReader();
    const total = 600;
    const readers: Promise<{ envelopes: EventEnvelope[] }>[] = [];
    for (let seq = 1; seq <= total; seq++) {
      void writer.append(entry(seq));
      if (seq % 75 === 0) readers.push(readStream(createEventStream({ log: reader, afterSeq: 0, ...stream })));
      if (seq % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.append(entry(total + 1, 'gen.done'));

    for (const { envelopes } of await Promise.all(readers)) expect(seqsOf(envelopes)).toEqual(oneTo(total + 1));
  });

  test('a reader whose pub/sub connection was cut reads what it missed from the stream', async () => {
    const { writer, reader, readerRedis } = await writerAndReader();
    await writer.append(entry(1));
    const reading = readStream(createEventStream({ log: reader, afterSeq: 0, ...stream }));
    await new Promise((resolve) => setTimeout(resolve, 50));

    await readerRedis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    for (let seq = 2; seq <= 30; seq++) await writer.append(entry(seq));
    await writer.append(entry(31, 'gen.done'));

    expect(seqsOf((await reading).envelopes)).toEqual(oneTo(31));
  });

  test('resuming before the oldest entry kept opens with a log_gap status, then goes on without a hole', async () => {
    const { writer, reader } = await writerAndReader({ maxLen: 10 });
    for (let seq = 1; seq <= 300; seq++) void writer.append(entry(seq));
    await writer.append(entry(301, 'gen.done'));
    const first = await reader.firstSeq();
    expect(first).toBeGreaterThan(2);

    const { envelopes } = await readStream(createEventStream({ log: reader, afterSeq: 1, ...stream }));

    expect(envelopes[0]).toMatchObject({ type: 'status', seq: first - 1, corrId: 'run-1', data: { state: 'info', code: 'log_gap' } });
    expect(seqsOf(envelopes.slice(1))).toEqual(Array.from({ length: 301 - first + 1 }, (_, i) => first + i));
  });

  test('a reader is ended, without a terminal, when Redis stays unreachable past the stall bound', async () => {
    const { writer, reader } = await writerAndReader({ stallMs: 300 });
    await writer.append(entry(1));
    const reading = readStream(createEventStream({ log: reader, afterSeq: 0, ...stream }));
    await new Promise((resolve) => setTimeout(resolve, 50));

    await server.current().kill();
    try {
      const { envelopes } = await reading;
      expect(seqsOf(envelopes)).toEqual([1]);
    } finally {
      await server.current().start();
    }
  });
});
