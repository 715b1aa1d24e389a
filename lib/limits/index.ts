/**
 * Per-user and process-wide limits on starting runs, having runs going and holding streams open.
 * The functions here use one process-wide set of counters configured from the environment
 * (RATE_LIMIT_RUNS_PER_MINUTE, MAX_RUNS_PER_USER, MAX_RUNS_TOTAL, MAX_STREAMS_PER_USER,
 * MAX_STREAMS_TOTAL), per-user counters shared through Redis when REDIS_URL is set;
 * {@link createRunLimits} makes independent ones.
 */
import { getConfig } from '../config';
import { getRedis } from '../redis';
import { createRunLimits, type ReleaseRunSlot, type ReleaseStreamSlot, type RunLimits } from './runLimits';

export { createRunLimits, type ReleaseRunSlot, type ReleaseStreamSlot, type RunLimits, type RunLimitsOptions } from './runLimits';

// On globalThis, like the database: Next dev re-evaluates modules on edits, and counters of open
// streams must survive that or slots taken before the edit would never be given back.
const globalForLimits = globalThis as typeof globalThis & { __streamConsoleRunLimits?: RunLimits };

/** The process-wide limits, configured at first use. */
function getRunLimits(): RunLimits {
  if (!globalForLimits.__streamConsoleRunLimits) {
    const config = getConfig();
    const redis = getRedis();
    globalForLimits.__streamConsoleRunLimits = createRunLimits({
      runsPerMinute: config.RATE_LIMIT_RUNS_PER_MINUTE,
      maxStreamsPerUser: config.MAX_STREAMS_PER_USER,
      maxStreamsTotal: config.MAX_STREAMS_TOTAL,
      maxRunsPerUser: config.MAX_RUNS_PER_USER,
      maxRunsTotal: config.MAX_RUNS_TOTAL,
      ...(redis
        ? {
            redis,
            redisKeyPrefix: `${config.REDIS_KEY_PREFIX}limits:`,
            // Longer than any response lives (SSE_MAX_LIFETIME_MS), with a minute to spare.
            streamSlotTtlSeconds: Math.ceil(config.SSE_MAX_LIFETIME_MS / 1000) + 60,
            // Longer than any run may last (RUN_MAX_DURATION_MS), with a minute to spare.
            runSlotTtlSeconds: Math.ceil(config.RUN_MAX_DURATION_MS / 1000) + 60,
          }
        : {}),
    });
  }
  return globalForLimits.__streamConsoleRunLimits;
}

/** Forgets the process-wide counters (tests that change the environment). */
export function resetRunLimits(): void {
  globalForLimits.__streamConsoleRunLimits = undefined;
}

/**
 * Counts one run start for this user; throws `AppError('rate_limited:runs')` with `retryAfter`
 * past RATE_LIMIT_RUNS_PER_MINUTE.
 */
export function consumeRunStart(args: { userId: string }): Promise<void> {
  return getRunLimits().consumeRunStart(args);
}

/**
 * Takes a stream slot for this user and returns its release; throws
 * `AppError('rate_limited:streams')` with `retryAfter` at MAX_STREAMS_PER_USER or MAX_STREAMS_TOTAL.
 */
export function acquireStreamSlot(args: { userId: string }): Promise<ReleaseStreamSlot> {
  return getRunLimits().acquireStreamSlot(args);
}

/**
 * Takes a run slot for this user and returns its release (call it once the run has ended); throws
 * `AppError('rate_limited:active_runs')` with `retryAfter` at MAX_RUNS_PER_USER or MAX_RUNS_TOTAL.
 */
export function acquireRunSlot(args: { userId: string }): Promise<ReleaseRunSlot> {
  return getRunLimits().acquireRunSlot(args);
}
