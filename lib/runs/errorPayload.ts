/**
 * Turns anything a producer throws into the payload of an `error` envelope: the code and
 * user-facing message of an AppError, and a generic message (never a stack trace or a secret)
 * for everything else.
 */
import { isAppError } from '../errors';
import type { Payload } from '../protocol/envelope';

export function toErrorPayload(error: unknown): Payload<'error'> {
  if (isAppError(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(error.retryAfter !== undefined ? { retryable: true, details: { retryAfter: error.retryAfter } } : {}),
    };
  }
  console.error('[run] producer failed:', error);
  return { code: 'internal:unexpected', message: 'The run failed unexpectedly. The error has been logged.' };
}
