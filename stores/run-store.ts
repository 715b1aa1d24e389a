/**
 * The run store: one run's live state in the browser, as a vanilla zustand store.
 *
 * `startRun({kind, input})` POSTs a run of any kind (`start(input)` is the chat console's
 * shorthand for a `chat` run) and reads its stream with the run stream client; envelopes go through a
 * {@link TokenAnimator} and are folded by the shared reducer once per step of the page's stream
 * clock (an animation frame every 50 ms, shared by every store on the page: `stream-frames.ts`).
 * Each batch appends one {@link TextSegment} (the batch's tokens joined once) to `answer` /
 * `reasoning`, so the view appends a span per step instead of re-rendering the whole text, and no string grows
 * by repeated concatenation. `result` is a shallow snapshot of the reducer's accumulator taken
 * after each batch: its chunk arrays are shared and append-only, so read the text from the
 * segments (or `generationText`) rather than holding on to them.
 *
 * Grover runs are folded into `grover` (see `grover-view.ts`): the model's text as one segment
 * per batch and iteration, and the programs as an array whose entries change identity only when
 * their own result arrives, so a card re-renders when it is graded, not on every frame.
 * Saturn runs are folded into `saturn` (see `saturn-view.ts`) the same way: text per phase as one
 * segment per batch, steps and images as append-only arrays that change only when one arrives.
 * Analysis runs are folded into `analysis` (see `analysis-view.ts`): the raw text and reasoning as
 * segments, the result fields with a pending / partial / complete state each, tool calls and checks.
 *
 * Timing is measured here, on the client: time to first token from the moment `start()` sent the
 * request to the arrival of the first token (answer, reasoning or Grover text), and answer tokens per second
 * over the time since the first answer token, live while streaming and frozen at the end.
 *
 * Blocking delivery (the `streaming` flag is off for this user): the server answers the POST with
 * `mode: 'blocking'`, the status reads `waiting` with `progress` moving about once a second, and
 * then the whole result arrives at once: `result` is the server reducer's object and the views
 * are built from it (`run-result-views.ts`), so the panes show what streaming would have shown.
 *
 * `stop()` asks the server to cancel (`POST /api/runs/:id/cancel`, which stops the model call),
 * waits briefly for the stream's own `cancelled` ending, then closes the stream regardless.
 *
 * No global instance: the provider (`run-store-provider.tsx`) creates one per mounted console.
 */
import { createStore } from 'zustand/vanilla';
import { isSteerChannel, steerViewOf, type SteerInput, type SteerView } from '@/lib/kinds/steer';
import { LOG_GAP_CODE, type EventEnvelope } from '@/lib/protocol/envelope';
import {
  openRunStream,
  type RetryOptions,
  type RunStreamError,
  type RunStreamFieldError,
  type RunStreamHandle,
  type RunStreamProgress,
  type RunStreamStatus,
} from '@/lib/protocol/runStreamClient';
import { applyEnvelope, createRunResult, MAIN_CHANNEL, type RunResult } from '@/lib/runs/reducer';
import { createAnalysisViewTracker, type AnalysisView } from './analysis-view';
import { createGroverViewTracker, type GroverView } from './grover-view';
import { viewsOfResult } from './run-result-views';
import { createSaturnViewTracker, type SaturnView } from './saturn-view';
import { pageStreamFrames } from './stream-frames';
import { createTokenAnimator, type FrameScheduler, type TokenAnimator } from './token-animator';

/** `idle` before the first start and after `clear()`; otherwise the stream client's status. */
export type RunConnectionStatus = 'idle' | RunStreamStatus;

/** One appended piece of text; `id` is a stable React key. */
export interface TextSegment {
  id: number;
  text: string;
}

export interface ChatRunInput {
  prompt: string;
  model: string;
}

/** What `POST /api/runs` takes for a Grover run (the server fills in the defaults). */
export interface GroverRunInput {
  taskId: string;
  model: string;
  /** 1-10; the server's default is 3. */
  iterations?: number;
  /** 1-8; the server's default is 4. */
  programsPerIteration?: number;
  temperature?: number;
  /** Pace of the embedded engine (`local:*` models); 0 is instant. */
  tokensPerSecond?: number;
}

