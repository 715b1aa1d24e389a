/**
 * The run hub: drives producers and turns what they yield into a run's log.
 *
 * Each payload a producer yields is wrapped in an EventEnvelope v1 with the run's next `seq`,
 * framed once for SSE, appended to the run's log (which wakes its readers) and folded into the
 * run's live result with the same reducer the browser uses. HTTP connections only read logs, so a
 * reader can come and go, or several can watch, without the run noticing.
 *
 * A run ends exactly once, with a terminal envelope: the producer's own `<kind>.done`, an `error`
 * when it throws, or an `error {code: 'cancelled'}` when it is cancelled (by a user, because
 * nobody watched it for the grace period, or because it ran past its time limit). Cancelling
 * publishes the terminal at once and aborts the producer's signal; readers never wait for a
 * producer that is slow to notice. If the log refuses an entry (a shared log's backend is down, or
 * another instance has ended the run), the run ends with `error {code: 'internal:run_log'}`.
 */
import { randomUUID } from 'node:crypto';
import { ENVELOPE_VERSION, isTerminal, type EventEnvelope, type Payload, type ProducerEvent } from '../protocol/envelope';
import { formatEnvelope } from '../protocol/sse';
import { toErrorPayload } from './errorPayload';
import { applyEnvelope, createRunResult, type RunResult } from './reducer';
import { createMemoryRunLog, type RunLog } from './runLog';

/** What a producer receives besides its input. */
export interface ProducerContext {
  runId: string;
  /** Aborted when the run is cancelled; pass it to every call that can be stopped. */
  signal: AbortSignal;
}

/** A producer: an async generator of typed payloads that knows nothing of HTTP. */
export type Producer<Input> = (input: Input, context: ProducerContext) => AsyncIterable<ProducerEvent>;

export type CancelReason = NonNullable<Payload<'error'>['reason']>;

export type EndReason = 'complete' | 'error' | 'cancelled' | 'abandoned' | 'timeout' | 'shutdown';

export interface Run {
  readonly id: string;
  readonly kind: string;
  /**
   * Who may read and cancel it. A copy of its row's owner, moved with it when the owner's
   * anonymous account is replaced at sign-up or sign-in (`reownLiveRuns` in registry.ts).
   */
  ownerId: string | null;
  readonly createdAt: number;
  readonly log: RunLog;
  /** The live fold of the log. */
  readonly result: RunResult;
  /** Seq of the last envelope published. */
  lastSeq: number;
  ended: boolean;
  endReason?: EndReason;
  /** Resolves once the terminal envelope is in the log. */
  readonly finished: Promise<void>;
}

export interface StartRunSpec<Input> {
  kind: string;
  input: Input;
  producer: Producer<Input>;
  ownerId?: string | null;
  id?: string;
}

/** What a log backend may want to know about the run it is made for. */
export interface RunLogInfo {
  id: string;
  kind: string;
  ownerId: string | null;
  createdAt: number;
}

export interface RunHubOptions {
  createLog?: (runId: string, info: RunLogInfo) => RunLog;
  /** Cancel a run nobody has watched for this long. */
  graceMs: number;
  /**
   * Asked when the grace period of a run with no reader here runs out: whether readers on other
   * instances are watching it (then the grace period starts again). A failure counts as watched:
   * a run is not stopped because the question could not be answered.
   */
  isWatchedElsewhere?: (run: Run) => Promise<boolean>;
  /** Cancel a run that takes longer than this. */
  maxDurationMs: number;
  /** Drop a finished run's log from memory after this long. */
  retentionMs: number;
  /** Called with every envelope as it is published (telemetry); must be cheap and must not throw. */
  onPublish?: (run: Run, envelope: EventEnvelope) => void;
  /** Called once when a run has ended (after its terminal envelope is in the log). */
  onRunEnd?: (run: Run) => void | Promise<void>;
  /** Reports failures of background work (a log append, an onRunEnd hook). */
  onBackgroundError?: (error: unknown, run: Run) => void;
}

