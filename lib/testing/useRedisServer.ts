/**
 * For vitest files that need Redis: a redis-server of their own, started before their tests and
 * stopped after. Where redis-server is not installed, `hasRedis` is false and the files skip
 * their Redis tests (use `describe.skipIf(!hasRedis)`), saying why once.
 */
import { afterAll, beforeAll } from 'vitest';
import { redisServerAvailable, REDIS_MISSING, startRedisServer, type RedisServer } from './redisServer';

export const hasRedis = redisServerAvailable();
if (!hasRedis) console.warn(REDIS_MISSING);

/** Starts a redis-server before the file's tests and stops it after; `current()` is the running server. */
export function useRedisServer(): { current(): RedisServer } {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    if (hasRedis) server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    current() {
      if (!server) throw new Error('redis-server is not running');
      return server;
    },
  };
}