/** What `POST /api/runs` takes for a Saturn run. */
export interface SaturnRunInput {
  taskId: string;
  model: string;
  /** Pace of the embedded engine (`local:*` models); 0 is instant. */
  tokensPerSecond?: number;
}

/** What `POST /api/runs` takes for a puzzle analysis. */
export interface AnalysisRunInput {
  taskId: string;
  model: string;
  temperature?: number;
  /** Pace of the embedded engine (`local:*` models); 0 is instant. */
  tokensPerSecond?: number;
  /** Run the enrichment passes after the answer (the server's default is yes). */
  enrichments?: boolean;
}

/** A run the store can start: the `POST /api/runs` body. Add a member per new run kind. */
export type RunRequest =
  | { kind: 'chat'; input: ChatRunInput }
  | { kind: 'grover'; input: GroverRunInput }
  | { kind: 'saturn'; input: SaturnRunInput }
  | { kind: 'analysis'; input: AnalysisRunInput }
  | { kind: 'steer'; input: SteerInput };

export type RunKind = RunRequest['kind'];

export interface RunTiming {
  /** Client clock (ms) when the request was sent. */
  startedAt?: number;
  /** Time to first token, from request start. */
  ttftMs?: number;
  /** Tokens per second since the first token. */
  tokensPerSecond?: number;
  /** From request start to now (while streaming) or to the end. */
  elapsedMs?: number;
}

/** What went wrong, ready to show: HTTP error answers, `error` envelopes, network failures. */
export interface RunError {
  code: string;
  message: string;
  httpStatus?: number;
  fieldErrors?: RunStreamFieldError[];
  /** `cancelled` runs carry why (`user`, `timeout`, ...). */
  reason?: string;
  /** A 429: how long the server asked to wait before trying again. */
  retryAfterMs?: number;
}

/** How the current run reaches the browser: envelope by envelope, or whole at the end. */
export type RunDelivery = 'streaming' | 'blocking';

export interface RunState {
  status: RunConnectionStatus;
  runId: string | null;
  /** The request of the current run, of any kind. */
  request: RunRequest | null;
  /** The chat input when the current run is a chat (what the chat console reads); null otherwise. */
  input: ChatRunInput | null;
  /** Snapshot of the reducer's result after the latest batch. */
  result: RunResult;
  /** The main generation's answer, one segment per batch. */
  answer: TextSegment[];
  /** The main generation's reasoning, one segment per batch. */
  reasoning: TextSegment[];
  /** A Grover run's live view; null until its first `grover.*` envelope. */
  grover: GroverView | null;
  /** A Saturn run's live view (see `saturn-view.ts`); null until its first `saturn.*` envelope. */
  saturn: SaturnView | null;
  /** An analysis run's live view (see `analysis-view.ts`); null until its first `analysis.*` envelope. */
  analysis: AnalysisView | null;
  /**
   * The generation slice of a steering run: per channel (`default`, `steered`) its text, tokens
   * with logprobs and alternatives, and feature activations; a new identity per applied batch
   * (one per animation frame); null until the first envelope of a steer channel.
   */
  steer: SteerView | null;
  /** Text tokens so far: the main generation's, plus the Grover model's. */
  tokenCount: number;
  timing: RunTiming;
  error: RunError | null;
  /** Envelopes that failed validation (the stream went on without them). */
  invalidCount: number;
  /** The view is frozen; envelopes keep arriving and are applied on resume. */
  paused: boolean;
  /** A stop was requested and the run has not ended yet. */
  stopping: boolean;
  /** Known once the server answered the start; null before. */
  delivery: RunDelivery | null;
  /** A blocking run's progress while it runs; null when streaming. */
  progress: RunStreamProgress | null;
  /** What each `log_gap` notice said: events the run's log no longer held when this reader resumed. */
  logGaps: string[];

