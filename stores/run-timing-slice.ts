/**
 * The run store's timing slice: time to first token and tokens per second, measured on the
 * client. Time to first token runs from the moment the request was sent to the first token of
 * any kind (answer, reasoning or a kind's own text); tokens per second over the time since the
 * first answer token, live while streaming and frozen at the end.
 *
 * The clocks live outside React in a {@link RunClock}; the slice holds the `timing` it computes.
 */
import type { StateCreator } from 'zustand/vanilla';
import { KIND_PARTS } from '@/lib/kinds';
import type { EventEnvelope } from '@/lib/protocol/envelope';

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

export interface TimingSlice {
  timing: RunTiming;
}

/** Below this span a rate is noise (two tokens in one packet read as thousands per second). */
const MIN_RATE_SPAN_MS = 250;

/** The envelope types that are text tokens: the main generation's and each kind's. */
const ANSWER_TOKEN_TYPES: ReadonlySet<string> = new Set(['gen.token', ...KIND_PARTS.map(([, part]) => part.tokenType)]);

/** One run's clocks. */
export interface RunClock {
  now(): number;
  /** Forgets the run's clocks. */
  reset(): void;
  /** Counts an arriving envelope if it is a token. */
  arrived(envelope: EventEnvelope): void;
  /** A whole result with text arrived at once (blocking delivery). */
  firstTokenNow(): void;
  /** The run ended now. */
  end(): void;
  /** The timing of a run sent at `startedAt`. */
  timing(startedAt: number | undefined): RunTiming;
}

export function createRunClock(now: () => number): RunClock {
  /** First token of any kind (answer or reasoning): time to first token. */
  let firstTokenAt: number | undefined;
  /** First and latest answer tokens: tokens per second. */
  let firstAnswerAt: number | undefined;
  let lastTokenAt: number | undefined;
  let endedAt: number | undefined;
  let tokensArrived = 0;

  return {
    now,
    reset() {
      firstTokenAt = firstAnswerAt = lastTokenAt = endedAt = undefined;
      tokensArrived = 0;
    },
    arrived(envelope) {
      const answer = ANSWER_TOKEN_TYPES.has(envelope.type);
      if (!answer && envelope.type !== 'gen.reasoning') return;
      const at = now();
      firstTokenAt ??= at;
      if (answer) {
        firstAnswerAt ??= at;
        tokensArrived += 1;
        lastTokenAt = at;
      }
    },
    firstTokenNow() {
      firstTokenAt ??= now();
    },
    end() {
      endedAt = now();
    },
    timing(startedAt) {
      if (startedAt === undefined) return {};
      const end = endedAt ?? now();
      const t: RunTiming = { startedAt, elapsedMs: Math.max(0, end - startedAt) };
      if (firstTokenAt !== undefined) t.ttftMs = Math.max(0, firstTokenAt - startedAt);
      if (firstAnswerAt !== undefined) {
        const span = (lastTokenAt ?? end) - firstAnswerAt;
        if (span >= MIN_RATE_SPAN_MS) t.tokensPerSecond = tokensArrived / (span / 1000);
      }
      return t;
    },
  };
}

export function createTimingSlice<State extends TimingSlice>(): StateCreator<State, [], [], TimingSlice> {
  return () => ({ timing: {} });
}
