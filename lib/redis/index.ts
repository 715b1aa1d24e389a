/**
 * The process-wide Redis command connection, when `REDIS_URL` is set. Kept on globalThis like the
 * database: route modules may be bundled apart, and Next dev re-evaluates modules on edits.
 */
import 'server-only';
import type { Redis } from 'ioredis';
import { getConfig } from '../config';
import { createRedisConnection } from './connection';

export { createRedisConnection, REDIS_COMMAND_TIMEOUT_MS, type RedisRole } from './connection';

const globalForRedis = globalThis as typeof globalThis & { __streamConsoleRedis?: Redis };

/** The shared command connection, or undefined when REDIS_URL is unset (everything stays in memory). */
export function getRedis(): Redis | undefined {
  const url = getConfig().REDIS_URL;
  if (!url) return undefined;
  globalForRedis.__streamConsoleRedis ??= createRedisConnection(url, 'commands');
  return globalForRedis.__streamConsoleRedis;
}
