/**
 * Limits on what one user, and the whole process, may ask of the server: how many runs a user may
 * start per minute, and how many streams (SSE responses) a user, and everyone together, may hold
 * open at once. Built on `rate-limiter-flexible`.
 *
 * Counters live in process memory (`RateLimiterMemory`), like the run hub's logs: right for one
 * instance. Several instances behind a balancer each count their own share; shared counters
 * (`RateLimiterRedis` on REDIS_URL) come with the scale-out issue, together with the Redis run
 * log, since no Redis client is installed yet.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
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

export function createRunLimits({
  runsPerMinute,
  maxStreamsPerUser,
  maxStreamsTotal,
  streamRetryAfterSeconds = 5,
}: RunLimitsOptions): RunLimits {
  const runStarts = new RateLimiterMemory({ keyPrefix: 'runs', points: runsPerMinute, duration: 60 });
  // Slots are counters that never expire (duration 0): taking one consumes a point, giving it back
  // rewards it. A window would reset the count while streams are still open.
  const userStreams = new RateLimiterMemory({ keyPrefix: 'streams:user', points: maxStreamsPerUser, duration: 0 });
  const allStreams = new RateLimiterMemory({ keyPrefix: 'streams:all', points: maxStreamsTotal, duration: 0 });

  /** Takes a point, or undoes the attempt and reports the refusal (a refused consume still counts). */
  async function take(limiter: RateLimiterMemory, key: string): Promise<boolean> {
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
        await userStreams.reward(userId);
        throw new AppError('rate_limited:streams', 'The server is at its limit of open streams. Try again shortly.', {
          retryAfter: streamRetryAfterSeconds,
        });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        // RateLimiterMemory applies a reward synchronously; the promise only reports it.
        void userStreams.reward(userId);
        void allStreams.reward(ALL_USERS);
      };
    },
  };
}