export interface RunHub {
  start<Input>(spec: StartRunSpec<Input>): Run;
  get(id: string): Run | undefined;
  /** Ends a running run with a cancelled terminal and aborts its producer. Returns false if it had ended. */
  cancel(id: string, reason: CancelReason): boolean;
  /** Ends a running run with this `error` terminal and aborts its producer. Returns false if it had ended. */
  fail(id: string, error: Payload<'error'>): boolean;
  /** Registers a reader; the returned function unregisters it. A run with no readers is cancelled after the grace period. */
  attach(id: string): () => void;
  /** Runs still going. */
  active(): Run[];
  /** Cancels every run (server shutdown) and waits for their terminal envelopes. */
  shutdown(): Promise<void>;
}

interface RunState extends Run {
  controller: AbortController;
  readers: number;
  graceTimer?: ReturnType<typeof setTimeout>;
  deadlineTimer?: ReturnType<typeof setTimeout>;
  /** Appends not yet settled. A counter, not a chain of promises: a run appends 20 to 1,000 times a second. */
  appending: number;
  /** Resolves `whenAppendsSettle` when `appending` falls to 0 after the run ended. */
  resolveAppendsSettled?: () => void;
  /** Whether a failed append has been reported (an outage fails every append after it; one report is enough). */
  appendFailureReported: boolean;
  resolveFinished: () => void;
}

const END_REASON_BY_CANCEL: Record<CancelReason, EndReason> = {
  user: 'cancelled',
  abandoned: 'abandoned',
  timeout: 'timeout',
  shutdown: 'shutdown',
};

/** How a run ended, read from its terminal envelope. */
export function endReasonOf(terminal: EventEnvelope): EndReason {
  if (terminal.type !== 'error') return 'complete';
  if (terminal.data.code === 'cancelled' && terminal.data.reason) return END_REASON_BY_CANCEL[terminal.data.reason];
  return 'error';
}

const LOG_FAILURE: Payload<'error'> = {
  code: 'internal:run_log',
  message: 'The run stopped because its event log could not be written. Try again.',
  retryable: true,
};

const CANCEL_MESSAGES: Record<CancelReason, string> = {
  user: 'Stopped by the user.',
  abandoned: 'Stopped because nobody was watching.',
  timeout: 'Stopped because the run took longer than its time limit.',
  shutdown: 'Stopped because the server is shutting down.',
};

