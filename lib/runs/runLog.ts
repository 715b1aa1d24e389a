/**
 * A run's log: the ordered envelopes a run has produced, each stored beside its SSE frame so that
 * fanning out to many readers never serialises an envelope twice.
 *
 * The interface is asynchronous because the Redis backend is; the in-memory backend answers
 * synchronously inside its promises. Readers subscribe before they replay and drop what they have
 * already sent, so nothing appended between the replay and the first live entry is missed.
 *
 * Backends: this file's in-memory log (the default), and the Redis Streams logs in `./redis/`
 * (a writer on the producing instance, a reader on every other).
 */
import type { EventEnvelope } from '../protocol/envelope';
import { envelopeOfFrame } from '../protocol/sse';

export interface LogEntry {
  envelope: EventEnvelope;
  /** The envelope framed for SSE (`formatEnvelope`). */
  frame: string;
}

export type LogListener = (entry: LogEntry) => void;

/**
 * Told that live delivery has broken off for good (a shared log's backend stayed unreachable):
 * the reader should end its response so that the client resumes, rather than wait forever.
 */
export type LogBrokenListener = (error: Error) => void;

export interface RunLog {
  /**
   * Appends an entry; its seq is one more than the last. The next append may be called before this
   * one has resolved: entries land in call order. Rejects if the entry could not be stored.
   */
  append(entry: LogEntry): Promise<void>;
  /**
   * Entries with a seq greater than `afterSeq`, in order; at most `limit` of them when given (a
   * replay reads a long log in pieces, as its client takes them).
   */
  readAfter(afterSeq: number, limit?: number): Promise<LogEntry[]>;
  /**
   * Calls `listener` with each entry appended from now on, in seq order. A shared log may skip
   * entries it no longer holds (a reader sees the jump in seq); it calls `onBroken` if it cannot
   * go on at all. Returns the unsubscribe function.
   */
  subscribe(listener: LogListener, onBroken?: LogBrokenListener): () => void;
  /** The lowest seq the log still holds (1 unless trimmed); a reader asking for less has a gap. */
  firstSeq(): Promise<number>;
  /** Frees what the log holds. */
  dispose(): Promise<void>;
}

export interface MemoryRunLogOptions {
  /**
   * Entries the log keeps (RUN_LOG_MAXLEN, as the Redis log): past it the oldest are dropped, a
   * little late as Redis' `MAXLEN ~` is (up to `min(1000, maxLen)` more, so that dropping is one
   * splice now and then, not a shift per entry). A reader asking for dropped entries is told of
   * the gap (`logGap.ts`). Default: no bound.
   */
  maxLen?: number;
}

/**
 * The in-process log: the frames, and a set of listeners. Live readers get each entry as it was
 * appended; a replay reads each envelope back from its frame. Keeping the frame alone, one flat
 * string, rather than the envelope's objects beside it, takes a log entry from about 550 to about
 * 340 bytes of heap (`bench:load`'s `heapPerLogEntryB`); the last `maxLen` tokens of every running
 * run stay here until its run's retention ends.
 */
export function createMemoryRunLog({ maxLen = Number.POSITIVE_INFINITY }: MemoryRunLogOptions = {}): RunLog {
  const frames: string[] = [];
  /** Seq of `frames[0]`: 1 until entries are dropped. */
  let first = 1;
  const listeners = new Set<LogListener>();

  return {
    async append(entry) {
      frames.push(entry.frame);
      if (frames.length > maxLen + Math.min(1_000, maxLen)) {
        const dropped = frames.length - maxLen;
        frames.splice(0, dropped);
        first += dropped;
      }
      for (const listener of listeners) listener(entry);
    },
    async readAfter(afterSeq, limit) {
      // seq n lives at index n - first: a slice, not a scan.
      const start = Math.max(0, afterSeq + 1 - first);
      const end = limit === undefined ? undefined : start + Math.max(0, limit);
      return frames.slice(start, end).map((frame) => ({ envelope: envelopeOfFrame(frame), frame }));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async firstSeq() {
      return first;
    },
    async dispose() {
      frames.length = 0;
      listeners.clear();
    },
  };
}
