/**
 * The run store's transport slice: starting a run (`POST /api/runs`), reading its stream with the
 * run stream client (or waiting for a blocking answer), the connection's status, stopping
 * (`POST /api/runs/:id/cancel`, which stops the model call; then a brief wait for the stream's
 * own `cancelled` ending before closing it regardless), reconnecting and detaching.
 *
 * Envelopes it receives go to the timing clock and the views slice's working state
 * ({@link RunViews}); it knows no kind beyond the request's `kind`.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { RunInput, RunRequestInput } from '@/lib/kinds';
import {
  openRunStream,
  type RetryOptions,
  type RunStreamError,
  type RunStreamFieldError,
  type RunStreamHandle,
  type RunStreamProgress,
  type RunStreamStatus,
} from '@/lib/protocol/runStreamClient';
import type { RunResult } from '@/lib/runs/reducer';
import { initialViews, type RunViews, type ViewsSlice } from './run-views-slice';
import type { RunClock, TimingSlice } from './run-timing-slice';

/** `idle` before the first start and after `clear()`; otherwise the stream client's status. */
export type RunConnectionStatus = 'idle' | RunStreamStatus;

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

export interface TransportSlice {
  status: RunConnectionStatus;
  runId: string | null;
  /** The request of the current run, of any kind. */
  request: RunRequestInput | null;
  /** The chat input when the current run is a chat (what the chat console reads); null otherwise. */
  input: RunInput<'chat'> | null;
  error: RunError | null;
  /** Envelopes that failed validation (the stream went on without them). */
  invalidCount: number;
  /** A stop was requested and the run has not ended yet. */
  stopping: boolean;
  /** Known once the server answered the start; null before. */
  delivery: RunDelivery | null;
  /** A blocking run's progress while it runs; null when streaming. */
  progress: RunStreamProgress | null;

  /** Starts a chat run: `startRun({ kind: 'chat', input })`. */
  start(input: RunInput<'chat'>): void;
  /** Starts a run of any kind, replacing (and cancelling) the current one. */
  startRun(request: RunRequestInput): void;
  stop(): Promise<void>;
  /** Forgets the run (closing its stream, if any) and returns to `idle`. */
  clear(): void;
  /** Resumes a dropped stream now instead of after its backoff. */
  reconnect(): void;
  /** Closes the stream without cancelling the run (the page is going away). */
  detach(): void;
}

export interface TransportOptions {
  /** Prefix of the API, e.g. `http://localhost:3000`; empty for same-origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryOptions>;
  /** How long `stop()` waits for the stream's own ending before closing it. */
  stopGraceMs?: number;
}

const FINAL: ReadonlySet<RunConnectionStatus> = new Set(['done', 'error', 'cancelled']);

/** Whether a run in this status is over (or never started). */
export function isSettled(status: RunConnectionStatus): boolean {
  return status === 'idle' || FINAL.has(status);
}

type TransportData = Omit<TransportSlice, 'start' | 'startRun' | 'stop' | 'clear' | 'reconnect' | 'detach'>;

function initialTransport(): TransportData {
  return { status: 'idle', runId: null, request: null, input: null, error: null, invalidCount: 0, stopping: false, delivery: null, progress: null };
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

type Combined = TransportSlice & ViewsSlice & TimingSlice;

export function createTransportSlice<State extends Combined>(
  options: TransportOptions & { clock: RunClock; views: () => RunViews },
): StateCreator<State, [], [], TransportSlice> {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const stopGraceMs = options.stopGraceMs ?? 2000;
  const { clock } = options;

  return (setState, get) => {
    const set = (partial: Partial<Combined> | ((state: State) => Partial<Combined>)) => setState(partial as Partial<State>);
    let handle: RunStreamHandle | undefined;
    let cancelOnRunId = false;

    /** Every slice's data as it is before any run. */
    const initialData = (): Partial<Combined> => ({ ...initialTransport(), ...initialViews(), timing: {} });
    const timing = () => clock.timing(get().timing.startedAt);

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
      options.views().clear();
      clock.reset();
      cancelOnRunId = false;
    }

    return {
      ...initialTransport(),

      start(input) {
        get().startRun({ kind: 'chat', input });
      },

      startRun(request) {
        const previous = handle;
        if (previous && !isSettled(get().status) && previous.runId) postCancel(previous.runId);
        teardown();

        const views = options.views();
        views.begin();
        set({
          ...initialData(),
          status: 'connecting',
          request,
          input: request.kind === 'chat' ? request.input : null,
          timing: { startedAt: clock.now() },
        });

        const runHandle = openRunStream<RunResult>({
          url: `${baseUrl}/api/runs`,
          method: 'POST',
          body: request,
          fetch: doFetch,
          retry: options.retry,
          onEnvelope: (envelope) => {
            clock.arrived(envelope);
            views.push(envelope);
          },
          onProgress: (progress) => {
            if (handle === runHandle) set({ progress });
          },
          onResult: (result) => {
            if (handle !== runHandle) return;
            views.applyWhole(result);
            set({ progress: null });
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
            clock.end();
            views.flushNow();
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
        clock.end();
        options.views().flushNow();
        set({ status: 'cancelled', stopping: false, timing: timing() });
      },

      clear() {
        teardown();
        set(initialData());
      },

      reconnect() {
        if (handle && !isSettled(get().status)) handle.reconnectNow();
      },

      detach() {
        handle?.close();
        handle = undefined;
        options.views().detach();
      },
    };
  };
}
