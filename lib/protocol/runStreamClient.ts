/**
 * The run stream client: reads a run's SSE stream over `fetch`, in the browser and in Node.
 *
 * Why not `EventSource`: it cannot POST (a chat run starts with `POST /api/runs` whose response
 * *is* the stream), cannot read an error body, and retries forever on its own schedule. This
 * client keeps what EventSource does well (resume with `Last-Event-ID`, the spec's parsing via
 * `eventsource-parser`) and adds what a run needs:
 *
 * - every `data` is validated with {@link parseEnvelope}; unknown types are skipped, invalid
 *   envelopes are reported through `onInvalid` and the stream goes on;
 * - envelopes are de-duplicated by `seq`, so a replay after a resume never repeats one;
 * - after any drop (network error, idle connection, a response that ends without the terminal
 *   envelope) it resumes on `GET <runs>/:id/events` with `Last-Event-ID: <last seq>`, even when
 *   the first request was the POST; the run id comes from `X-Run-Id` or the first envelope's
 *   `corrId`;
 * - backoff between attempts is exponential with full jitter (AWS Architecture Blog,
 *   "Exponential Backoff And Jitter": `sleep = random(0, min(cap, base * 2^attempt))`);
 * - a response that ends cleanly after making progress (the server closes streams after a
 *   maximum lifetime) is resumed at once and silently: no `reconnecting` status;
 * - it stops at the terminal envelope (`error`, or a `*.done` without `data.channel`) or a 204;
 * - a non-2xx response is read as `{error: {code, message, fieldErrors?}}` and reported: 4xx
 *   ends the stream, 5xx is retried; a 429 is retried after `Retry-After` when resuming, and ends
 *   the stream (with `retryAfterMs`, for the UI's countdown) when it refused to start a run;
 * - blocking mode: when the server answers the POST with `201 {mode: 'blocking'}` (streaming is
 *   off for this user), the client long-polls `GET <runs>/:id/result?waitMs=` instead. Each
 *   `202` reports progress (`onProgress`); the `200` hands over the whole result (`onResult`),
 *   the object the server's reducer built, and the status follows the result's ending. The
 *   status reads `waiting` meanwhile. Dropped polls are retried with the same backoff.
 *
 * Callbacks are never called synchronously from `openRunStream`, after `close()`, or after the
 * stream reached its final status.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { z } from 'zod';
import type { RunResult } from '../runs/reducer';
import { isTerminal, parseEnvelope, type EventEnvelope } from './envelope';

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

export interface RunStreamOptions {
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
  /** Blocking mode: the whole result, once, before the final status. */
  onResult?: (result: RunResult) => void;
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

const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
/** Short enough that a blocking run's progress moves about once a second. */
const DEFAULT_POLL_WAIT_MS = 1_000;

/** Builds `<prefix>/runs/:id/events` from a `…/runs` URL, else `/api/runs/:id/events` on the same origin. */
export function defaultEventsUrl(url: string, runId: string): string {
  const base = url.split(/[?#]/)[0] ?? url;
  const id = encodeURIComponent(runId);
  const runs = /^(.*\/runs)(?:\/[^/]+\/events)?\/?$/.exec(base);
  if (runs?.[1]) return `${runs[1]}/${id}/events`;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.exec(base)?.[0] ?? '';
  return `${origin}/api/runs/${id}/events`;
}

/** `<…>/runs/:id/result`, beside the events URL. */
export function resultUrlOf(eventsUrl: string): string {
  return eventsUrl.replace(/\/events$/, '/result');
}

/** The POST's answer when the run is delivered blocking. */
const blockingStartSchema = z.object({ runId: z.string().min(1), mode: z.literal('blocking') });

/**
 * The result URL's answers. The result is the server reducer's object: its outer shape is checked
 * here, its contents are what the server folded from validated envelopes.
 */
const resultAnswerSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('done'),
    runId: z.string(),
    result: z.looseObject({ status: z.enum(['running', 'done', 'error', 'cancelled']), lastSeq: z.number(), generations: z.record(z.string(), z.unknown()) }),
  }),
  z.object({
    state: z.literal('running'),
    runId: z.string(),
    progress: z.object({ lastSeq: z.number(), statusMessage: z.string().optional(), tokenCount: z.number(), elapsedMs: z.number() }),
  }),
]);

