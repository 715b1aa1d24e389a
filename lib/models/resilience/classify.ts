/**
 * Which provider failures are retried, which count towards opening a circuit, and how long a
 * provider asked us to wait.
 *
 * | failure                                                 | retried | counts for the circuit |
 * | ------------------------------------------------------- | ------- | ---------------------- |
 * | HTTP 429 (Retry-After at most the cap, or none)         | yes     | no                     |
 * | HTTP 408, 5xx                                           | yes     | 408 no, 5xx yes        |
 * | network failure before any response                     | yes     | yes                    |
 * | HTTP 401 / 403 / other 4xx                              | no      | no                     |
 * | stream broke before its first output (HTTP 200)         | no: one non-streaming fallback | yes |
 * | first-chunk timeout                                     | no      | yes                    |
 * | total timeout, the caller's abort                       | no      | no                     |
 * | anything after the first output (idle timeout, cut)     | no      | no                     |
 *
 * The circuit judges whether a provider starts answering: only the phase before the first output
 * runs inside it, so failures after that are passed on and neither retried nor counted.
 * Rate limits and auth errors do not open a circuit: the provider is up and answering, the
 * problem is our key or quota (and a 429 often concerns one model only), and the user should see
 * the provider's own message, not "circuit open".
 */
import { APICallError } from 'ai';
import { isProviderTimeout, StreamFailedBeforeOutput } from './errors';

/**
 * Milliseconds a provider asked us to wait: `retry-after-ms` (OpenAI), else `Retry-After` as
 * delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Record<string, string> | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait an error's response asked for, if it was an HTTP error with such a header. */
export function retryAfterOf(error: unknown): number | undefined {
  return APICallError.isInstance(error) ? retryAfterMs(error.responseHeaders) : undefined;
}

/** HTTP 408, 429, 5xx, or a network failure before any response (the AI SDK marks those retryable, without a status). */
function isTransientFailure(error: unknown): boolean {
  if (!APICallError.isInstance(error)) return false;
  const status = error.statusCode;
  if (status === undefined) return error.isRetryable;
  return status === 408 || status === 429 || status >= 500;
}

/** Whether to retry after `error`: a transient failure whose Retry-After (if any) is at most `maxWaitMs`. */
export function isRetryable(error: unknown, maxWaitMs: number): boolean {
  if (!isTransientFailure(error)) return false;
  const wait = retryAfterOf(error);
  return wait === undefined || wait <= maxWaitMs;
}

/** Whether `error` says the provider is down or broken (5xx, unreachable, stalled), as opposed to refusing us. */
export function countsAsOutage(error: unknown): boolean {
  if (error instanceof StreamFailedBeforeOutput) return true;
  if (isProviderTimeout(error)) return error.timeout !== 'total';
  if (!APICallError.isInstance(error)) return false;
  const status = error.statusCode;
  return status === undefined ? error.isRetryable : status >= 500;
}
