/**
 * The retry policy (cockatiel): exponential backoff with full jitter, stretched to the provider's
 * `Retry-After` when it asks for longer. Only transient failures are retried (`classify.ts`), and
 * only before any output: the layer calls it around opening a stream, never around reading one.
 */
import {
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  retry,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  type RetryPolicy,
} from 'cockatiel';
import { isRetryable, retryAfterOf } from './classify';

export interface RetrySettings {
  /** Retries after the first attempt (0: none). */
  maxRetries: number;
  /** Ceiling of the first backoff; it doubles per retry, and the wait is uniform below it (full jitter). */
  baseDelayMs: number;
  /** Largest backoff ceiling. */
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one ends the call with the provider's error instead. */
  maxRetryWaitMs: number;
}

type RetryContext = IRetryBackoffContext<unknown>;

/** Each step waits the jittered exponential delay, or the Retry-After of the failure, whichever is longer. */
function honourRetryAfter(exponential: IBackoff<unknown>, context: RetryContext): IBackoff<RetryContext> {
  const asked = 'error' in context.result ? retryAfterOf(context.result.error) : undefined;
  return {
    duration: Math.max(exponential.duration, asked ?? 0),
    next: (nextContext) => honourRetryAfter(exponential.next(nextContext), nextContext),
  };
}

/** The backoff of {@link createRetryPolicy}; exported for tests. */
export function retryBackoff(settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>): IBackoffFactory<RetryContext> {
  const exponential = new ExponentialBackoff({
    generator: fullJitterGenerator,
    initialDelay: settings.baseDelayMs,
    maxDelay: settings.maxDelayMs,
  });
  return { next: (context) => honourRetryAfter(exponential.next(), context) };
}

/** A retry policy for one provider call. Its timers do not keep the process alive. */
export function createRetryPolicy(settings: RetrySettings): RetryPolicy {
  return retry(
    handleWhen((error) => isRetryable(error, settings.maxRetryWaitMs)),
    { maxAttempts: settings.maxRetries, backoff: retryBackoff(settings) },
  ).dangerouslyUnref();
}
