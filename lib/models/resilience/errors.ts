/**
 * The errors the resilience layer adds to those of `providerError.ts`: a timeout naming which
 * deadline passed, a fail-fast error while a provider's circuit is open, and (internal) the marker
 * for a stream that broke before its first output.
 */
import { AppError } from '../../errors';

/** Which deadline passed. */
export type ProviderTimeoutKind = 'first-chunk' | 'idle' | 'total';

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6_000) / 10} min`;
}

const TIMEOUT_MESSAGES: Record<ProviderTimeoutKind, (label: string, after: string) => string> = {
  'first-chunk': (label, after) => `${label} did not start answering within ${after} (first-chunk timeout).`,
  idle: (label, after) => `${label} stopped sending for ${after} in the middle of the answer (idle timeout).`,
  total: (label, after) => `${label} took longer than ${after} in all (total timeout).`,
};

/** `provider:timeout` (HTTP 504); `timeout` says which deadline passed. */
export class ProviderTimeoutError extends AppError {
  readonly timeout: ProviderTimeoutKind;
  readonly afterMs: number;

  constructor(timeout: ProviderTimeoutKind, afterMs: number, providerLabel: string) {
    super('provider:timeout', TIMEOUT_MESSAGES[timeout](providerLabel, formatDuration(afterMs)));
    this.name = 'ProviderTimeoutError';
    this.timeout = timeout;
    this.afterMs = afterMs;
  }
}

/** Whether `error` is a provider timeout (of the given kind, when one is named). */
export function isProviderTimeout(error: unknown, kind?: ProviderTimeoutKind): error is ProviderTimeoutError {
  return error instanceof ProviderTimeoutError && (kind === undefined || error.timeout === kind);
}

/** `provider:circuit_open` (HTTP 503): the provider failed too often and is not being called for now. */
export function circuitOpenError(options: { providerLabel: string; failures: number; retryAt: number | undefined; cause?: unknown }): AppError {
  const { providerLabel, failures, retryAt } = options;
  const waitMs = retryAt === undefined ? undefined : Math.max(0, retryAt - Date.now());
  const when =
    retryAt === undefined || waitMs === undefined
      ? 'It will be tried again shortly.'
      : `It will be tried again at ${new Date(retryAt).toISOString()} (in ${formatDuration(Math.ceil(waitMs / 1_000) * 1_000)}).`;
  return new AppError(
    'provider:circuit_open',
    `${providerLabel} failed ${failures} times in a row, so calls to it are paused. ${when}`,
    { cause: options.cause, ...(waitMs !== undefined && { retryAfter: Math.ceil(waitMs / 1_000) }) },
  );
}

/**
 * Thrown inside the layer when a stream that the provider accepted (HTTP 200) fails before any
 * output: the cue for the one non-streaming fallback. Never reaches callers.
 */
export class StreamFailedBeforeOutput extends Error {
  constructor(cause: unknown) {
    super('The stream failed before its first output.', { cause });
    this.name = 'StreamFailedBeforeOutput';
  }
}
