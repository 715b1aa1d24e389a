/**
 * The Lua scripts of the Redis run backend. Each runs atomically in Redis, which is what makes
 * the guarantees hold:
 *
 * - `scAppendMany`: each entry goes into the stream and onto the live channel in one step, so a
 *   reader that subscribed before it read the stream sees every entry once: in its replay or live.
 *   It refuses a run another instance has ended, and reports (-2) a run Redis has forgotten (a
 *   restart without persistence) so that the writer can restore it. One call carries the entries
 *   of every run this instance appended to in one turn (appendBatch.ts): one round trip, one
 *   reply. So the app needs one Redis primary (not a Cluster, where a call's keys must share a slot).
 * - `scRenewLease`: the producer keeps its lease, takes it back if it merely expired, or learns it
 *   has lost it.
 * - `scFailOrphan`: another instance ends a run whose producer's lease has expired, with a
 *   terminal `error` at the next seq, exactly once however many instances try.
 * - `scSetOwner`: a run's owner moves (sign-up replaced an anonymous account) only while Redis
 *   still holds the run, so the hash is never recreated without its TTL.
 */
import type { Redis, Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /**
     * numKeys, then per entry KEYS log meta lease; ARGV maxLen retentionMs instanceId runningTtlMs,
     * then per entry seq json liveChannel terminal(0|1). Per entry: 1 stored, -1 ended elsewhere, -2 run unknown.
     */
    scAppendMany(...args: (string | number)[]): Result<number[], Context>;
    /** KEYS lease meta; ARGV instanceId leaseMs. 1 held, 0 lost, -2 run unknown. */
    scRenewLease(...args: (string | number)[]): Result<number, Context>;
    /** KEYS log meta lease; ARGV jsonBeforeSeq jsonAfterSeq retentionMs liveChannel. The terminal's seq, or 0 if nothing was done. */
    scFailOrphan(...args: (string | number)[]): Result<number, Context>;
    /** KEYS meta; ARGV ownerId. 1 set, 0 run unknown (never creates a metadata hash with no TTL). */
    scSetOwner(...args: (string | number)[]): Result<number, Context>;
  }
}

// One call appends a batch of entries, of any runs, in order; its answer is one code per entry.
// Within a batch a run's later entries see what its earlier ones did (a run Redis has forgotten
// answers -2 for each of them, so the writer restores it and sends them again). The values every
// entry of an instance shares come once, first: per entry there are 3 keys and 4 values.
// `ended` is in every run's metadata hash ('0' or '1'), so a missing one means a missing hash.
const APPEND_MANY = `
local maxLen, retention, instance, runningTtl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local out = {}
for i = 0, #KEYS / 3 - 1 do
  local log, meta, lease = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  local a = 4 + i * 4
  local seq, json, live, terminal = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local ended = redis.call('HGET', meta, 'ended')
  if ended == false then
    out[i + 1] = -2
  elseif ended == '1' then
    out[i + 1] = -1
  else
    redis.call('XADD', log, 'MAXLEN', '~', maxLen, seq .. '-0', 'd', json)
    if terminal == '1' then
      redis.call('HSET', meta, 'lastSeq', seq, 'ended', '1')
      redis.call('PEXPIRE', log, retention)
      redis.call('PEXPIRE', meta, retention)
      if redis.call('GET', lease) == instance then redis.call('DEL', lease) end
    else
      redis.call('HSET', meta, 'lastSeq', seq)
      if redis.call('PTTL', log) < 0 then redis.call('PEXPIRE', log, runningTtl) end
    end
    redis.call('PUBLISH', live, json)
    out[i + 1] = 1
  end
end
return out
`;

const RENEW_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('EXISTS', KEYS[2]) == 0 then return -2 end
if holder == false and redis.call('HGET', KEYS[2], 'ended') ~= '1' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;

const FAIL_ORPHAN = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('HGET', KEYS[2], 'ended') == '1' then return 0 end
local seq = tonumber(redis.call('HGET', KEYS[2], 'lastSeq') or '0') + 1
local json = ARGV[1] .. seq .. ARGV[2]
redis.call('XADD', KEYS[1], seq .. '-0', 'd', json)
redis.call('HSET', KEYS[2], 'lastSeq', seq, 'ended', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[4], json)
return seq
`;

const SET_OWNER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'ownerId', ARGV[1])
return 1
`;

/** Defines the scripts on a connection (once); ioredis loads them, and reloads them after a Redis restart. */
export function defineRunScripts(redis: Redis): Redis {
  const scripts = { scAppendMany: [undefined, APPEND_MANY], scRenewLease: [2, RENEW_LEASE], scFailOrphan: [3, FAIL_ORPHAN], scSetOwner: [1, SET_OWNER] } as const;
  for (const [name, [numberOfKeys, lua]] of Object.entries(scripts)) {
    if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') redis.defineCommand(name, { numberOfKeys, lua });
  }
  return redis;
}
