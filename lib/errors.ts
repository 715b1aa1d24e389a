/**
 * The one error type of the application. Library code throws `AppError` with a string-literal
 * code; exactly one place ({@link toErrorResponse} in `lib/http/errorResponse.ts`) turns errors
 * into HTTP responses, and {@link toErrorPayload} turns them into `error` envelopes.
 */

const STATUS_BY_CODE = {
  'bad_request:input': 400,
  'bad_request:json': 400,
  'bad_request:model': 400,
  'bad_request:config': 400,
  'unauthorized:session': 401,
  'forbidden:origin': 403,
  'forbidden:role': 403,
  'not_found:run': 404,
  /** A share link that is unknown or revoked (the same answer for both). */
  'not_found:share': 404,
  'not_found:route': 404,
  'not_found:task': 404,
  'not_found:image': 404,
  'not_found:user': 404,
  'gone:run_log': 410,
  'payload_too_large:body': 413,
  'unsupported:media_type': 415,
  'not_acceptable:accept': 406,
  'rate_limited:runs': 429,
  'rate_limited:streams': 429,
  /** A user, or the server, has as many runs going at once as it may. */
  'rate_limited:active_runs': 429,
  'conflict:run_finished': 409,
  'provider:auth': 502,
  'provider:rate_limited': 502,
  'provider:unavailable': 502,
  'provider:bad_response': 502,
  'provider:error': 502,
  'provider:circuit_open': 503,
  'provider:timeout': 504,
  'run:timeout': 504,
  /** A sandbox layer could not be installed: the program was not run (fail closed). */
  'sandbox:unconfined': 503,
  'internal:unexpected': 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof STATUS_BY_CODE;

/** One field's problem, as shown beside the field in a form. */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldError[];
  /** Seconds after which retrying makes sense (429, 503). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; fieldErrors?: FieldError[]; retryAfter?: number }) {
    super(message, { cause: options?.cause });
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = options?.fieldErrors;
    this.retryAfter = options?.retryAfter;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

