/**
 * Limits on what one user, and the whole process, may ask of the server: how many runs a user may
 * start per minute, how many runs a user, and everyone together, may have going at once (whatever
 * way they are delivered: streamed, blocking or JSON), and how many streams (SSE responses) a user,
 * and everyone together, may hold open at once. Built on `rate-limiter-flexible`.
 *
 * Counters live in process memory (`RateLimiterMemory`) by default: right for one instance. Given
 * a Redis connection (REDIS_URL), the per-user counters are shared by every instance
 * (`RateLimiterRedis`, with a memory limiter as insurance while Redis is unreachable). The caps on
 * what everyone together may hold stay per process: they protect that process (its memory, and
 * the producers it drives).
 *
 * A shared slot counter must survive an instance that dies holding slots (it never gives them
 * back). Every slot taken pushes the counter's expiry (`streamSlotTtlSeconds`, longer than a
 * response may live; `runSlotTtlSeconds`, longer than a run may last) into the future: once that
 * long has passed without the user taking a slot, everything counted has ended, so what is left
 * are leaked slots, and they expire. Refused attempts and slots given back do not push it (a
 * client retrying must not keep a leak alive).
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors';

export interface RunLimitsOptions {
  /** Runs one user may start per minute (a fixed window starting at the first of them). */
  runsPerMinute: number;
  /** Streams one user may hold open at once. */
  maxStreamsPerUser: number;
  /** Streams everyone together may hold open at once. */
  maxStreamsTotal: number;
  /**
   * The `Retry-After` (seconds) of a refused stream. Nobody can know when a slot frees; a few
   * seconds keeps a well-behaved client from hammering. Default 5.
   */
  streamRetryAfterSeconds?: number;
  /** Runs one user may have going at once. Default: no cap. */
  maxRunsPerUser?: number;
  /** Runs everyone together may have going at once in this process. Default: no cap. */
  maxRunsTotal?: number;
  /** The `Retry-After` (seconds) of a run refused by a cap on runs going at once. Default 5. */
  runRetryAfterSeconds?: number;
  /** With Redis: how long a user's run count outlives its last change (see above). Default 3600. */
  runSlotTtlSeconds?: number;
  /** Shares the per-user counters between instances. */
  redis?: Redis;
  /** Prefix of the Redis keys. Default `limits:`. */
  redisKeyPrefix?: string;
  /** With Redis: how long a user's stream count outlives its last change (see above). Default 3600. */
  streamSlotTtlSeconds?: number;
}

/** Gives a stream slot back. Calling it more than once gives it back once. */
export type ReleaseStreamSlot = () => void;

/** Gives a run slot back (call it when the run has ended, however it ended). Calling it more than once gives it back once. */
export type ReleaseRunSlot = () => void;

export interface RunLimits {
  /**
   * Counts one run start for this user. Throws `AppError('rate_limited:runs')` with `retryAfter`
   * (seconds until the window resets) when the user has started too many this minute.
   */
  consumeRunStart(args: { userId: string }): Promise<void>;
  /**
   * Takes one stream slot for this user, and returns the function that gives it back (call it when
   * the response ends, in `finally`). Throws `AppError('rate_limited:streams')` with `retryAfter`
   * when the user, or the server, is at its cap.
   */
  acquireStreamSlot(args: { userId: string }): Promise<ReleaseStreamSlot>;
  /**
   * Takes one run slot for this user, and returns the function that gives it back (call it once
   * the run has ended). Throws `AppError('rate_limited:active_runs')` with `retryAfter` when the
   * user, or the server, has as many runs going as it may.
   */
  acquireRunSlot(args: { userId: string }): Promise<ReleaseRunSlot>;
}

const ALL_USERS = 'all';

/**
 * rate-limiter-flexible's increment (ARGV: change, seconds, limit), with the expiry pushed back by
 * every slot taken within the limit (a sliding TTL), and the count kept from going below zero (a
 * slot given back after its count expired).
 */
const SLIDING_SLOT_COUNT = `local consumed = redis.call('incrby', KEYS[1], ARGV[1])
if consumed < 0 then
  redis.call('set', KEYS[1], 0, 'KEEPTTL')
  consumed = 0
end
if (tonumber(ARGV[1]) > 0 and consumed <= tonumber(ARGV[3])) or redis.call('ttl', KEYS[1]) < 0 then
  redis.call('expire', KEYS[1], ARGV[2])
end
return {consumed, redis.call('pttl', KEYS[1])}`;