  /** Starts a chat run: `startRun({ kind: 'chat', input })`. */
  start(input: ChatRunInput): void;
  /** Starts a run of any kind, replacing (and cancelling) the current one. */
  startRun(request: RunRequest): void;
  stop(): Promise<void>;
  /** Forgets the run (closing its stream, if any) and returns to `idle`. */
  clear(): void;
  pause(): void;
  resume(): void;
  /** Resumes a dropped stream now instead of after its backoff. */
  reconnect(): void;
  /** Closes the stream without cancelling the run (the page is going away). */
  detach(): void;
}

export interface RunStoreOptions {
  /** Prefix of the API, e.g. `http://localhost:3000`; empty for same-origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Monotonic clock in ms; defaults to `performance.now()`. */
  now?: () => number;
  /** When batches of envelopes are applied; defaults to the page's stream clock (see stream-frames.ts). */
  scheduler?: FrameScheduler;
  retry?: Partial<RetryOptions>;
  /** How long `stop()` waits for the stream's own ending before closing it. */
  stopGraceMs?: number;
}

export type RunStore = ReturnType<typeof createRunStore>;

const FINAL: ReadonlySet<RunConnectionStatus> = new Set(['done', 'error', 'cancelled']);
/** Below this span a rate is noise (two tokens in one packet read as thousands per second). */
const MIN_RATE_SPAN_MS = 250;

/** Whether a run in this status is over (or never started). */
export function isSettled(status: RunConnectionStatus): boolean {
  return status === 'idle' || FINAL.has(status);
}

function initialData() {
  return {
    status: 'idle' as RunConnectionStatus,
    runId: null,
    request: null,
    input: null,
    result: createRunResult(),
    answer: [],
    reasoning: [],
    grover: null,
    saturn: null,
    analysis: null,
    steer: null,
    tokenCount: 0,
    timing: {},
    error: null,
    invalidCount: 0,
    paused: false,
    stopping: false,
    delivery: null,
    progress: null,
    logGaps: [],
  } satisfies Partial<RunState>;
}

function toRunError(error: RunStreamError): RunError {
  return {
    code: error.code,
    message: error.message,
    httpStatus: error.httpStatus,
    fieldErrors: error.fieldErrors,
    reason: error.envelope?.reason,
    retryAfterMs: error.retryAfterMs,
  };
}

/** A new identity for the result and the generations a batch touched; arrays are shared. */
function snapshotResult(result: RunResult): RunResult {
  const generations: RunResult['generations'] = {};
  for (const [channel, generation] of Object.entries(result.generations)) generations[channel] = { ...generation };
  return { ...result, generations, statusCodes: [...result.statusCodes], ...(result.grover ? { grover: { ...result.grover } } : {}), ...(result.saturn ? { saturn: { ...result.saturn } } : {}) };
}

