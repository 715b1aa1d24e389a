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
 *
 * This file holds the retry loop and the handle; one SSE attempt is `runStreamAttempt.ts`, one
 * blocking poll `runStreamPoll.ts`, the endpoints' answers `runResponses.ts` and the public types
 * `runStreamTypes.ts`.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { isTerminal, parseEnvelope } from './envelope';
import { defaultEventsUrl, type BlockingRunResult } from './runResponses';
import { sseAttempt } from './runStreamAttempt';
import { pollResult } from './runStreamPoll';
import { errorMessage, Interrupted, type AttemptResult, type StreamSession } from './runStreamSession';
import {
  DEFAULT_RETRY,
  type RetryOptions,
  type RunStreamError,
  type RunStreamHandle,
  type RunStreamOptions,
  type RunStreamStatus,
  type RunStreamStatusDetail,
} from './runStreamTypes';

export { defaultEventsUrl, parseRetryAfter, resultUrlOf, type BlockingRunResult } from './runResponses';
export * from './runStreamTypes';

const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
/** Short enough that a blocking run's progress moves about once a second. */
const DEFAULT_POLL_WAIT_MS = 1_000;

/** `sleep = random(0, min(cap, base * 2^attempt))`, attempt counted from 0. */
export function backoffDelay(attempt: number, retry: RetryOptions, random: () => number = Math.random): number {
  const cap = Math.min(retry.maxMs, retry.initialMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * cap);
}

/** Opens a run stream. See the module comment for what it guarantees. */
export function openRunStream<Result extends BlockingRunResult = BlockingRunResult>(options: RunStreamOptions<Result>): RunStreamHandle {
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

  const session: StreamSession = {
    options: options as RunStreamOptions<BlockingRunResult>,
    doFetch,
    idleTimeoutMs,
    pollWaitMs,
    get lastSeq() {
      return lastSeq;
    },
    set lastSeq(seq: number) {
      lastSeq = seq;
    },
    get runId() {
      return runId;
    },
    eventsUrl,
    live,
    emitStatus,
    learnRunId,
    handleEvent,
    markBlocking: () => (blocking = true),
  };

  /** One request: a poll of the result once the run is blocking, else an SSE read. */
  function attempt(controller: AbortController): Promise<AttemptResult> {
    return blocking ? pollResult(session, controller) : sseAttempt(session, controller);
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
