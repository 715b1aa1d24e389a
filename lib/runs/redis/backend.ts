/**
 * The Redis run backend of one instance: what lets several instances behind a load balancer serve
 * the same runs. It makes the writer logs of the runs this instance produces (with their leases),
 * opens views of runs produced elsewhere (shared per run, closed a while after their last use),
 * carries cancels between instances over pub/sub, and tells the hub whether a run is watched
 * elsewhere.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RunLogInfo } from '../hub';
import type { RunLog } from '../runLog';
import { idsWithAnyKey } from './keyPresence';
import { backendKeys } from './keys';
import { createLiveChannels, type LiveChannels } from './liveChannels';
import { createRedisReaderLog } from './readerLog';
import { createRemoteRun, type RemoteRun } from './remoteRun';
import { readRunMeta, registerRun, type RunMeta } from './runMeta';
import { defineRunScripts } from './scripts';
import { createRedisWriterLog } from './writerLog';

export interface RedisRunBackendOptions {
  /** The command connection (writes and reads). */
  redis: Redis;
  /** A connection of its own for pub/sub. */
  subscriber: Redis;
  keyPrefix: string;
  maxLen: number;
  leaseMs: number;
  /** TTL of a finished run's keys (RUN_RETENTION_MS). */
  retentionMs: number;
  /** Longest a run may take (RUN_MAX_DURATION_MS): bounds the TTL of a running run's keys. */
  maxDurationMs: number;
  /** A cancel for a run was requested on some instance (this one included). */
  onCancelRequested?: (runId: string) => void;
  /** Another instance has ended a run this instance produces. */
  onLeaseLost?: (runId: string) => void;
  /** This instance ended a run produced elsewhere because its producer was lost. */
  onProducerLost?: (run: RemoteRun) => void;
  /** How long a view nobody uses is kept. Default 10 s. */
  viewLingerMs?: number;
  /** How long pub/sub may stay down before readers are ended. Default the longer of 10 s and `leaseMs`. */
  stallMs?: number;
}

export interface RedisHealth {
  ok: boolean;
  latencyMs?: number;
  error?: string;
}

export interface RedisRunBackend {
  readonly instanceId: string;
  /** Records a run this instance is about to produce, and takes its lease. */
  registerRun(info: RunLogInfo): Promise<void>;
  /** The log of a run this instance produces (hub `createLog`). */
  createWriterLog(info: RunLogInfo): RunLog;
  /** A run's metadata, whichever instance produces it; undefined if Redis does not know it. */
  findRunMeta(id: string): Promise<RunMeta | undefined>;
  /** The view of a run produced elsewhere, folded up to now. */
  openRun(meta: RunMeta): Promise<RemoteRun>;
  /** The view already open for this run, if any. */
  openedRun(id: string): RemoteRun | undefined;
  /**
   * Moves these runs to `ownerId` (their rows moved first): in their Redis metadata, where Redis
   * still holds them, and in the views this instance has open. Views other instances hold learn
   * it from the row when they next refuse the new owner (registry.ts).
   */
  setRunOwner(ids: readonly string[], ownerId: string): Promise<void>;
  /** Asks every instance to cancel the run (the producing one acts). */
  requestCancel(id: string): Promise<void>;
  /** Whether readers on some instance watch the run. */
  isWatched(id: string): Promise<boolean>;
  /** Those of `ids` whose producer holds its lease (some instance is producing them). */
  producedRunIds(ids: string[]): Promise<Set<string>>;
  /**
   * Those of `ids` that someone looks after: their producer holds its lease, or readers on some
   * instance watch them (that instance ends a run whose producer is lost, and saves it).
   */
  attendedRunIds(ids: string[]): Promise<Set<string>>;
  health(): Promise<RedisHealth>;
  close(): Promise<void>;
}

/** Pub/sub outage after which readers are ended (they resume, perhaps on an instance that reaches Redis). */
const STALL_MS = 10_000;
/** A health check answers within this, Redis or not. */
const HEALTH_TIMEOUT_MS = 1_000;

