/**
 * The log of a run produced elsewhere, read from its Redis stream: replay with XRANGE from the
 * seq after the reader's last, live entries from the run's pub/sub channel.
 *
 * Nothing is missed between replay and live: `readAfter` waits until the channel subscription is
 * acknowledged before it reads the stream, and the writer puts each entry in the stream and on
 * the channel in one atomic script. So an entry is either in the replay or arrives live (or both;
 * readers drop seqs they have sent).
 *
 * Live delivery is in seq order without holes. A message that skips ahead (one was lost while
 * the subscriber connection was down) makes the log read the missing entries from the stream
 * first; so does the connection coming back. If the stream no longer holds them, listeners see
 * the jump and tell their clients. If Redis stays unreachable, `onBroken` ends the readers.
 */
import type { Redis } from 'ioredis';
import type { LogBrokenListener, LogEntry, LogListener, RunLog } from '../runLog';
import { decodeEntry, decodeStreamEntries, streamId, type StreamEntries } from './entryCodec';
import type { RunKeys } from './keys';
import type { ChannelListener, LiveChannels } from './liveChannels';

export interface ReaderLogOptions {
  redis: Redis;
  live: LiveChannels;
  keys: RunKeys;
}

/** A run log read from Redis. */
export interface RedisReaderLog extends RunLog {
  /** Reads what live delivery may have missed (a periodic safety net). */
  catchUp(): void;
  /** Ends live delivery for every listener (their `onBroken`): the run cannot be followed any more. */
  breakOff(error: Error): void;
}

export function createRedisReaderLog({ redis, live, keys }: ReaderLogOptions): RedisReaderLog {
  const listeners = new Map<LogListener, LogBrokenListener | undefined>();
  let channel: ChannelListener | undefined;
  /** Resolves once subscribed and `delivered` is known. */
  let started: Promise<void> | undefined;
  /** Highest seq handed to listeners (or present when the subscription started). */
  let delivered: number | undefined;
  let pulling = false;
  let pullAgain = false;
  let disposed = false;
  /** Counts subscriptions, so that a late answer of an earlier one cannot set the cursor of the current one. */
  let session = 0;

  async function range(fromSeq: number, count?: number): Promise<LogEntry[]> {
    const args: [string, string, string] = [keys.log, streamId(fromSeq), '+'];
    const reply = (count === undefined ? await redis.xrange(...args) : await redis.xrange(...args, 'COUNT', count)) as StreamEntries;
    return decodeStreamEntries(reply);
  }

  function dispatch(entry: LogEntry): void {
    if (delivered !== undefined && entry.envelope.seq <= delivered) return;
    delivered = entry.envelope.seq;
    for (const listener of [...listeners.keys()]) listener(entry);
  }

  /** Reads everything after `delivered` from the stream and hands it on; one read at a time. */
  async function pull(): Promise<void> {
    if (delivered === undefined || disposed) return;
    if (pulling) {
      pullAgain = true;
      return;
    }
    pulling = true;
    try {
      do {
        pullAgain = false;
        const entries = await range(delivered + 1);
        for (const entry of entries) dispatch(entry);
      } while (pullAgain && !disposed);
    } catch {
      // Redis unreachable: the channel's resync (or broken) follows.
    } finally {
      pulling = false;
    }
  }

  function onMessage(json: string): void {
    if (delivered === undefined || disposed) return;
    let entry: LogEntry;
    try {
      entry = decodeEntry(json);
    } catch {
      return;
    }
    const seq = entry.envelope.seq;
    if (seq <= delivered) return;
    if (seq === delivered + 1 && !pulling) dispatch(entry);
    else void pull();
  }

  function onBroken(error: Error): void {
    for (const [, broken] of [...listeners]) broken?.(error);
  }

  async function lastStoredSeq(): Promise<number> {
    const [last] = (await redis.xrevrange(keys.log, '+', '-', 'COUNT', 1)) as StreamEntries;
    if (last) return Number(last[0].split('-')[0]);
    const lastSeq = await redis.hget(keys.meta, 'lastSeq');
    return Number(lastSeq ?? 0);
  }

  function start(): Promise<void> {
    channel = live.listen(keys.live, { message: onMessage, resync: () => void pull(), broken: onBroken });
    const subscription = channel;
    const current = ++session;
    started = subscription.ready.then(async () => {
      // Everything stored before the subscription was acknowledged is in the stream; everything after arrives live.
      const seq = await lastStoredSeq();
      if (current === session) delivered ??= seq;
    });
    started.catch(() => {
      // Subscribing failed (Redis unreachable): a later subscriber tries again.
      if (channel === subscription) {
        subscription.close();
        channel = undefined;
        started = undefined;
      }
    });
    return started;
  }

  function stop(): void {
    session++;
    channel?.close();
    channel = undefined;
    started = undefined;
    delivered = undefined;
  }

  return {
    async append() {
      throw new Error('A reader log is read-only: only the producing instance appends to a run.');
    },

    async readAfter(afterSeq, limit) {
      if (started) await started;
      return range(afterSeq + 1, limit);
    },

    subscribe(listener, broken) {
      listeners.set(listener, broken);
      if (!channel) void start().catch(() => undefined);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },

    async firstSeq() {
      const [first] = await range(1, 1);
      if (first) return first.envelope.seq;
      // Nothing left in the stream: everything up to the last seq is gone.
      return (await lastStoredSeq()) + 1;
    },

    catchUp() {
      void pull();
    },

    breakOff: onBroken,

    async dispose() {
      disposed = true;
      listeners.clear();
      stop();
    },
  };
}