/** `sleep = random(0, min(cap, base * 2^attempt))`, attempt counted from 0. */
export function backoffDelay(attempt: number, retry: RetryOptions, random: () => number = Math.random): number {
  const cap = Math.min(retry.maxMs, retry.initialMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * cap);
}

/** `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads an error answer `{error: {code, message, fieldErrors?}}`, tolerating any other body. */
async function readHttpError(response: Response): Promise<RunStreamError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `Request failed with status ${response.status}`;
  let fieldErrors: RunStreamFieldError[] | undefined;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; fieldErrors?: unknown } };
    if (typeof body?.error?.code === 'string') code = body.error.code;
    if (typeof body?.error?.message === 'string') message = body.error.message;
    if (Array.isArray(body?.error?.fieldErrors)) {
      fieldErrors = body.error.fieldErrors.filter(
        (f): f is RunStreamFieldError => typeof f?.path === 'string' && typeof f?.message === 'string',
      );
    }
  } catch {
    // Not JSON: keep the status line.
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return { code, message, httpStatus: response.status, fieldErrors, retryAfterMs };
}

/** How one request ended: cleanly without the terminal envelope, at the final status, or in a retryable failure. */
type AttemptResult =
  | { outcome: 'ended' }
  | { outcome: 'final' }
  | { outcome: 'failed'; error: RunStreamError; waitMs?: number; progressed: boolean };

/** Signals that a wait or a read was interrupted on purpose; never escapes this module. */
class Interrupted extends Error {}