export function createRunLimits({
  runsPerMinute,
  maxStreamsPerUser,
  maxStreamsTotal,
  streamRetryAfterSeconds = 5,
  redis,
  redisKeyPrefix = 'limits:',
  streamSlotTtlSeconds = 3_600,
  maxRunsPerUser = Number.MAX_SAFE_INTEGER,
  maxRunsTotal = Number.MAX_SAFE_INTEGER,
  runRetryAfterSeconds = 5,
  runSlotTtlSeconds = 3_600,
}: RunLimitsOptions): RunLimits {
  const runStartsOptions = { keyPrefix: 'runs', points: runsPerMinute, duration: 60 };
  // Slots are counters: taking one consumes a point, giving it back rewards it. In memory they
  // never expire (duration 0): a window would reset the count while streams are still open.
  const userStreamsOptions = { keyPrefix: 'streams:user', points: maxStreamsPerUser, duration: 0 };
  const runStarts: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        ...runStartsOptions,
        keyPrefix: `${redisKeyPrefix}runs`,
        storeClient: redis,
        insuranceLimiter: new RateLimiterMemory(runStartsOptions),
      })
    : new RateLimiterMemory(runStartsOptions);
  /** A per-user slot counter: in memory, or shared through Redis with a sliding expiry. */
  function userSlots(name: string, points: number, ttlSeconds: number): RateLimiterAbstract {
    // Slots are counters: taking one consumes a point, giving it back rewards it. In memory they
    // never expire (duration 0): a window would reset the count while what it counts goes on.
    const options = { keyPrefix: `${name}:user`, points, duration: 0 };
    return redis
      ? new RateLimiterRedis({
          ...options,
          keyPrefix: `${redisKeyPrefix}${name}:user`,
          duration: ttlSeconds,
          storeClient: redis,
          customIncrTtlLuaScript: SLIDING_SLOT_COUNT,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
  }
  const userStreams = userSlots('streams', maxStreamsPerUser, streamSlotTtlSeconds);
  const allStreams = new RateLimiterMemory({ keyPrefix: 'streams:all', points: maxStreamsTotal, duration: 0 });
  const userRuns = userSlots('active-runs', maxRunsPerUser, runSlotTtlSeconds);
  const allRuns = new RateLimiterMemory({ keyPrefix: 'active-runs:all', points: maxRunsTotal, duration: 0 });

  /** Takes a point, or undoes the attempt and reports the refusal (a refused consume still counts). */
  async function take(limiter: RateLimiterAbstract, key: string): Promise<boolean> {
    try {
      await limiter.consume(key);
      return true;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      await limiter.reward(key);
      return false;
    }
  }

  /**
   * Takes a slot of the user's and one of everyone's, or neither: a refusal on the overall cap
   * gives the user's back. Returns the release, or which cap refused.
   */
  async function acquire(user: RateLimiterAbstract, all: RateLimiterAbstract, userId: string): Promise<(() => void) | 'user' | 'all'> {
    if (!(await take(user, userId))) return 'user';
    if (!(await take(all, ALL_USERS))) {
      await user.reward(userId).catch(() => undefined);
      return 'all';
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // RateLimiterMemory applies a reward synchronously; on Redis a failed reward is a slot the
      // sliding expiry gives back later.
      user.reward(userId).catch(() => undefined);
      void all.reward(ALL_USERS);
    };
  }

  return {
    async consumeRunStart({ userId }) {
      try {
        await runStarts.consume(userId);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new AppError('rate_limited:runs', `Too many runs started: at most ${runsPerMinute} a minute. Try again in ${retryAfter} s.`, {
          retryAfter,
        });
      }
    },

    async acquireStreamSlot({ userId }) {
      const slot = await acquire(userStreams, allStreams, userId);
      if (slot === 'user') {
        throw new AppError(
          'rate_limited:streams',
          `Too many open streams: at most ${maxStreamsPerUser} at once. Close a tab or wait for a run to finish.`,
          { retryAfter: streamRetryAfterSeconds },
        );
      }
      if (slot === 'all') {
        throw new AppError('rate_limited:streams', 'The server is at its limit of open streams. Try again shortly.', {
          retryAfter: streamRetryAfterSeconds,
        });
      }
      return slot;
    },

    async acquireRunSlot({ userId }) {
      const slot = await acquire(userRuns, allRuns, userId);
      if (slot === 'user') {
        throw new AppError(
          'rate_limited:active_runs',
          `Too many runs going at once: at most ${maxRunsPerUser}. Wait for one to finish, or stop one.`,
          { retryAfter: runRetryAfterSeconds },
        );
      }
      if (slot === 'all') {
        throw new AppError('rate_limited:active_runs', 'The server is running as many runs as it can. Try again shortly.', {
          retryAfter: runRetryAfterSeconds,
        });
      }
      return slot;
    },
  };
}
