/**
 * A run's log: the ordered envelopes a run has produced, each stored beside its SSE frame so that
 * fanning out to many readers never serialises an envelope twice.
 *
 * The interface is asynchronous because the Redis backend is; the in-memory backend answers
 * synchronously inside its promises. Readers subscribe before they replay and drop what they have
 * already sent, so nothing appended between the replay and the first live entry is missed.
 */
import type { EventEnvelope } from '../protocol/envelope';

export interface LogEntry {
  envelope: EventEnvelope;
  /** The envelope framed for SSE (`formatEnvelope`). */
  frame: string;
}

export type LogListener = (entry: LogEntry) => void;

export interface RunLog {
  /** Appends an entry; its seq is one more than the last. */
  append(entry: LogEntry): Promise<void>;
  /** Entries with a seq greater than `afterSeq`, in order. */
  readAfter(afterSeq: number): Promise<LogEntry[]>;
  /** Calls `listener` with each entry appended from now on. Returns the unsubscribe function. */
  subscribe(listener: LogListener): () => void;
  /** The lowest seq the log still holds (1 unless trimmed); a reader asking for less has a gap. */
  firstSeq(): Promise<number>;
  /** Frees what the log holds. */
  dispose(): Promise<void>;
}

/** The in-process log: an array and a set of listeners. */
export function createMemoryRunLog(): RunLog {
  const entries: LogEntry[] = [];
  const listeners = new Set<LogListener>();

  return {
    async append(entry) {
      entries.push(entry);
      for (const listener of listeners) listener(entry);
    },
    async readAfter(afterSeq) {
      // seq n lives at index n - 1: a slice, not a scan.
      return entries.slice(Math.max(0, afterSeq));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async firstSeq() {
      return 1;
    },
    async dispose() {
      entries.length = 0;
      listeners.clear();
    },
  };
}
