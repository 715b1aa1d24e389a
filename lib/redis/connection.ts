/**
 * Redis connections, made one way for every part of the app that uses Redis (run logs, pub/sub,
 * rate limits).
 *
 * Two roles, never mixed: `commands` carries writes and reads, `subscriber` only pub/sub. A
 * connection waiting on a subscription (or any blocking read) would hold up every write queued
 * behind it, so the roles never share one.
 *
 * While Redis is unreachable, ioredis queues commands and reconnects; `commandTimeout` bounds how
 * long a caller waits, so an append or a read fails with a clear error rather than hanging.
 */
import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'commands' | 'subscriber';

/** Longest a command waits for its reply, reconnections included, before it fails. */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

export function createRedisConnection(url: string, role: RedisRole, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: `streamconsole-${role}`,
    // Reconnect quickly (a restarted Redis is back within a second or two), never give up.
    retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // Queued commands wait across reconnections; commandTimeout is what bounds them.
    maxRetriesPerRequest: null,
    // The live channels resubscribe themselves, so that they know when the subscription is back.
    autoResubscribe: false,
    ...options,
  });
  // Without a listener ioredis prints every connection error; reconnection is reported by the callers that care.
  redis.on('error', () => undefined);
  return redis;
}
