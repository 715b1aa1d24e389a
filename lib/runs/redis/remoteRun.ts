/**
 * A run produced by another instance, as this instance sees it: the same `Run` shape as the hub's
 * own runs (so the SSE response, the snapshot and the blocking result treat both alike), folded
 * from the run's Redis log with the shared reducer and kept up to date live.
 *
 * While the run is going, the view also watches over its producer: if the producer's lease stays
 * absent for a whole lease period (it died, or lost Redis), the view ends the run with
 * `error {code: 'internal:producer_lost'}` (atomically, so exactly one instance does), and its
 * readers, here and everywhere, get that terminal instead of waiting forever. While readers here
 * watch the run, it marks the run watched so that the producer's grace period does not stop it.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ENVELOPE_VERSION, isTerminal, type Payload } from '../../protocol/envelope';
import { endReasonOf, type EndReason, type Run } from '../hub';
import { applyEnvelope, createRunResult } from '../reducer';
import type { LogEntry } from '../runLog';
import type { RunKeys } from './keys';
import type { RedisReaderLog } from './readerLog';
import type { RunMeta } from './runMeta';
import { defineRunScripts } from './scripts';

export const PRODUCER_LOST: Payload<'error'> = {
  code: 'internal:producer_lost',
  message: 'The server running this run stopped answering, so the run could not finish. Start it again.',
  retryable: true,
};

/** How long a reader's mark on a run lasts; refreshed every third of it while readers are attached. */
export const WATCHED_TTL_MS = 10_000;

export interface RemoteRunOptions {
  meta: RunMeta;
  log: RedisReaderLog;
  redis: Redis;
  keys: RunKeys;
  leaseMs: number;
  retentionMs: number;
  /** Called once this instance has ended the run for its lost producer, after the terminal is folded in. */
  onProducerLost?: (run: RemoteRun) => void;
  /** Called once the view can no longer follow the run (Redis unreachable, or the run gone from it). */
  onBroken?: (run: RemoteRun) => void;
}

export interface RemoteRun extends Run {
  readonly remote: true;
  /** Resolves once the log so far is folded in. */
  readonly ready: Promise<void>;
  /** Registers a reader here; the returned function unregisters it. */
  attach(): () => void;
  readers(): number;
  broken(): boolean;
  dispose(): Promise<void>;
}

export function createRemoteRun(options: RemoteRunOptions): RemoteRun {
  const { meta, log, keys } = options;
  const redis = defineRunScripts(options.redis);
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  let readers = 0;
  let isBroken = false;
  let disposed = false;
  let leaseMissingSince: number | undefined;
  let runMissingSince: number | undefined;
  let watchedTimer: ReturnType<typeof setInterval> | undefined;
  const guardTimer = setInterval(() => void guard(), Math.max(100, Math.floor(options.leaseMs / 2)));
  guardTimer.unref?.();

  const run: RemoteRun = {
    remote: true,
    id: meta.id,
    kind: meta.kind,
    ownerId: meta.ownerId,
    createdAt: meta.createdAt,
    log,
    result: createRunResult(),
    lastSeq: meta.lastSeq,
    ended: false,
    endReason: undefined as EndReason | undefined,
    finished,
    ready: Promise.resolve(),
    attach() {
      readers += 1;
      if (readers === 1) startMarkingWatched();
      let detached = false;
      return () => {
        if (detached) return;
        detached = true;
        readers -= 1;
        if (readers === 0) stopMarkingWatched();
      };
    },
    readers: () => readers,
    broken: () => isBroken,
    async dispose() {
      disposed = true;
      clearInterval(guardTimer);
      stopMarkingWatched();
      unsubscribe();
      await log.dispose();
    },
  };

  function fold(entry: LogEntry): void {
    const { envelope } = entry;
    applyEnvelope(run.result, envelope);
    run.lastSeq = Math.max(run.lastSeq, envelope.seq);
    if (isTerminal(envelope) && !run.ended) {
      run.ended = true;
      run.endReason = endReasonOf(envelope);
      clearInterval(guardTimer);
      resolveFinished();
    }
  }

  function breakOff(): void {
    if (isBroken) return;
    isBroken = true;
    clearInterval(guardTimer);
    options.onBroken?.(run);
  }

  // Subscribe, then replay: live entries that arrive during the replay wait for it (the reducer drops seqs it has seen).
  let replayed = false;
  const arrivedDuringReplay: LogEntry[] = [];
  const unsubscribe = log.subscribe((entry) => (replayed ? fold(entry) : arrivedDuringReplay.push(entry)), breakOff);
  (run as { ready: Promise<void> }).ready = log.readAfter(0).then((entries) => {
    for (const entry of entries) fold(entry);
    replayed = true;
    for (const entry of arrivedDuringReplay.splice(0)) fold(entry);
  });

  /** The producer's watchdog, and a safety net for live delivery. */
  async function guard(): Promise<void> {
    if (run.ended || disposed || isBroken) return;
    log.catchUp();
    try {
      const [leaseHeld, runKnown] = await Promise.all([redis.exists(keys.lease), redis.exists(keys.meta)]);
      const now = Date.now();
      if (!runKnown) {
        // Redis forgot the run (restarted without persistence) and its producer has not written it back.
        runMissingSince ??= now;
        if (now - runMissingSince >= options.leaseMs) {
          log.breakOff(new Error('The run is no longer in Redis'));
          breakOff();
        }
        return;
      }
      runMissingSince = undefined;
      if (leaseHeld) {
        leaseMissingSince = undefined;
        return;
      }
      // One look is not enough: after a Redis restart a live producer takes its lease back within a third of it.
      leaseMissingSince ??= now;
      if (now - leaseMissingSince < options.leaseMs) return;
      const seq = await failOrphan();
      if (seq > 0) void finished.then(() => options.onProducerLost?.(run));
    } catch {
      // Redis unreachable: the live channel reports it if it lasts.
    }
  }

  function failOrphan(): Promise<number> {
    // The script picks the seq; the envelope JSON is written around it, fields in the hub's order.
    const before = `{"v":"${ENVELOPE_VERSION}","id":"${randomUUID()}","type":"error","seq":`;
    const after = `,"ts":${Date.now()},"corrId":${JSON.stringify(run.id)},"data":${JSON.stringify(PRODUCER_LOST)}}`;
    return redis.scFailOrphan(keys.log, keys.meta, keys.lease, before, after, options.retentionMs, keys.live);
  }

  function startMarkingWatched(): void {
    const mark = () => void redis.set(keys.watched, '1', 'PX', WATCHED_TTL_MS).catch(() => undefined);
    mark();
    watchedTimer = setInterval(mark, Math.floor(WATCHED_TTL_MS / 3));
    watchedTimer.unref?.();
  }

  function stopMarkingWatched(): void {
    clearInterval(watchedTimer);
    watchedTimer = undefined;
  }

  return run;
}
