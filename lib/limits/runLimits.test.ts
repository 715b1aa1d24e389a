import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { resetConfig } from '../config';
import { createRedisConnection } from '../redis/connection';
import { hasRedis, useRedisServer } from '../testing/useRedisServer';
import { AppError } from '../errors';
import { toErrorResponse } from '../http/errorResponse';
import { acquireRunSlot, acquireStreamSlot, consumeRunStart, resetRunLimits } from './index';
import { createRunLimits } from './runLimits';

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('run starts', () => {
  test('the start past the per-minute limit is refused with rate_limited:runs and a Retry-After', async () => {
    const limits = createRunLimits({ runsPerMinute: 3, maxStreamsPerUser: 6, maxStreamsTotal: 500 });
    for (let i = 0; i < 3; i++) await limits.consumeRunStart({ userId: 'alice' });

    const error = await refusal(limits.consumeRunStart({ userId: 'alice' }));

    expect(error.code).toBe('rate_limited:runs');
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBeGreaterThanOrEqual(59);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
    const response = toErrorResponse(error);
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe(String(error.retryAfter));
  });

  test('one user at the limit does not hold back another', async () => {
    const limits = createRunLimits({ runsPerMinute: 1, maxStreamsPerUser: 6, maxStreamsTotal: 500 });
    await limits.consumeRunStart({ userId: 'alice' });
    await expect(limits.consumeRunStart({ userId: 'alice' })).rejects.toThrow(AppError);

    await expect(limits.consumeRunStart({ userId: 'bob' })).resolves.toBeUndefined();
  });

  test('the Retry-After counts down, and the window opens again once it has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const limits = createRunLimits({ runsPerMinute: 1, maxStreamsPerUser: 6, maxStreamsTotal: 500 });
    await limits.consumeRunStart({ userId: 'alice' });

    vi.advanceTimersByTime(45_000);
    expect((await refusal(limits.consumeRunStart({ userId: 'alice' }))).retryAfter).toBe(15);

    vi.advanceTimersByTime(15_001);
    await expect(limits.consumeRunStart({ userId: 'alice' })).resolves.toBeUndefined();
  });
});

