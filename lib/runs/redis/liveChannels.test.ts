// The process's shared pub/sub channels against a real redis-server.
import { afterEach, describe, expect, test } from 'vitest';
import { createRedisConnection } from '../../redis/connection';
import { createLiveChannels, type LiveChannels } from './liveChannels';
import { hasRedis, useRedisServer } from './testing';

const server = useRedisServer();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function channels(options: { stallMs?: number; commandTimeout?: number } = {}): LiveChannels {
  const subscriber = createRedisConnection(server.current().url, 'subscriber', options.commandTimeout ? { commandTimeout: options.commandTimeout } : {});
  const publisher = createRedisConnection(server.current().url, 'commands');
  const live = createLiveChannels(subscriber, { stallMs: options.stallMs ?? 10_000 });
  cleanups.push(() => live.close(), () => publisher.disconnect());
  publish = (channel, message) => publisher.publish(channel, message);
  return live;
}
let publish: (channel: string, message: string) => Promise<number>;

describe.skipIf(!hasRedis)('live channels', () => {
  test('every listener of a channel gets each message, over one subscription', async () => {
    const live = channels();
    const got: string[] = [];
    const first = live.listen('news', { message: (m) => got.push(`first:${m}`) });
    const second = live.listen('news', { message: (m) => got.push(`second:${m}`) });
    await Promise.all([first.ready, second.ready]);

    expect(await publish('news', 'hello')).toBe(1);
    await expect.poll(() => got).toEqual(['first:hello', 'second:hello']);
  });

  test('a closed listener gets nothing more, and the last one to close unsubscribes', async () => {
    const live = channels();
    const got: string[] = [];
    const first = live.listen('news', { message: (m) => got.push(m) });
    await first.ready;

    first.close();

    await expect.poll(() => publish('news', 'anyone?')).toBe(0);
    expect(got).toEqual([]);
  });

  test('after the connection comes back, listeners are subscribed again and told to catch up', async () => {
    const live = channels();
    let resyncs = 0;
    const got: string[] = [];
    await expect.poll(() => live.connected()).toBe(true);
    await live.listen('news', { message: (m) => got.push(m), resync: () => (resyncs += 1) }).ready;

    await server.current().restart();

    await expect.poll(() => resyncs).toBe(1);
    await publish('news', 'still here');
    await expect.poll(() => got).toEqual(['still here']);
  });

  test('a subscription that failed while Redis was down is made once Redis is back', { timeout: 15_000 }, async () => {
    const live = channels({ commandTimeout: 300 });
    await server.current().kill();
    const got: string[] = [];
    let failed = false;
    try {
      await live.listen('cancels', { message: (m) => got.push(m) }).ready.catch(() => (failed = true));
      expect(failed).toBe(true);
    } finally {
      await server.current().start();
    }

    await expect.poll(() => publish('cancels', 'run-1'), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => got).toEqual(['run-1']);
  });

  test('listeners are told the connection is broken when Redis stays away past the stall bound', async () => {
    const live = channels({ stallMs: 200 });
    const broken: string[] = [];
    await live.listen('news', { message: () => undefined, broken: (error) => broken.push(error.message) }).ready;

    await server.current().kill();
    try {
      await expect.poll(() => broken).toEqual([expect.stringContaining('unreachable')]);
    } finally {
      await server.current().start();
    }
  });
});
