/**
 * Limits on what one user, and the whole process, may ask of the server: how many runs a user may
 * start per minute, and how many streams (SSE responses) a user, and everyone together, may hold
 * open at once. Built on `rate-limiter-flexible`.
 *
 * Counters live in process memory (`RateLimiterMemory`) by default: right for one instance. Given
 * a Redis connection (REDIS_URL), the per-user counters are shared by every instance
 * (`RateLimiterRedis`, with a memory limiter as insurance while Redis is unreachable). The cap on
 * streams everyone together may hold stays per process: it protects that process's memory.
 *
 * A shared stream-slot counter must survive an instance that dies holding slots (it never gives
 * them back). Every slot taken pushes the counter's expiry `streamSlotTtlSeconds` (longer than a
 * response may live) into the future: once that long has passed without the user taking a slot,
 * every response counted has ended, so what is left are leaked slots, and they expire. Refused
 * attempts and slots given back do not push it (a client retrying must not keep a leak alive).
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
  /** Shares the per-user counters between instances. */
  redis?: Redis;
  /** Prefix of the Redis keys. Default `limits:`. */
  redisKeyPrefix?: string;
  /** With Redis: how long a user's stream count outlives its last change (see above). Default 3600. */
  streamSlotTtlSeconds?: number;
}

/** Gives a stream slot back. Calling it more than once gives it back once. */
export type ReleaseStreamSlot = () => void;

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
  const userStreams: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        ...userStreamsOptions,
        keyPrefix: `${redisKeyPrefix}streams:user`,
        duration: streamSlotTtlSeconds,
        storeClient: redis,
        customIncrTtlLuaScript: SLIDING_SLOT_COUNT,
        insuranceLimiter: new RateLimiterMemory(userStreamsOptions),
      })
    : new RateLimiterMemory(userStreamsOptions);
  const allStreams = new RateLimiterMemory({ keyPrefix: 'streams:all', points: maxStreamsTotal, duration: 0 });

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
      if (!(await take(userStreams, userId))) {
        throw new AppError(
          'rate_limited:streams',
          `Too many open streams: at most ${maxStreamsPerUser} at once. Close a tab or wait for a run to finish.`,
          { retryAfter: streamRetryAfterSeconds },
        );
      }
      if (!(await take(allStreams, ALL_USERS))) {
        await userStreams.reward(userId).catch(() => undefined);
        throw new AppError('rate_limited:streams', 'The server is at its limit of open streams. Try again shortly.', {
          retryAfter: streamRetryAfterSeconds,
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        // RateLimiterMemory applies a reward synchronously; on Redis a failed reward is a slot the
        // sliding expiry gives back later.
        userStreams.reward(userId).catch(() => undefined);
        void allStreams.reward(ALL_USERS);
      };
    },
  };
}