export function createRedisRunBackend(options: RedisRunBackendOptions): RedisRunBackend {
  const { leaseMs, retentionMs } = options;
  const redis = defineRunScripts(options.redis);
  const keys = backendKeys(options.keyPrefix);
  const instanceId = randomUUID();
  const live: LiveChannels = createLiveChannels(options.subscriber, { stallMs: options.stallMs ?? Math.max(STALL_MS, leaseMs) });
  const runningTtlMs = options.maxDurationMs + retentionMs + 2 * leaseMs;
  const lingerMs = options.viewLingerMs ?? 10_000;
  const views = new Map<string, { run: RemoteRun; opened: Promise<RemoteRun>; idleTimer?: ReturnType<typeof setTimeout> }>();

  const cancels = live.listen(keys.cancelChannel, { message: (runId) => options.onCancelRequested?.(runId) });
  cancels.ready.catch(() => undefined);

  function closeView(id: string, run: RemoteRun): void {
    const view = views.get(id);
    if (view?.run !== run) return;
    clearTimeout(view.idleTimer);
    views.delete(id);
    void run.dispose();
  }

  /** Closes a view once nobody has used it for a while. */
  function lingerView(id: string): void {
    const view = views.get(id);
    if (!view) return;
    clearTimeout(view.idleTimer);
    view.idleTimer = setTimeout(() => {
      if (view.run.readers() > 0) return lingerView(id);
      closeView(id, view.run);
    }, lingerMs);
    view.idleTimer.unref?.();
  }

  return {
    instanceId,

    async registerRun(info) {
      await registerRun(redis, {
        meta: { id: info.id, kind: info.kind, ownerId: info.ownerId, createdAt: info.createdAt, instance: instanceId },
        keys: keys.run(info.id),
        leaseMs,
        runningTtlMs,
      });
    },

    createWriterLog(info) {
      return createRedisWriterLog({
        redis,
        keys: keys.run(info.id),
        meta: { id: info.id, kind: info.kind, ownerId: info.ownerId, createdAt: info.createdAt, instance: instanceId },
        maxLen: options.maxLen,
        leaseMs,
        retentionMs,
        runningTtlMs,
        onLeaseLost: () => options.onLeaseLost?.(info.id),
      });
    },

    findRunMeta(id) {
      return readRunMeta(redis, id, keys.run(id));
    },

    openRun(meta) {
      const existing = views.get(meta.id);
      if (existing && !existing.run.broken()) {
        lingerView(meta.id);
        return existing.opened;
      }
      const runKeys = keys.run(meta.id);
      const run = createRemoteRun({
        meta,
        log: createRedisReaderLog({ redis, live, keys: runKeys }),
        redis,
        keys: runKeys,
        leaseMs,
        retentionMs,
        onProducerLost: options.onProducerLost,
        onBroken: (broken) => closeView(meta.id, broken),
      });
      const opened = run.ready.then(
        () => run,
        (error: unknown) => {
          closeView(meta.id, run);
          throw error;
        },
      );
      views.set(meta.id, { run, opened });
      lingerView(meta.id);
      return opened;
    },

    openedRun(id) {
      const view = views.get(id);
      if (!view) return undefined;
      lingerView(id);
      return view.run;
    },

    async setRunOwner(ids, ownerId) {
      for (const id of ids) {
        const view = views.get(id);
        if (view) view.run.ownerId = ownerId;
        await redis.scSetOwner(keys.run(id).meta, ownerId);
      }
    },

    async requestCancel(id) {
      await redis.publish(keys.cancelChannel, id);
    },

    async isWatched(id) {
      return (await redis.exists(keys.run(id).watched)) === 1;
    },

    producedRunIds(ids) {
      return idsWithAnyKey(redis, ids, (id) => [keys.run(id).lease]);
    },

    attendedRunIds(ids) {
      return idsWithAnyKey(redis, ids, (id) => [keys.run(id).lease, keys.run(id).watched]);
    },

    async health() {
      const started = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          redis.ping(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS))),
        ]);
      } catch {
        return { ok: false, error: 'Redis did not answer.' };
      } finally {
        clearTimeout(timer);
      }
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      if (!live.connected()) return { ok: false, latencyMs, error: 'The pub/sub connection to Redis is down.' };
      return { ok: true, latencyMs };
    },

    async close() {
      cancels.close();
      for (const [id, view] of views) closeView(id, view.run);
      await live.close();
    },
  };
}
