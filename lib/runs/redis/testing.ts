/**
 * Helpers for tests of the Redis run backend: a real redis-server per test file, and "instances"
 * (a hub and a Redis backend with connections of their own) living side by side in one process.
 */
import type { Redis } from 'ioredis';
import { createRedisConnection } from '../../redis/connection';
import { createRunHub, type RunHub, type RunHubOptions } from '../hub';
import { createRedisRunBackend, type RedisRunBackend, type RedisRunBackendOptions } from './backend';

export { hasRedis, useRedisServer } from '../../testing/useRedisServer';

export interface TestInstance {
  hub: RunHub;
  backend: RedisRunBackend;
  redis: Redis;
  close(): Promise<void>;
}

let prefixes = 0;
/** A key prefix of its own for each test, so that tests sharing a server never see each other's runs. */
export function freshPrefix(): string {
  prefixes += 1;
  return `test${process.pid}-${prefixes}:`;
}

/** One app instance: a hub whose runs are logged in Redis, and a backend serving runs of others. */
export function createTestInstance(
  url: string,
  {
    prefix,
    hub: hubOptions = {},
    backend: backendOptions = {},
    commandTimeoutMs,
  }: { prefix: string; hub?: Partial<RunHubOptions>; backend?: Partial<RedisRunBackendOptions>; commandTimeoutMs?: number },
): TestInstance {
  const redis = createRedisConnection(url, 'commands', commandTimeoutMs ? { commandTimeout: commandTimeoutMs } : {});
  const subscriber = createRedisConnection(url, 'subscriber');
  let hub!: RunHub;
  const backend = createRedisRunBackend({
    redis,
    subscriber,
    keyPrefix: prefix,
    maxLen: 1_000,
    leaseMs: 1_000,
    retentionMs: 60_000,
    maxDurationMs: 60_000,
    onCancelRequested: (id) => hub.cancel(id, 'user'),
    onLeaseLost: (id) => hub.fail(id, { code: 'internal:producer_lost', message: 'lost' }),
    ...backendOptions,
  });
  hub = createRunHub({
    graceMs: 60_000,
    maxDurationMs: 60_000,
    retentionMs: 60_000,
    createLog: (_id, info) => backend.createWriterLog(info),
    isWatchedElsewhere: (run) => backend.isWatched(run.id),
    ...hubOptions,
  });
  return {
    hub,
    backend,
    redis,
    async close() {
      await hub.shutdown();
      await backend.close();
      redis.disconnect();
    },
  };
}

/** Starts a run on an instance the way the registry does: registered in Redis (with its lease) first. */
export async function startRunOn<Input>(instance: TestInstance, spec: Parameters<RunHub['start']>[0] & { input: Input }) {
  const id = spec.id ?? crypto.randomUUID();
  await instance.backend.registerRun({ id, kind: spec.kind, ownerId: spec.ownerId ?? null, createdAt: Date.now() });
  return instance.hub.start({ ...spec, id });
}
