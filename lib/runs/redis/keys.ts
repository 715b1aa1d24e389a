/**
 * Names of the Redis keys and channels of the run backend, all under one prefix (REDIS_KEY_PREFIX).
 * A run's keys share the hash tag `{<run id>}`, so that on a Redis Cluster they sit in one slot and
 * the scripts that touch several of them stay valid.
 */

export interface RunKeys {
  /** The stream of the run's envelopes; entry ids are `<seq>-0`. */
  log: string;
  /** Hash: ownerId, kind, createdAt, instance, lastSeq, ended. */
  meta: string;
  /** The producing instance's lease: its instance id, with a TTL it keeps renewing. */
  lease: string;
  /** Set (with a TTL) while readers on some instance watch the run: the grace period must wait. */
  watched: string;
  /** Pub/sub channel that carries each new entry to the instances reading the run. */
  live: string;
}

export interface BackendKeys {
  run(runId: string): RunKeys;
  /** Pub/sub channel of cancel requests (the message is the run id). */
  cancelChannel: string;
}

export function backendKeys(prefix: string): BackendKeys {
  return {
    run(runId) {
      const base = `${prefix}run:{${runId}}`;
      return { log: `${base}:log`, meta: `${base}:meta`, lease: `${base}:lease`, watched: `${base}:watched`, live: `${base}:live` };
    },
    cancelChannel: `${prefix}cancel`,
  };
}
