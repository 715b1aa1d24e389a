/**
 * What one attempt of the run stream client (an SSE read, a blocking poll) shares with the retry
 * loop that runs it (`runStreamClient.ts`): the stream's state and the ways to report on it.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import type { BlockingRunResult } from './runResponses';
import type { RunStreamError, RunStreamOptions, RunStreamStatus, RunStreamStatusDetail } from './runStreamTypes';

export interface StreamSession {
  readonly options: RunStreamOptions<BlockingRunResult>;
  readonly doFetch: typeof fetch;
  readonly idleTimeoutMs: number;
  readonly pollWaitMs: number;
  /** Highest seq seen. */
  lastSeq: number;
  readonly runId: string | undefined;
  /** Where the run's events are read on resume. */
  eventsUrl(runId: string): string;
  /** Not closed and no final status yet. */
  live(): boolean;
  emitStatus(next: RunStreamStatus, detail?: RunStreamStatusDetail): void;
  learnRunId(id: string | null | undefined): void;
  /** Handles one SSE event; returns true when it was a new envelope (progress). */
  handleEvent(event: EventSourceMessage): boolean;
  /** The server said the run is delivered blocking: later attempts poll its result. */
  markBlocking(): void;
}

/** How one request ended: cleanly without the terminal envelope, at the final status, or in a retryable failure. */
export type AttemptResult =
  | { outcome: 'ended' }
  | { outcome: 'final' }
  | { outcome: 'failed'; error: RunStreamError; waitMs?: number; progressed: boolean };

/** Signals that a wait or a read was interrupted on purpose; never escapes this module. */
export class Interrupted extends Error {}

/** A readable message of a thrown value (and its cause). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
