// The appends of many runs in one turn share one Redis round trip, on a real redis-server.
import { afterEach, describe, expect, test } from 'vitest';
import { createRedisConnection } from '../../redis/connection';
import type { RunLog } from '../runLog';
import { testEntry as entry } from '../testing';
import { MAX_ENTRIES_PER_CALL } from './appendBatch';
import { backendKeys } from './keys';
import { registerRun } from './runMeta';
import { freshPrefix, hasRedis, useRedisServer } from './testing';
import { createRedisWriterLog } from './writerLog';

const server = useRedisServer();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `count` writer logs of runs on one connection, as one instance has them. */
async function writers(count: number) {
  const redis = createRedisConnection(server.current().url, 'commands');
  const backend = backendKeys(freshPrefix());
  const logs: { keys: ReturnType<typeof backend.run>; log: RunLog }[] = [];
  for (let i = 0; i < count; i++) {
    const keys = backend.run(`run-${i}`);
    const meta = { id: `run-${i}`, kind: 'test', ownerId: 'alice', createdAt: 1, instance: 'instance-a' };
    await registerRun(redis, { meta, keys, leaseMs: 5_000, runningTtlMs: 120_000 });
    logs.push({ keys, log: createRedisWriterLog({ redis, keys, meta, maxLen: 10_000, leaseMs: 5_000, retentionMs: 30_000, runningTtlMs: 120_000 }) });
  }
  cleanups.push(() => redis.disconnect(), ...logs.map(({ log }) => () => log.dispose()));
  return { redis, logs };
}

/** Calls of each command Redis has run so far on this server. */
async function commandCalls(redis: ReturnType<typeof createRedisConnection>, command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
}

const seqsOf = async (redis: ReturnType<typeof createRedisConnection>, key: string) => (await redis.xrange(key, '-', '+')).map(([id]) => Number(id.split('-')[0]));

describe.skipIf(!hasRedis)('appends of one turn, batched', () => {
  test('the appends of 50 runs made in one turn reach Redis in one script call', async () => {
    const { redis, logs } = await writers(50);
    const before = (await commandCalls(redis, 'evalsha')) + (await commandCalls(redis, 'eval'));

    await Promise.all(logs.map(({ log }) => log.append(entry(1))));

    const after = (await commandCalls(redis, 'evalsha')) + (await commandCalls(redis, 'eval'));
    expect(after - before).toBe(1);
    for (const { keys } of logs) expect(await seqsOf(redis, keys.log)).toEqual([1]);
  });

  test('more entries in one turn than one call carries are split over several calls, every run in seq order', async () => {
    const runs = 8;
    const perRun = Math.ceil((MAX_ENTRIES_PER_CALL * 2.5) / runs);
    const { redis, logs } = await writers(runs);

    const appends: Promise<void>[] = [];
    for (let seq = 1; seq <= perRun; seq++) for (const { log } of logs) appends.push(log.append(entry(seq)));
    await Promise.all(appends);

    for (const { keys } of logs) expect(await seqsOf(redis, keys.log)).toEqual(Array.from({ length: perRun }, (_, i) => i + 1));
  });

  test('runs appended to over many turns keep each run in seq order, interleaved however the turns fall', async () => {
    const { redis, logs } = await writers(20);

    await Promise.all(
      logs.map(async ({ log }, run) => {
        for (let seq = 1; seq <= 40; seq++) {
          // Runs append at different paces: some several entries a turn, some one every few turns.
          const append = log.append(entry(seq));
          if ((seq + run) % 3 === 0) await append;
          if (run % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
    await Promise.all(logs.map(({ log }) => log.append(entry(41, 'gen.done'))));

    for (const { keys } of logs) expect(await seqsOf(redis, keys.log)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  });

  test('a run another instance has ended is refused in a batch without holding up the other runs', async () => {
    const { redis, logs } = await writers(3);
    await redis.hset(logs[1]!.keys.meta, 'ended', '1');

    const results = await Promise.allSettled(logs.map(({ log }) => log.append(entry(1))));

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await seqsOf(redis, logs[0]!.keys.log)).toEqual([1]);
    expect(await seqsOf(redis, logs[1]!.keys.log)).toEqual([]);
    expect(await seqsOf(redis, logs[2]!.keys.log)).toEqual([1]);
  });
});
