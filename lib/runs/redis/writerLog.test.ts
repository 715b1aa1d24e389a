// The writer log against a real redis-server: what a producing instance leaves in Redis.
import { afterEach, describe, expect, test } from 'vitest';
import type { RunLog } from '../runLog';
import { testEntry as entry, testEnvelope as envelope } from '../testing';
import { backendKeys } from './keys';
import { createRedisConnection } from '../../redis/connection';
import { registerRun, readRunMeta } from './runMeta';
import { freshPrefix, hasRedis, useRedisServer } from './testing';
import { createRedisWriterLog } from './writerLog';

const server = useRedisServer();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});


async function writer({ maxLen = 1_000, leaseMs = 1_000, onLeaseLost }: { maxLen?: number; leaseMs?: number; onLeaseLost?: () => void } = {}) {
  const redis = createRedisConnection(server.current().url, 'commands');
  const keys = backendKeys(freshPrefix()).run('run-1');
  const meta = { id: 'run-1', kind: 'test', ownerId: 'alice', createdAt: 1, instance: 'instance-a' };
  await registerRun(redis, { meta, keys, leaseMs, runningTtlMs: 120_000 });
  const log: RunLog = createRedisWriterLog({ redis, keys, meta, maxLen, leaseMs, retentionMs: 30_000, runningTtlMs: 120_000, onLeaseLost });
  cleanups.push(() => redis.disconnect(), () => log.dispose());
  return { redis, keys, log };
}

describe.skipIf(!hasRedis)('redis writer log', () => {
  test('stores each entry in the stream under the id <seq>-0, holding the envelope JSON of its frame', async () => {
    const { redis, keys, log } = await writer();
    await Promise.all([log.append(entry(1)), log.append(entry(2)), log.append(entry(3))]);

    const stored = await redis.xrange(keys.log, '-', '+');

    expect(stored.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0']);
    expect(stored[1]![1]).toEqual(['d', JSON.stringify(envelope(2))]);
  });

  test('keeps the run metadata up to date: owner, kind and the last seq stored', async () => {
    const { redis, keys, log } = await writer();
    await log.append(entry(1));
    await log.append(entry(2));

    expect(await readRunMeta(redis, 'run-1', keys)).toMatchObject({ ownerId: 'alice', kind: 'test', lastSeq: 2, ended: false, instance: 'instance-a' });
  });

  test('appends made without waiting land in call order', async () => {
    const { redis, keys, log } = await writer();
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(entry(i + 1))));

    const ids = (await redis.xrange(keys.log, '-', '+')).map(([id]) => Number(id.split('-')[0]));
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  test('delivers each entry to its own listeners once Redis has stored it', async () => {
    const { redis, keys, log } = await writer();
    const stored: number[] = [];
    log.subscribe(() => void redis.xlen(keys.log).then((length) => stored.push(length)));
    await log.append(entry(1));
    await log.append(entry(2));

    await expect.poll(() => stored).toEqual([1, 2]);
  });

  test('the terminal entry marks the run ended, releases the lease and starts the retention TTL', async () => {
    const { redis, keys, log } = await writer();
    await log.append(entry(1));
    await log.append(entry(2, 'gen.done'));

    expect((await readRunMeta(redis, 'run-1', keys))?.ended).toBe(true);
    expect(await redis.exists(keys.lease)).toBe(0);
    for (const key of [keys.log, keys.meta]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
    }
  });

  test('keeps renewing the lease while the run is going', async () => {
    const { redis, keys, log } = await writer({ leaseMs: 300 });
    await log.append(entry(1));

    await new Promise((resolve) => setTimeout(resolve, 900));

    expect(await redis.get(keys.lease)).toBe('instance-a');
  });

  test('trims the stream to about maxLen entries, and replays from memory what it keeps', async () => {
    const { redis, keys, log } = await writer({ maxLen: 10 });
    await Promise.all(Array.from({ length: 400 }, (_, i) => log.append(entry(i + 1))));

    expect(await redis.xlen(keys.log)).toBeLessThan(400);
    expect(await redis.xlen(keys.log)).toBeGreaterThanOrEqual(10);
    const kept = await log.readAfter(0);
    expect(kept.at(-1)?.envelope.seq).toBe(400);
    expect(await log.firstSeq()).toBe(kept[0]!.envelope.seq);
  });

  test('refuses entries once another instance has ended the run, and says the lease is lost', async () => {
    let lost = 0;
    const { redis, keys, log } = await writer({ onLeaseLost: () => (lost += 1) });
    await log.append(entry(1));
    await redis.hset(keys.meta, 'ended', '1');

    await expect(log.append(entry(2))).rejects.toThrow(/Another instance has ended this run/);
    expect(lost).toBe(1);
    expect(await redis.xlen(keys.log)).toBe(1);
  });
});
