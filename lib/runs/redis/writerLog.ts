/**
 * The log of a run produced by this instance, written through to a Redis stream.
 *
 * - Each append goes into the stream and onto the run's live channel in one script step
 *   (`scAppendMany`), with the appends of every other run in the same turn (appendBatch.ts).
 *   Appends queued while a write is in flight leave together in the next batch, in order.
 * - The instance's own readers are served from memory: the entries it wrote (the last `maxLen`),
 *   delivered once Redis has answered. If Redis refused or never answered, they still get the
 *   entry, and the append rejects so that the hub ends the run with a clear error.
 * - It holds the run's lease: renewed every third of `leaseMs`, released by the terminal append.
 *   If another instance has ended the run (it thought this one dead), `onLeaseLost` is called and
 *   appends are refused.
 * - If Redis forgets the run (restarted without persistence), the log writes back what it holds
 *   (metadata, lease, entries) before the next entry, and the run goes on as if nothing happened.
 */
import type { Redis } from 'ioredis';
import { isTerminal } from '../../protocol/envelope';
import type { LogEntry, LogListener, RunLog } from '../runLog';
import { appendBatcherOf, type AppendAnswer, type AppendRequest } from './appendBatch';
import { envelopeOfFrame } from '../../protocol/sse';
import { encodeEntry, streamId, DATA_FIELD } from './entryCodec';
import type { RunKeys } from './keys';
import { assertTransaction, metaFields, type RunMeta } from './runMeta';
import { defineRunScripts } from './scripts';

export interface WriterLogOptions {
  redis: Redis;
  keys: RunKeys;
  meta: Omit<RunMeta, 'lastSeq' | 'ended'>;
  /** Entries kept, in Redis (`MAXLEN ~`) and in memory. */
  maxLen: number;
  leaseMs: number;
  /** TTL of a finished run's keys. */
  retentionMs: number;
  /** TTL of a running run's keys. */
  runningTtlMs: number;
  /** Another instance has ended the run: stop producing. */
  onLeaseLost?: () => void;
}

/** Why an append was not stored. */
export class RunLogWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunLogWriteError';
  }
}

interface Pending {
  entry: LogEntry;
  resolve: () => void;
  reject: (error: Error) => void;
}

const STORED = 1;
const ENDED_ELSEWHERE = -1;
const UNKNOWN_RUN = -2;