export function createRunStore(options: RunStoreOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const now = options.now ?? (() => performance.now());
  const stopGraceMs = options.stopGraceMs ?? 2000;

  // Per-run working state, outside React: the stream, the accumulator, the clocks.
  let handle: RunStreamHandle | undefined;
  let accumulator = createRunResult();
  let animator: TokenAnimator<EventEnvelope> | undefined;
  let nextSegmentId = 1;
  /** First token of any kind (answer or reasoning): time to first token. */
  let firstTokenAt: number | undefined;
  /** First and latest answer tokens: tokens per second. */
  let firstAnswerAt: number | undefined;
  let lastTokenAt: number | undefined;
  let endedAt: number | undefined;
  let tokensArrived = 0;
  let cancelOnRunId = false;
  let groverTracker = createGroverViewTracker();
  let saturnTracker = createSaturnViewTracker();
  let analysisTracker = createAnalysisViewTracker();

  const store = createStore<RunState>()((set, get) => {
    function timing(): RunTiming {
      const startedAt = get().timing.startedAt;
      if (startedAt === undefined) return {};
      const end = endedAt ?? now();
      const t: RunTiming = { startedAt, elapsedMs: Math.max(0, end - startedAt) };
      if (firstTokenAt !== undefined) {
        t.ttftMs = Math.max(0, firstTokenAt - startedAt);
      }
      if (firstAnswerAt !== undefined) {
        const span = (lastTokenAt ?? end) - firstAnswerAt;
        if (span >= MIN_RATE_SPAN_MS) t.tokensPerSecond = tokensArrived / (span / 1000);
      }
      return t;
    }

    function applyBatch(batch: EventEnvelope[]): void {
      const answerParts: string[] = [];
      const reasoningParts: string[] = [];
      const groverEnvelopes: EventEnvelope[] = [];
      const saturnEnvelopes: EventEnvelope[] = [];
      const analysisEnvelopes: EventEnvelope[] = [];
      const gapNotices: string[] = [];
      let steerTouched = false;
      for (const envelope of batch) {
        if (!applyEnvelope(accumulator, envelope)) continue;
        if (envelope.type.startsWith('gen.') && isSteerChannel((envelope.data as { channel?: string }).channel)) steerTouched = true;
        if (envelope.type === 'status' && envelope.data.code === LOG_GAP_CODE) gapNotices.push(envelope.data.message ?? 'Part of the run is no longer in its log.');
        if (envelope.type === 'gen.token' && (envelope.data.channel ?? MAIN_CHANNEL) === MAIN_CHANNEL) {
          answerParts.push(envelope.data.token);
        } else if (envelope.type === 'gen.reasoning' && (envelope.data.channel ?? MAIN_CHANNEL) === MAIN_CHANNEL) {
          reasoningParts.push(envelope.data.text);
        } else if (envelope.type.startsWith('grover.')) {
          groverEnvelopes.push(envelope);
        } else if (envelope.type.startsWith('saturn.')) {
          saturnEnvelopes.push(envelope);
        } else if (envelope.type.startsWith('analysis.')) {
          analysisEnvelopes.push(envelope);
        }
      }
      const state = get();
      const answer = answerParts.length > 0 ? [...state.answer, { id: nextSegmentId++, text: answerParts.join('') }] : state.answer;
      const reasoning =
        reasoningParts.length > 0 ? [...state.reasoning, { id: nextSegmentId++, text: reasoningParts.join('') }] : state.reasoning;
      const grover =
        groverEnvelopes.length > 0 && accumulator.grover
          ? groverTracker.update(state.grover, accumulator.grover, groverEnvelopes, () => nextSegmentId++)
          : state.grover;
      const saturn = saturnEnvelopes.length > 0 ? saturnTracker.update(state.saturn, saturnEnvelopes, () => nextSegmentId++) : state.saturn;
      const analysis =
        analysisEnvelopes.length > 0 && accumulator.analysis
          ? analysisTracker.update(state.analysis, accumulator.analysis, analysisEnvelopes, () => nextSegmentId++)
          : state.analysis;
      set({
        result: snapshotResult(accumulator),
        answer,
        reasoning,
        grover,
        saturn,
        analysis,
        ...(steerTouched && accumulator.steer ? { steer: steerViewOf(accumulator.steer) } : {}),
        tokenCount: (accumulator.generations[MAIN_CHANNEL]?.tokenCount ?? 0) + (grover?.tokenCount ?? 0) + (analysis?.tokenCount ?? 0) + (saturn?.tokenCount ?? 0),
        timing: timing(),
        ...(gapNotices.length > 0 ? { logGaps: [...state.logGaps, ...gapNotices] } : {}),
      });
    }

    function onArrival(envelope: EventEnvelope): void {
      if (envelope.type === 'gen.token' || envelope.type === 'gen.reasoning' || envelope.type === 'grover.token' || envelope.type === 'saturn.token' || envelope.type === 'analysis.token') {
        const at = now();
        firstTokenAt ??= at;
        if (envelope.type !== 'gen.reasoning') {
          firstAnswerAt ??= at;
          tokensArrived += 1;
          lastTokenAt = at;
        }
      }
      animator?.push(envelope);
    }

    /** Blocking delivery: the server's folded result, shown whole. */
    function applyWholeResult(result: RunResult): void {
      accumulator = result;
      const views = viewsOfResult(result, () => nextSegmentId++);
      const at = now();
      if (views.tokenCount > 0) firstTokenAt ??= at;
      set({
        result: snapshotResult(result),
        answer: views.answer,
        reasoning: views.reasoning,
        grover: views.grover,
        saturn: views.saturn,
        analysis: views.analysis,
        steer: result.steer ? steerViewOf(result.steer) : null,
        tokenCount: views.tokenCount,
        progress: null,
        timing: timing(),
      });
    }

    function postCancel(runId: string): void {
      void doFetch(`${baseUrl}/api/runs/${encodeURIComponent(runId)}/cancel`, {
        method: 'POST',
        headers: { Accept: 'application/json' },
      }).catch(() => {
        // The stream still ends (or stop() closes it); nothing more to do.
      });
    }

    /** Drops the current run's stream and working state. */
    function teardown(): void {
      handle?.close();
      handle = undefined;
      animator?.clear();
      animator = undefined;
      accumulator = createRunResult();
      firstTokenAt = firstAnswerAt = lastTokenAt = endedAt = undefined;
      tokensArrived = 0;
      cancelOnRunId = false;
      groverTracker = createGroverViewTracker();
      saturnTracker = createSaturnViewTracker();
      analysisTracker = createAnalysisViewTracker();
    }

    return {
      ...initialData(),

      start(input) {
        get().startRun({ kind: 'chat', input });
      },

      startRun(request) {
        const previous = handle;
        if (previous && !isSettled(get().status) && previous.runId) postCancel(previous.runId);
        teardown();

        const runAnimator = createTokenAnimator<EventEnvelope>({ flush: applyBatch, scheduler: options.scheduler ?? pageStreamFrames() });
        animator = runAnimator;
        set({
          ...initialData(),
          status: 'connecting',
          request,
          input: request.kind === 'chat' ? request.input : null,
          timing: { startedAt: now() },
        });

        const runHandle = openRunStream({
          url: `${baseUrl}/api/runs`,
          method: 'POST',
          body: request,
          fetch: doFetch,
          retry: options.retry,
          onEnvelope: onArrival,
          onProgress: (progress) => {
            if (handle === runHandle) set({ progress });
          },
          onResult: (result) => {
            if (handle === runHandle) applyWholeResult(result);
          },
          onRunId: (runId) => {
            if (handle !== runHandle) return;
            set({ runId });
            if (cancelOnRunId) postCancel(runId);
          },
          onInvalid: () => {
            if (handle === runHandle) set((s) => ({ invalidCount: s.invalidCount + 1 }));
          },
          onStatus: (status, detail) => {
            if (handle !== runHandle) return;
            if (!FINAL.has(status)) {
              if (status === 'waiting') set({ status, delivery: 'blocking' });
              else if (status === 'streaming') set({ status, delivery: 'streaming' });
              else set({ status });
              return;
            }
            endedAt = now();
            runAnimator.flushNow();
            set({
              status,
              stopping: false,
              error: status === 'done' ? null : detail?.error ? toRunError(detail.error) : null,
              timing: timing(),
            });
          },
        });
        handle = runHandle;
      },

      async stop() {
        const runHandle = handle;
        if (!runHandle || isSettled(get().status)) return;
        set({ stopping: true });
        if (runHandle.runId) postCancel(runHandle.runId);
        else cancelOnRunId = true;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const ending = await Promise.race([
          runHandle.finished,
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), stopGraceMs))),
        ]);
        clearTimeout(timer);
        if (handle !== runHandle || ending !== 'timeout') return;
        // The server did not confirm in time: stop listening and call it cancelled here.
        runHandle.close();
        endedAt = now();
        animator?.flushNow();
        set({ status: 'cancelled', stopping: false, timing: timing() });
      },

      clear() {
        teardown();
        set(initialData());
      },

      pause() {
        animator?.pause();
        set({ paused: true });
      },

      resume() {
        set({ paused: false });
        animator?.resume();
      },

      reconnect() {
        if (handle && !isSettled(get().status)) handle.reconnectNow();
      },

      detach() {
        handle?.close();
        handle = undefined;
        animator?.clear();
      },
    };
  });

  return store;
}