/** Opens a run stream. See the module comment for what it guarantees. */
export function openRunStream(options: RunStreamOptions): RunStreamHandle {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const eventsUrl = options.eventsUrl ?? ((id: string) => defaultEventsUrl(options.url, id));
  const pollWaitMs = options.pollWaitMs ?? DEFAULT_POLL_WAIT_MS;

  let lastSeq = options.lastEventId ?? 0;
  let runId: string | undefined;
  /** Set once the server said the run is delivered blocking. */
  let blocking = false;
  let closed = false;
  let final: RunStreamStatus | undefined;
  let status: RunStreamStatus | undefined;
  /** Aborts the request in flight (or the backoff wait). */
  let attemptController: AbortController | undefined;
  let skipWait: (() => void) | undefined;

  let resolveFinished!: (status: RunStreamStatus | undefined) => void;
  const finished = new Promise<RunStreamStatus | undefined>((resolve) => (resolveFinished = resolve));

  const live = () => !closed && final === undefined;

  function emitStatus(next: RunStreamStatus, detail?: RunStreamStatusDetail): void {
    if (!live()) return;
    if (next === 'done' || next === 'error' || next === 'cancelled') {
      final = next;
      options.onStatus?.(next, detail);
      resolveFinished(next);
      attemptController?.abort();
      return;
    }
    if (next === status && next !== 'reconnecting') return;
    status = next;
    options.onStatus?.(next, detail);
  }

  function learnRunId(id: string | null | undefined): void {
    if (!id || runId !== undefined) return;
    runId = id;
    options.onRunId?.(id);
  }

  /** Handles one SSE event; returns true when it was a new envelope (progress). */
  function handleEvent(event: EventSourceMessage): boolean {
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      options.onInvalid?.({ kind: 'invalid_json', data: event.data, id: event.id });
      advancePastId(event.id);
      return false;
    }
    const parsed = parseEnvelope(json);
    if (!parsed.ok) {
      if (parsed.kind === 'unknown_type') {
        // Readers skip types they do not know, but remember having seen them.
        if (parsed.seq !== undefined && parsed.seq > lastSeq) lastSeq = parsed.seq;
        return false;
      }
      options.onInvalid?.({ kind: 'invalid_envelope', data: event.data, id: event.id, issues: parsed.issues });
      advancePastId(event.id);
      return false;
    }
    const envelope = parsed.envelope;
    learnRunId(envelope.corrId);
    if (envelope.seq <= lastSeq) return false;
    lastSeq = envelope.seq;
    options.onEnvelope(envelope);
    if (isTerminal(envelope)) {
      if (envelope.type === 'error') {
        const error: RunStreamError = { code: envelope.data.code, message: envelope.data.message, envelope: envelope.data };
        emitStatus(envelope.data.code === 'cancelled' ? 'cancelled' : 'error', { error });
      } else {
        emitStatus('done');
      }
    }
    return true;
  }

  /** An invalid event still moves the stream on, so a resume does not ask for it again. */
  function advancePastId(id: string | undefined): void {
    if (id !== undefined && /^\d+$/.test(id)) lastSeq = Math.max(lastSeq, Number(id));
  }

  /** One poll of a blocking run's result URL. */
  async function poll(controller: AbortController): Promise<AttemptResult> {
    const url = `${resultUrlOf(eventsUrl(runId!))}?waitMs=${pollWaitMs}`;
    let response: Response;
    let body: unknown;
    try {
      response = await doFetch(url, { headers: { Accept: 'application/json', ...options.headers }, signal: controller.signal, cache: 'no-store' });
      if (!response.ok) {
        const error = await readHttpError(response);
        if (response.status === 429 || response.status >= 500) return { outcome: 'failed', error, waitMs: error.retryAfterMs, progressed: false };
        emitStatus('error', { error });
        return { outcome: 'final' };
      }
      body = await response.json();
    } catch (cause) {
      if (controller.signal.aborted) throw new Interrupted();
      return { outcome: 'failed', error: { code: 'network', message: errorMessage(cause) }, progressed: false };
    }
    const answer = resultAnswerSchema.safeParse(body);
    if (!answer.success) {
      emitStatus('error', { error: { code: 'bad_response', message: 'The result URL answered with something that is not a run result', httpStatus: response.status } });
      return { outcome: 'final' };
    }
    if (answer.data.state === 'running') {
      emitStatus('waiting');
      if (live()) options.onProgress?.(answer.data.progress);
      return { outcome: 'ended' };
    }
    const result = answer.data.result as unknown as RunResult;
    lastSeq = Math.max(lastSeq, result.lastSeq);
    if (live()) options.onResult?.(result);
    if (result.status === 'done' || result.status === 'running') emitStatus('done');
    else {
      const envelope = result.error;
      const error: RunStreamError = envelope
        ? { code: envelope.code, message: envelope.message, envelope }
        : { code: result.status, message: result.status === 'cancelled' ? 'The run was cancelled.' : 'The run failed.' };
      emitStatus(result.status, { error });
    }
    return { outcome: 'final' };
  }

  /** One request, read to its end. */
  async function attempt(controller: AbortController): Promise<AttemptResult> {
    if (blocking) return poll(controller);
    const useEvents = runId !== undefined || options.method !== 'POST';
    const url = runId !== undefined ? eventsUrl(runId) : options.url;
    const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers };
    if (lastSeq > 0) headers['Last-Event-ID'] = String(lastSeq);
    const init: RequestInit = { method: useEvents ? 'GET' : 'POST', headers, signal: controller.signal, cache: 'no-store' };
    if (!useEvents) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body ?? {});
    }

    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (cause) {
      if (controller.signal.aborted) throw new Interrupted();
      return { outcome: 'failed', error: { code: 'network', message: errorMessage(cause) }, progressed: false };
    }

    learnRunId(response.headers.get('x-run-id'));

    if (response.status === 204) {
      await response.body?.cancel().catch(() => {});
      emitStatus('done');
      return { outcome: 'final' };
    }
    if (!response.ok) {
      const error = await readHttpError(response);
      // A refused start is the user's to retry (after the countdown); a refused resume waits and retries.
      if (response.status === 429 && useEvents) return { outcome: 'failed', error, waitMs: error.retryAfterMs, progressed: false };
      if (response.status >= 500) return { outcome: 'failed', error, progressed: false };
      emitStatus('error', { error });
      return { outcome: 'final' };
    }
    const contentType = response.headers.get('content-type');
    if (!useEvents && contentType?.includes('application/json')) {
      const start = blockingStartSchema.safeParse(await response.json().catch(() => null));
      if (start.success) {
        learnRunId(start.data.runId);
        blocking = true;
        emitStatus('waiting');
        return { outcome: 'ended' };
      }
      emitStatus('error', { error: { code: 'bad_response', message: 'Expected an event stream or a blocking run, got other JSON', httpStatus: response.status } });
      return { outcome: 'final' };
    }
    if (!response.body || (contentType && !contentType.includes('text/event-stream'))) {
      await response.body?.cancel().catch(() => {});
      emitStatus('error', {
        error: { code: 'bad_response', message: `Expected an event stream, got ${contentType ?? 'no body'}`, httpStatus: response.status },
      });
      return { outcome: 'final' };
    }

    emitStatus('streaming');
    let progressed = false;
    const parser = createParser({
      onEvent: (event) => {
        if (!live()) return;
        if (handleEvent(event)) progressed = true;
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let idled = false;
    // One timer for the whole stream, not one per chunk (a fast model sends hundreds a second):
    // a chunk only notes the time, and the timer, when it fires early, waits out the rest.
    let lastChunkAt = performance.now();
    const checkIdle = () => {
      const quietMs = performance.now() - lastChunkAt;
      if (quietMs < idleTimeoutMs) {
        idleTimer = setTimeout(checkIdle, idleTimeoutMs - quietMs);
        return;
      }
      idled = true;
      void reader.cancel().catch(() => {});
    };
    const armIdle = () => {
      if (idleTimeoutMs <= 0) return;
      lastChunkAt = performance.now();
      idleTimer ??= setTimeout(checkIdle, idleTimeoutMs);
    };
    // Every fetch errors the body on abort, but not every fetch-like function does: cancel the read too.
    const cancelRead = () => void reader.cancel().catch(() => {});
    controller.signal.addEventListener('abort', cancelRead, { once: true });
    try {
      armIdle();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdle();
        parser.feed(decoder.decode(value, { stream: true }));
        if (!live()) break;
      }
      parser.feed(decoder.decode());
    } catch (cause) {
      if (!live()) return { outcome: 'final' };
      if (controller.signal.aborted) throw new Interrupted();
      return { outcome: 'failed', error: { code: 'network', message: errorMessage(cause) }, progressed };
    } finally {
      clearTimeout(idleTimer);
      controller.signal.removeEventListener('abort', cancelRead);
      reader.releaseLock();
    }
    if (!live()) {
      controller.abort();
      return { outcome: 'final' };
    }
    if (controller.signal.aborted) throw new Interrupted();
    if (idled) return { outcome: 'failed', error: { code: 'idle', message: 'The stream went quiet' }, progressed };
    // Ended without the terminal envelope: the server's lifetime limit, a proxy, a restart.
    if (progressed) return { outcome: 'ended' };
    return { outcome: 'failed', error: { code: 'ended', message: 'The stream ended before the run did' }, progressed };
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        skipWait = undefined;
        resolve();
      }
      skipWait = done;
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    emitStatus('connecting');
    while (live()) {
      const controller = new AbortController();
      attemptController = controller;
      let result: AttemptResult;
      try {
        result = await attempt(controller);
      } catch (error) {
        if (!(error instanceof Interrupted)) throw error;
        if (!live()) return;
        // reconnectNow(): resume immediately.
        emitStatus('reconnecting', { attempt: failures, delayMs: 0 });
        continue;
      }
      if (result.outcome === 'final' || !live()) return;
      if (result.outcome === 'ended') {
        failures = 0;
        continue;
      }
      if (result.progressed) failures = 0;
      // The POST is not idempotent: without a run id, repeat it only when the server answered that
      // it did nothing (5xx, 429); after a network error the run may exist, unreachable.
      if (options.method === 'POST' && runId === undefined && result.error.httpStatus === undefined) {
        emitStatus('error', { error: result.error });
        return;
      }
      failures += 1;
      if (failures >= retry.maxAttempts) {
        emitStatus('error', { error: result.error });
        return;
      }
      const delayMs = Math.max(result.waitMs ?? 0, backoffDelay(failures - 1, retry, random));
      emitStatus('reconnecting', { error: result.error, attempt: failures, delayMs });
      await wait(delayMs);
    }
  }

  const onAbort = () => handle.close();
  const handle: RunStreamHandle = {
    close() {
      if (closed) return;
      closed = true;
      options.signal?.removeEventListener('abort', onAbort);
      attemptController?.abort();
      skipWait?.();
      resolveFinished(final);
    },
    reconnectNow() {
      if (!live()) return;
      if (skipWait) skipWait();
      else attemptController?.abort();
    },
    get lastSeq() {
      return lastSeq;
    },
    get runId() {
      return runId;
    },
    finished,
  };

  if (options.signal?.aborted) {
    closed = true;
    resolveFinished(undefined);
    return handle;
  }
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Started in a microtask so that no callback runs before the caller holds the handle.
  void Promise.resolve()
    .then(run)
    .catch((error: unknown) => emitStatus('error', { error: { code: 'client', message: errorMessage(error) } }))
    .finally(() => {
      options.signal?.removeEventListener('abort', onAbort);
      resolveFinished(final);
    });
  return handle;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
