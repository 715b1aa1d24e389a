/**
 * A run's metadata in Redis: what any instance needs to serve a run it does not produce (who owns
 * it, what kind it is, how far it went, whether it ended), and its registration with the
 * producing instance's lease.
 */
import type { Redis } from 'ioredis';
import type { RunKeys } from './keys';

export interface RunMeta {
  id: string;
  kind: string;
  ownerId: string | null;
  createdAt: number;
  /** The producing instance. */
  instance: string;
  /** Seq of the last entry stored. */
  lastSeq: number;
  ended: boolean;
}

/** The hash fields of a run's metadata. */
export function metaFields(meta: RunMeta): Record<string, string> {
  return {
    kind: meta.kind,
    ownerId: meta.ownerId ?? '',
    createdAt: String(meta.createdAt),
    instance: meta.instance,
    lastSeq: String(meta.lastSeq),
    ended: meta.ended ? '1' : '0',
  };
}

function parseMeta(id: string, fields: Record<string, string>): RunMeta | undefined {
  if (fields.kind === undefined) return undefined;
  return {
    id,
    kind: fields.kind,
    ownerId: fields.ownerId ? fields.ownerId : null,
    createdAt: Number(fields.createdAt ?? 0),
    instance: fields.instance ?? '',
    lastSeq: Number(fields.lastSeq ?? 0),
    ended: fields.ended === '1',
  };
}

export async function readRunMeta(redis: Redis, id: string, keys: RunKeys): Promise<RunMeta | undefined> {
  return parseMeta(id, await redis.hgetall(keys.meta));
}

export interface RegisterRunArgs {
  meta: Omit<RunMeta, 'lastSeq' | 'ended'>;
  keys: RunKeys;
  leaseMs: number;
  /** TTL of a running run's keys: a safety net for runs whose producer died with nobody to notice. */
  runningTtlMs: number;
}

/** Records a new run and gives its producing instance the lease, in one transaction. */
export async function registerRun(redis: Redis, { meta, keys, leaseMs, runningTtlMs }: RegisterRunArgs): Promise<void> {
  await redis
    .multi()
    .hset(keys.meta, metaFields({ ...meta, lastSeq: 0, ended: false }))
    .pexpire(keys.meta, runningTtlMs)
    .set(keys.lease, meta.instance, 'PX', leaseMs)
    .exec()
    .then(assertTransaction);
}

/** `exec()` answers `[error, result]` per command, or null if the transaction was aborted. */
export function assertTransaction(results: [Error | null, unknown][] | null): void {
  if (!results) throw new Error('Redis transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
}