export function createRedisWriterLog(options: WriterLogOptions): RunLog {
  const redis = defineRunScripts(options.redis);
  const { keys, meta } = options;
  const appends = appendBatcherOf(options.redis, { maxLen: options.maxLen, retentionMs: options.retentionMs, instance: meta.instance, runningTtlMs: options.runningTtlMs });
  // The frames alone, as the memory log keeps them (runLog.ts): a flat string an entry, not its
  // envelope's objects too. A replay from here (rare: readers on this instance are live) reads the
  // envelopes back from them.
  const frames: string[] = [];
  /** Seq of `frames[0]`. */
  let first = 1;
  const listeners = new Set<LogListener>();
  let queue: Pending[] = [];
  let writing = false;
  let restoreNeeded = false;
  let lost = false;
  let ended = false;
  let disposed = false;

  const renewTimer = setInterval(() => void renewLease(), Math.max(100, Math.floor(options.leaseMs / 3)));
  renewTimer.unref?.();

  function stopRenewing(): void {
    clearInterval(renewTimer);
  }

  function loseLease(): void {
    if (lost) return;
    lost = true;
    stopRenewing();
    options.onLeaseLost?.();
  }

  async function renewLease(): Promise<void> {
    if (ended || lost || disposed) return;
    try {
      const held = await redis.scRenewLease(keys.lease, keys.meta, meta.instance, options.leaseMs);
      if (held === UNKNOWN_RUN) {
        // Redis forgot the run while it produced nothing: write it back now, so other instances find it.
        restoreNeeded = true;
        void pump();
      } else if (held === 0) {
        loseLease();
      }
    } catch {
      // Redis unreachable: try again at the next tick. If it stays away past the lease, another
      // instance may end the run, and the next append learns it.
    }
  }

  function keep(entry: LogEntry): void {
    if (frames.length === 0) first = entry.envelope.seq;
    frames.push(entry.frame);
    // Trim in batches (as MAXLEN ~ does), not with a shift per append.
    if (frames.length > options.maxLen + Math.min(1_000, options.maxLen)) {
      const dropped = frames.length - options.maxLen;
      frames.splice(0, dropped);
      first += dropped;
    }
  }

  /** The kept entries from index `start` of `frames` up to `end`. */
  function keptEntries(start: number, end?: number): LogEntry[] {
    return frames.slice(start, end).map((frame) => ({ envelope: envelopeOfFrame(frame), frame }));
  }

  const appendKeys = [keys.log, keys.meta, keys.lease] as const;

  function appendRequest(entry: LogEntry): AppendRequest {
    return { keys: appendKeys, live: keys.live, seq: entry.envelope.seq, json: encodeEntry(entry), terminal: isTerminal(entry.envelope) };
  }

  /** Writes back the run as this log holds it: metadata, lease and every entry before `beforeSeq`. */
  async function restore(beforeSeq: number): Promise<void> {
    const kept = keptEntries(0, Math.max(0, beforeSeq - first));
    const transaction = redis
      .multi()
      .del(keys.log)
      .hset(keys.meta, metaFields({ ...meta, lastSeq: beforeSeq - 1, ended: false }))
      .pexpire(keys.meta, options.runningTtlMs)
      .set(keys.lease, meta.instance, 'PX', options.leaseMs);
    for (const entry of kept) transaction.xadd(keys.log, streamId(entry.envelope.seq), DATA_FIELD, encodeEntry(entry));
    if (kept.length > 0) transaction.pexpire(keys.log, options.runningTtlMs);
    assertTransaction(await transaction.exec());
  }

  function settle(item: Pending, error?: Error): void {
    if (isTerminal(item.entry.envelope)) {
      // Written or not, the run is over here. If the terminal did not reach Redis, the lease now
      // expires and another instance ends the run there, so that its readers are not left waiting.
      ended = true;
      stopRenewing();
    }
    for (const listener of listeners) listener(item.entry);
    if (error) item.reject(error);
    else item.resolve();
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    let results: AppendAnswer[];
    try {
      results = await appends.append(batch.map((item) => appendRequest(item.entry)));
    } catch (cause) {
      const error = new RunLogWriteError('Redis did not store the run log entry', { cause });
      for (const item of batch) settle(item, error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      const [error, answer] = results[i] ?? [new Error('no answer'), null];
      if (!error && answer === UNKNOWN_RUN && !lost) {
        // Redis lost the run: restore it and write the rest of the batch again, once.
        try {
          await restore(item.entry.envelope.seq);
          return await writeBatch(batch.slice(i));
        } catch (cause) {
          const failure = new RunLogWriteError('Redis lost the run log and it could not be restored', { cause });
          for (const rest of batch.slice(i)) settle(rest, failure);
          return;
        }
      }
      if (error) settle(item, new RunLogWriteError('Redis refused the run log entry', { cause: error }));
      else if (answer === ENDED_ELSEWHERE) {
        loseLease();
        settle(item, new RunLogWriteError('Another instance has ended this run (its producer was thought lost)'));
      } else if (answer === STORED) {
        settle(item);
      } else settle(item, new RunLogWriteError(`Unexpected answer from Redis: ${String(answer)}`));
    }
  }

  /** Writes what is queued, one pipeline at a time, until the queue is empty. */
  async function pump(): Promise<void> {
    if (writing) return;
    writing = true;
    try {
      while (queue.length > 0 || restoreNeeded) {
        if (restoreNeeded) {
          restoreNeeded = false;
          const next = queue[0]?.entry.envelope.seq ?? (frames.length > 0 ? first + frames.length : 1);
          await restore(next).catch(() => undefined);
          continue;
        }
        const batch = queue;
        queue = [];
        await writeBatch(batch);
      }
    } finally {
      writing = false;
    }
  }

  return {
    append(entry) {
      keep(entry);
      if (lost) {
        for (const listener of listeners) listener(entry);
        return Promise.reject(new RunLogWriteError('Another instance has ended this run (its producer was thought lost)'));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        // A write in flight takes what is queued when it answers.
        if (!writing) void pump();
      });
    },

    async readAfter(afterSeq, limit) {
      const start = Math.max(0, afterSeq - first + 1);
      return keptEntries(start, limit === undefined ? undefined : start + Math.max(0, limit));
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async firstSeq() {
      return frames.length > 0 ? first : 1;
    },

    async dispose() {
      disposed = true;
      stopRenewing();
      frames.length = 0;
      listeners.clear();
    },
  };
}
