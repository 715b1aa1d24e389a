/** The run stream client's public types: options, statuses, errors and the handle (see `runStreamClient.ts`). */
import type { EventEnvelope } from './envelope';
import type { BlockingRunResult } from './runResponses';

/**
 * Where a stream stands. The last three are final. `waiting`: a blocking run is under way and
 * its result is awaited.
 */
export type RunStreamStatus = 'connecting' | 'streaming' | 'waiting' | 'reconnecting' | 'done' | 'error' | 'cancelled';

/** A blocking run's progress, from each `202` of the result URL. */
export interface RunStreamProgress {
  lastSeq: number;
  statusMessage?: string;
  tokenCount: number;
  elapsedMs: number;
}

/** One field's problem, from a 400 answer. */
export interface RunStreamFieldError {
  path: string;
  message: string;
}

/**
 * Why a stream failed: an HTTP error answer (`httpStatus` set), an `error` envelope
 * (`envelope` set), or the client giving up (`code: 'network'` after `maxAttempts`).
 */
export interface RunStreamError {
  code: string;
  message: string;
  httpStatus?: number;
  fieldErrors?: RunStreamFieldError[];
  /** Milliseconds the server asked us to wait (429 `Retry-After`). */
  retryAfterMs?: number;
  /** The `error` envelope's payload when the run itself ended in error or was cancelled. */
  envelope?: Extract<EventEnvelope, { type: 'error' }>['data'];
}

/** Detail passed with a status change. */
export interface RunStreamStatusDetail {
  /** Set with `error` and `cancelled`, and with `reconnecting` to say what went wrong. */
  error?: RunStreamError;
  /** With `reconnecting`: the consecutive failed attempt count (1-based) and the wait before the next. */
  attempt?: number;
  delayMs?: number;
}

/** Something on the wire that was not a valid envelope. */
export interface RunStreamInvalid {
  kind: 'invalid_json' | 'invalid_envelope';
  /** The SSE `data` as received. */
  data: string;
  /** The SSE `id`, if any. */
  id?: string;
  /** zod's issues, for `invalid_envelope`. */
  issues?: unknown[];
}

export interface RetryOptions {
  /** Cap of the first wait, in ms. */
  initialMs: number;
  /** Largest cap, in ms. */
  maxMs: number;
  /** Consecutive failed attempts (the first included) after which the stream ends with `error`. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({ initialMs: 500, maxMs: 15_000, maxAttempts: 8 });

export interface RunStreamOptions<Result extends BlockingRunResult = BlockingRunResult> {
  /** `POST /api/runs` to start a run, or a run's `GET /api/runs/:id/events`. */
  url: string;
  method?: 'GET' | 'POST';
  /** JSON-serialised as the POST body. */
  body?: unknown;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Resume after this seq (envelopes at or below it are neither requested nor delivered). */
  lastEventId?: number;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Aborting it is the same as `close()`. */
  signal?: AbortSignal;
  /** Each new, valid envelope of a known type, in seq order, once. */
  onEnvelope: (envelope: EventEnvelope) => void;
  onStatus?: (status: RunStreamStatus, detail?: RunStreamStatusDetail) => void;
  /** Called once, as soon as the run id is known. */
  onRunId?: (runId: string) => void;
  onInvalid?: (invalid: RunStreamInvalid) => void;
  retry?: Partial<RetryOptions>;
  /** Drop and resume a connection that has received nothing (not even a heartbeat) for this long. 0 disables. */
  idleTimeoutMs?: number;
  /** Where to resume a run; defaults to `<…>/runs/:id/events` beside `url`. */
  eventsUrl?: (runId: string) => string;
  /** Blocking mode: the server ran the run without streaming; each progress report while it runs. */
  onProgress?: (progress: RunStreamProgress) => void;
  /** Blocking mode: the whole result (the server reducer's object), once, before the final status. */
  onResult?: (result: Result) => void;
  /** Blocking mode: how long each poll of the result may wait on the server (ms). */
  pollWaitMs?: number;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
}

/** A live stream. */
export interface RunStreamHandle {
  /** Stops reading and cancels any pending retry. Calls no callback. */
  close(): void;
  /** Skips a pending backoff wait, or drops the open connection and resumes it, at once. */
  reconnectNow(): void;
  /** Highest seq seen. */
  readonly lastSeq: number;
  /** The run id, once known. */
  readonly runId: string | undefined;
  /** The final status; `undefined` when closed before one was reached. */
  readonly finished: Promise<RunStreamStatus | undefined>;
}
