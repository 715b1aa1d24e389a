/**
 * Maps what a provider call throws (AI SDK `APICallError`, `RetryError`, network failures) to an
 * AppError with a message a user can act on. Provider messages are passed on only after
 * anything that looks like a credential is removed, and never with a stack trace.
 */
import { APICallError, RetryError } from 'ai';
import { AppError, isAppError } from '../errors';

const CREDENTIAL = /\b(?:sk|xai|or|pk|key)[-_][A-Za-z0-9_\-*.]{6,}|Bearer\s+\S+/gi;

/** Removes credential-shaped substrings and trims a provider's message for display. */
function sanitizeProviderMessage(message: string): string {
  return message.replace(CREDENTIAL, '[redacted]').replace(/\s+/g, ' ').trim().slice(0, 300);
}

function retryAfterSeconds(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function toProviderError(error: unknown, providerLabel: string): AppError {
  if (isAppError(error)) return error;
  const cause = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    const detail = cause.message ? ` ${providerLabel} said: ${sanitizeProviderMessage(cause.message)}` : '';
    if (status === 401 || status === 403) {
      return new AppError('provider:auth', `${providerLabel} rejected the credentials (HTTP ${status}). Check the API key.${detail}`, { cause });
    }
    if (status === 429) {
      return new AppError('provider:rate_limited', `${providerLabel} is rate limiting requests (HTTP 429). Try again shortly.${detail}`, {
        cause,
        retryAfter: retryAfterSeconds(cause.responseHeaders),
      });
    }
    if (status !== undefined && status >= 500) {
      return new AppError('provider:unavailable', `${providerLabel} is unavailable (HTTP ${status}). Try again later.${detail}`, { cause });
    }
    if (status !== undefined) {
      return new AppError('provider:error', `${providerLabel} refused the request (HTTP ${status}).${detail}`, { cause });
    }
    return new AppError('provider:unavailable', `Could not reach ${providerLabel}.${detail}`, { cause });
  }
  if (cause instanceof Error && /fetch failed|ECONNREFUSED|ENOTFOUND|socket|network|terminated/i.test(`${cause.message} ${String(cause.cause ?? '')}`)) {
    return new AppError('provider:unavailable', `The connection to ${providerLabel} failed before the answer was complete.`, { cause });
  }
  return new AppError('provider:bad_response', `${providerLabel} sent a response that could not be read.`, { cause });
}
