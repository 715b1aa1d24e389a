/**
 * The one place where errors become HTTP responses. An AppError answers with its status, code
 * and message; a ZodError with 400 and the field errors; anything else is logged in full and
 * answered with a generic 500 that reveals nothing.
 */
import { ZodError } from 'zod';
import { AppError, isAppError, type FieldError } from '../errors';

export interface ErrorBody {
  error: { code: string; message: string; fieldErrors?: FieldError[] };
}

/** Field errors of a zod failure, paths joined with dots (`input.prompt`). */
export function fieldErrorsOf(error: ZodError, prefix: (string | number)[] = []): FieldError[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

export function toErrorResponse(error: unknown): Response {
  if (error instanceof ZodError) {
    const fieldErrors = fieldErrorsOf(error);
    return errorJson(400, { code: 'bad_request:input', message: describeFieldErrors(fieldErrors), fieldErrors });
  }
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers['Retry-After'] = String(Math.ceil(error.retryAfter));
    return errorJson(
      error.status,
      { code: error.code, message: error.message, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}) },
      headers,
    );
  }
  console.error('[http] unexpected error:', error);
  return errorJson(500, { code: 'internal:unexpected', message: 'Something went wrong on the server. The error has been logged.' });
}

function describeFieldErrors(fieldErrors: FieldError[]): string {
  const first = fieldErrors[0];
  if (!first) return 'The request is invalid.';
  const more = fieldErrors.length > 1 ? ` (and ${fieldErrors.length - 1} more)` : '';
  return `Invalid ${first.path}: ${first.message}${more}`;
}

function errorJson(status: number, error: ErrorBody['error'], headers: Record<string, string> = {}): Response {
  return Response.json({ error } satisfies ErrorBody, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

export { AppError };