describe('stream slots', () => {
  test('the stream past the per-user cap is refused with rate_limited:streams and a Retry-After', async () => {
    const limits = createRunLimits({ runsPerMinute: 20, maxStreamsPerUser: 2, maxStreamsTotal: 500, streamRetryAfterSeconds: 3 });
    await limits.acquireStreamSlot({ userId: 'alice' });
    await limits.acquireStreamSlot({ userId: 'alice' });

    const error = await refusal(limits.acquireStreamSlot({ userId: 'alice' }));

    expect(error).toMatchObject({ code: 'rate_limited:streams', status: 429, retryAfter: 3 });
    expect(toErrorResponse(error).headers.get('Retry-After')).toBe('3');
  });

  test('releasing a slot frees it, and releasing twice frees it once', async () => {
    const limits = createRunLimits({ runsPerMinute: 20, maxStreamsPerUser: 2, maxStreamsTotal: 500 });
    const first = await limits.acquireStreamSlot({ userId: 'alice' });
    await limits.acquireStreamSlot({ userId: 'alice' });
    await expect(limits.acquireStreamSlot({ userId: 'alice' })).rejects.toThrow(AppError);

    first();
    first();

    await limits.acquireStreamSlot({ userId: 'alice' });
    await expect(limits.acquireStreamSlot({ userId: 'alice' })).rejects.toThrow(AppError);
  });

  test('refused attempts take no slot', async () => {
    const limits = createRunLimits({ runsPerMinute: 20, maxStreamsPerUser: 1, maxStreamsTotal: 500 });
    const release = await limits.acquireStreamSlot({ userId: 'alice' });
    for (let i = 0; i < 5; i++) await expect(limits.acquireStreamSlot({ userId: 'alice' })).rejects.toThrow(AppError);

    release();

    await expect(limits.acquireStreamSlot({ userId: 'alice' })).resolves.toBeTypeOf('function');
  });

  test('one user at the cap does not hold back another', async () => {
    const limits = createRunLimits({ runsPerMinute: 20, maxStreamsPerUser: 1, maxStreamsTotal: 500 });
    await limits.acquireStreamSlot({ userId: 'alice' });
    await expect(limits.acquireStreamSlot({ userId: 'alice' })).rejects.toThrow(AppError);

    await expect(limits.acquireStreamSlot({ userId: 'bob' })).resolves.toBeTypeOf('function');
  });

  test('the overall cap refuses everyone, and a refusal there gives back the user’s slot', async () => {
    const limits = createRunLimits({ runsPerMinute: 20, maxStreamsPerUser: 2, maxStreamsTotal: 3 });
    const releases = [
      await limits.acquireStreamSlot({ userId: 'alice' }),
      await limits.acquireStreamSlot({ userId: 'alice' }),
      await limits.acquireStreamSlot({ userId: 'bob' }),
    ];

    const error = await refusal(limits.acquireStreamSlot({ userId: 'carol' }));
    expect(error).toMatchObject({ code: 'rate_limited:streams', retryAfter: 5 });
    expect(error.message).toMatch(/server/);

    // Carol's refused attempt left her per-user count at zero: once the server has room she gets both her slots.
    releases[0]!();
    releases[1]!();
    await limits.acquireStreamSlot({ userId: 'carol' });
    await limits.acquireStreamSlot({ userId: 'carol' });
    await expect(limits.acquireStreamSlot({ userId: 'carol' })).rejects.toThrow(/at most 2/);
  });

  test('concurrent acquisitions never exceed the cap', async () => {
    const limits = createRunLimits({ runsPerMinute: 20, maxStreamsPerUser: 6, maxStreamsTotal: 500 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => limits.acquireStreamSlot({ userId: 'alice' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
  });
});

describe('runs going at once', () => {
  const base = { runsPerMinute: 100, maxStreamsPerUser: 6, maxStreamsTotal: 500 };

  test('the run past the per-user cap is refused with rate_limited:active_runs and a Retry-After', async () => {
    const limits = createRunLimits({ ...base, maxRunsPerUser: 2, maxRunsTotal: 100, runRetryAfterSeconds: 4 });
    await limits.acquireRunSlot({ userId: 'alice' });
    await limits.acquireRunSlot({ userId: 'alice' });

    const error = await refusal(limits.acquireRunSlot({ userId: 'alice' }));

    expect(error).toMatchObject({ code: 'rate_limited:active_runs', status: 429, retryAfter: 4 });
    expect(error.message).toMatch(/at most 2/);
    expect(toErrorResponse(error).headers.get('Retry-After')).toBe('4');
  });

  test('a run that ends gives its slot back, once however often it is released', async () => {
    const limits = createRunLimits({ ...base, maxRunsPerUser: 1, maxRunsTotal: 100 });
    const release = await limits.acquireRunSlot({ userId: 'alice' });
    await expect(limits.acquireRunSlot({ userId: 'alice' })).rejects.toMatchObject({ code: 'rate_limited:active_runs' });

    release();
    release();

    await limits.acquireRunSlot({ userId: 'alice' });
    await expect(limits.acquireRunSlot({ userId: 'alice' })).rejects.toMatchObject({ code: 'rate_limited:active_runs' });
  });

  test('the overall cap refuses everyone, and its refusal leaves the user’s count untouched', async () => {
    const limits = createRunLimits({ ...base, maxRunsPerUser: 2, maxRunsTotal: 2 });
    const releases = [await limits.acquireRunSlot({ userId: 'alice' }), await limits.acquireRunSlot({ userId: 'bob' })];

    const error = await refusal(limits.acquireRunSlot({ userId: 'carol' }));
    expect(error).toMatchObject({ code: 'rate_limited:active_runs', status: 429 });
    expect(error.message).toMatch(/server/);

    releases.forEach((release) => release());
    await limits.acquireRunSlot({ userId: 'carol' });
    await limits.acquireRunSlot({ userId: 'carol' });
    await expect(limits.acquireRunSlot({ userId: 'carol' })).rejects.toThrow(/at most 2/);
  });

  test('run slots and stream slots are counted apart', async () => {
    const limits = createRunLimits({ ...base, maxStreamsPerUser: 1, maxRunsPerUser: 1, maxRunsTotal: 100 });
    await limits.acquireRunSlot({ userId: 'alice' });
    await expect(limits.acquireStreamSlot({ userId: 'alice' })).resolves.toBeTypeOf('function');
  });

  test('concurrent acquisitions never exceed the cap', async () => {
    const limits = createRunLimits({ ...base, maxRunsPerUser: 3, maxRunsTotal: 100 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => limits.acquireRunSlot({ userId: 'alice' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
  });
});

describe('process-wide limits', () => {
  test('follow the configuration', async () => {
    const saved = { ...process.env };
    process.env.RATE_LIMIT_RUNS_PER_MINUTE = '2';
    process.env.MAX_STREAMS_PER_USER = '1';
    process.env.MAX_RUNS_PER_USER = '1';
    resetConfig();
    resetRunLimits();
    try {
      await consumeRunStart({ userId: 'zoe' });
      await consumeRunStart({ userId: 'zoe' });
      await expect(consumeRunStart({ userId: 'zoe' })).rejects.toMatchObject({ code: 'rate_limited:runs' });
      const release = await acquireStreamSlot({ userId: 'zoe' });
      await expect(acquireStreamSlot({ userId: 'zoe' })).rejects.toMatchObject({ code: 'rate_limited:streams' });
      release();
      await expect(acquireStreamSlot({ userId: 'zoe' })).resolves.toBeTypeOf('function');
      const releaseRun = await acquireRunSlot({ userId: 'zoe' });
      await expect(acquireRunSlot({ userId: 'zoe' })).rejects.toMatchObject({ code: 'rate_limited:active_runs' });
      releaseRun();
      await expect(acquireRunSlot({ userId: 'zoe' })).resolves.toBeTypeOf('function');
    } finally {
      process.env = saved;
      resetConfig();
      resetRunLimits();
    }
  });
});

describe.skipIf(!hasRedis)('limits shared through Redis', () => {
  const server = useRedisServer();
  const connections: Redis[] = [];
  afterAll(() => connections.forEach((redis) => redis.disconnect()));

  let prefixes = 0;
  /** Limits as two instances configure them: separate connections, one key prefix. */
  function instances(options: Omit<Parameters<typeof createRunLimits>[0], 'redis'>) {
    prefixes += 1;
    const make = () => {
      const redis = createRedisConnection(server.current().url, 'commands');
      connections.push(redis);
      return createRunLimits({ ...options, redis, redisKeyPrefix: `limits-test-${prefixes}:` });
    };
    return [make(), make()] as const;
  }

  test('run starts on two instances count against one per-minute limit', async () => {
    const [a, b] = instances({ runsPerMinute: 3, maxStreamsPerUser: 6, maxStreamsTotal: 500 });
    await a.consumeRunStart({ userId: 'alice' });
    await b.consumeRunStart({ userId: 'alice' });
    await a.consumeRunStart({ userId: 'alice' });

    const error = await refusal(b.consumeRunStart({ userId: 'alice' }));

    expect(error).toMatchObject({ code: 'rate_limited:runs', status: 429 });
    expect(error.retryAfter).toBeGreaterThanOrEqual(59);
  });

  test('a user’s streams on two instances count against one cap, and a slot freed on one is free on the other', async () => {
    const [a, b] = instances({ runsPerMinute: 20, maxStreamsPerUser: 2, maxStreamsTotal: 500 });
    const first = await a.acquireStreamSlot({ userId: 'alice' });
    await b.acquireStreamSlot({ userId: 'alice' });
    await expect(b.acquireStreamSlot({ userId: 'alice' })).rejects.toMatchObject({ code: 'rate_limited:streams' });

    first();

    await expect.poll(() => b.acquireStreamSlot({ userId: 'alice' }).then(() => true, () => false)).toBe(true);
  });

  test('slots a dead instance never gave back expire once the user has been quiet longer than a response can live', async () => {
    prefixes += 1;
    const redis = createRedisConnection(server.current().url, 'commands');
    connections.push(redis);
    const options = { runsPerMinute: 20, maxStreamsPerUser: 1, maxStreamsTotal: 500, redis, redisKeyPrefix: `limits-test-${prefixes}:`, streamSlotTtlSeconds: 1 };
    await createRunLimits(options).acquireStreamSlot({ userId: 'alice' }); // never released: its instance died
    const survivor = createRunLimits(options);
    await expect(survivor.acquireStreamSlot({ userId: 'alice' })).rejects.toMatchObject({ code: 'rate_limited:streams' });

    await expect
      .poll(() => survivor.acquireStreamSlot({ userId: 'alice' }).then(() => true, () => false), { timeout: 5_000, interval: 250 })
      .toBe(true);
  });

  test('a user’s runs on two instances count against one cap, and a run ended on one frees the slot on the other', async () => {
    const [a, b] = instances({ runsPerMinute: 20, maxStreamsPerUser: 6, maxStreamsTotal: 500, maxRunsPerUser: 2, maxRunsTotal: 100 });
    const first = await a.acquireRunSlot({ userId: 'alice' });
    await b.acquireRunSlot({ userId: 'alice' });
    await expect(b.acquireRunSlot({ userId: 'alice' })).rejects.toMatchObject({ code: 'rate_limited:active_runs' });

    first();

    await expect.poll(() => b.acquireRunSlot({ userId: 'alice' }).then(() => true, () => false)).toBe(true);
  });

  test('the cap on streams of everyone together stays per instance: it protects that process', async () => {
    const [a, b] = instances({ runsPerMinute: 20, maxStreamsPerUser: 10, maxStreamsTotal: 1 });
    await a.acquireStreamSlot({ userId: 'alice' });

    await expect(b.acquireStreamSlot({ userId: 'bob' })).resolves.toBeTypeOf('function');
  });
});