export function createRunHub(options: RunHubOptions): RunHub {
  const runs = new Map<string, RunState>();
  const createLog = options.createLog ?? (() => createMemoryRunLog());

  function publish(run: RunState, event: ProducerEvent): EventEnvelope | undefined {
    if (run.ended) return undefined;
    const envelope = {
      v: ENVELOPE_VERSION,
      id: randomUUID(),
      type: event.type,
      seq: run.lastSeq + 1,
      ts: Date.now(),
      corrId: run.id,
      data: event.data,
    } as EventEnvelope;
    run.lastSeq = envelope.seq;
    applyEnvelope(run.result, envelope);
    options.onPublish?.(run, envelope);
    const entry = { envelope, frame: formatEnvelope(envelope) };
    // Appended at once, not after the previous append resolved: the log keeps call order, and a
    // shared log can then send what queued up during one round trip in the next.
    run.appending += 1;
    run.log.append(entry).then(
      () => onAppendSettled(run),
      (error: unknown) => {
        appendFailed(run, error);
        onAppendSettled(run);
      },
    );
    if (isTerminal(envelope)) end(run, envelope);
    return envelope;
  }

  /** A reporter that throws must not keep a run from ending: its error goes nowhere. */
  function reportBackgroundError(error: unknown, run: RunState): void {
    try {
      options.onBackgroundError?.(error, run);
    } catch {
      // Nothing left to tell.
    }
  }

  function onAppendSettled(run: RunState): void {
    run.appending -= 1;
    if (run.appending === 0) run.resolveAppendsSettled?.();
  }

  /** Resolves once every append of the run has settled: its terminal is then in the log. */
  function whenAppendsSettle(run: RunState): Promise<void> {
    if (run.appending === 0) return Promise.resolve();
    return new Promise((resolve) => (run.resolveAppendsSettled = resolve));
  }

  /** An entry the log could not store ends the run: readers elsewhere would otherwise wait on a hole. */
  function appendFailed(run: RunState, error: unknown): void {
    if (!run.appendFailureReported) {
      run.appendFailureReported = true;
      reportBackgroundError(error, run);
    }
    fail(run, LOG_FAILURE);
  }

  function fail(run: RunState, error: Payload<'error'>): boolean {
    if (run.ended) return false;
    publish(run, { type: 'error', data: error });
    run.controller.abort(new DOMException(error.message, 'AbortError'));
    return true;
  }

  function end(run: RunState, terminal: EventEnvelope): void {
    run.ended = true;
    run.endReason ??= terminal.type === 'error' ? 'error' : 'complete';
    clearTimeout(run.graceTimer);
    clearTimeout(run.deadlineTimer);
    void whenAppendsSettle(run).then(async () => {
      run.resolveFinished();
      try {
        await options.onRunEnd?.(run);
      } catch (error) {
        reportBackgroundError(error, run);
      }
      const evict = setTimeout(() => {
        runs.delete(run.id);
        void run.log.dispose();
      }, options.retentionMs);
      evict.unref?.();
    });
  }

  function cancel(run: RunState, reason: CancelReason): boolean {
    if (run.ended) return false;
    run.endReason = END_REASON_BY_CANCEL[reason];
    publish(run, { type: 'error', data: { code: 'cancelled', reason, message: CANCEL_MESSAGES[reason] } });
    run.controller.abort(new DOMException(CANCEL_MESSAGES[reason], 'AbortError'));
    return true;
  }

  async function drive<Input>(run: RunState, spec: StartRunSpec<Input>): Promise<void> {
    const iterator = spec.producer(spec.input, { runId: run.id, signal: run.controller.signal })[Symbol.asyncIterator]();
    try {
      while (!run.ended) {
        const next = await iterator.next();
        if (next.done || run.ended) break;
        publish(run, next.value);
      }
      if (!run.ended) {
        publish(run, { type: 'error', data: { code: 'internal:incomplete', message: 'The producer stopped without finishing.' } });
      }
    } catch (error) {
      // After a cancel the producer's failure is only the abort arriving: the terminal is already out.
      if (!run.ended) publish(run, { type: 'error', data: toErrorPayload(error) });
    } finally {
      if (run.ended) await iterator.return?.().catch(() => undefined);
    }
  }

  function scheduleGrace(run: RunState): void {
    clearTimeout(run.graceTimer);
    run.graceTimer = setTimeout(() => void graceOver(run), options.graceMs);
    run.graceTimer.unref?.();
  }

  async function graceOver(run: RunState): Promise<void> {
    if (options.isWatchedElsewhere) {
      const watched = await options.isWatchedElsewhere(run).catch(() => true);
      // A reader may have come, or the run ended, while the question was out.
      if (run.ended || run.readers > 0) return;
      if (watched) return scheduleGrace(run);
    }
    cancel(run, 'abandoned');
  }

  return {
    start(spec) {
      const id = spec.id ?? randomUUID();
      let resolveFinished!: () => void;
      const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
      const createdAt = Date.now();
      const ownerId = spec.ownerId ?? null;
      const run: RunState = {
        id,
        kind: spec.kind,
        ownerId,
        createdAt,
        log: createLog(id, { id, kind: spec.kind, ownerId, createdAt }),
        result: createRunResult(),
        lastSeq: 0,
        ended: false,
        finished,
        controller: new AbortController(),
        readers: 0,
        appending: 0,
        appendFailureReported: false,
        resolveFinished,
      };
      runs.set(id, run);
      run.deadlineTimer = setTimeout(() => cancel(run, 'timeout'), options.maxDurationMs);
      run.deadlineTimer.unref?.();
      scheduleGrace(run);
      void drive(run, spec);
      return run;
    },

    get(id) {
      return runs.get(id);
    },

    cancel(id, reason) {
      const run = runs.get(id);
      return run ? cancel(run, reason) : false;
    },

    fail(id, error) {
      const run = runs.get(id);
      return run ? fail(run, error) : false;
    },

    attach(id) {
      const run = runs.get(id);
      if (!run) return () => undefined;
      run.readers += 1;
      clearTimeout(run.graceTimer);
      let detached = false;
      return () => {
        if (detached) return;
        detached = true;
        run.readers -= 1;
        if (run.readers === 0 && !run.ended) scheduleGrace(run);
      };
    },

    active() {
      return [...runs.values()].filter((run) => !run.ended);
    },

    async shutdown() {
      const active = [...runs.values()].filter((run) => !run.ended);
      for (const run of active) cancel(run, 'shutdown');
      await Promise.all(active.map((run) => run.finished));
    },
  };
}
