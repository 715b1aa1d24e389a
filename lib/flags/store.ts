/**
 * The database-backed {@link FlagStore}: flag settings from `flag_settings` (or the flag's
 * built-in settings when no row exists), users' choices from `user_preferences`.
 *
 * Settings are read on every run start, so they are cached for a short while (FLAGS_CACHE_TTL_MS,
 * 1 s by default). A write through `lib/flags` clears the cache at once, so in this process the
 * kill switch applies to the very next evaluation; other processes see it within the TTL.
 *
 * User choices apply to the user's very next run, so they are cached only where no other process
 * can write them: on the embedded database (PGlite belongs to this process alone), where the
 * choice is otherwise a query on every run start. A choice saved through `lib/flags` replaces the
 * cached one. On PostgreSQL, which instances share, each evaluation reads it.
 */
import 'server-only';

import { getConfig, type Config } from '../config';
import { getFlagSettingsByKey, getUserPreferencesByUserId, listUserPreferences } from '../db/flags';
import { builtInFlagSettings, isFlagKey, PREFERENCE_COLUMN_BY_FLAG } from './definitions';
import type { FlagStore } from './provider';
import type { FlagSettings } from './rules';

export interface DatabaseFlagStore extends FlagStore {
  /** The users' own choices for one flag, by user id (`null`: no choice). */
  listPreferences(args: { flagKey: string; userIds: readonly string[] }): Promise<Map<string, boolean | null>>;
  /** Forgets cached settings: of one flag, or of all. */
  invalidate(key?: string): void;
  /** Forgets a user's cached choices (they have just saved one). */
  invalidatePreference(userId: string): void;
}

/** Users whose choices are cached at most; past it the cache starts again (it is only a saving). */
const MAX_CACHED_PREFERENCES = 10_000;

interface CacheEntry {
  settings: Promise<FlagSettings | null>;
  expiresAt: number;
}

export function createDatabaseFlagStore({
  ttlMs,
  config,
  cachePreferences = false,
  now = Date.now,
}: {
  ttlMs: number;
  config: Pick<Config, 'STREAMING_FLAG_DEFAULT'>;
  /** Cache users' choices: only when no other process writes the database (PGlite). */
  cachePreferences?: boolean;
  now?: () => number;
}): DatabaseFlagStore {
  // Promises are cached, so concurrent first readers share one query.
  const cache = new Map<string, CacheEntry>();
  const preferences = new Map<string, Promise<boolean | null>>();

  const queryPreference = (userId: string): Promise<boolean | null> => getUserPreferencesByUserId({ userId }).then((row) => row?.streaming ?? null);

  function readPreference(userId: string): Promise<boolean | null> {
    if (!cachePreferences) return queryPreference(userId);
    const hit = preferences.get(userId);
    if (hit) return hit;
    if (preferences.size >= MAX_CACHED_PREFERENCES) preferences.clear();
    const read = queryPreference(userId);
    preferences.set(userId, read);
    read.catch(() => {
      if (preferences.get(userId) === read) preferences.delete(userId);
    });
    return read;
  }

  async function readSettings(key: string): Promise<FlagSettings | null> {
    if (!isFlagKey(key)) return null;
    const row = await getFlagSettingsByKey({ key });
    if (!row) return builtInFlagSettings({ key, config });
    return {
      key: row.key,
      killSwitch: row.killSwitch,
      percentage: row.percentage,
      allowlist: row.allowlist,
      defaultValue: row.defaultValue,
      updatedAt: row.updatedAt,
    };
  }

  return {
    getSettings(key) {
      if (ttlMs <= 0) return readSettings(key);
      const hit = cache.get(key);
      if (hit && hit.expiresAt > now()) return hit.settings;
      const entry: CacheEntry = { settings: readSettings(key), expiresAt: now() + ttlMs };
      cache.set(key, entry);
      // A failed read is not cached: the next evaluation tries again.
      entry.settings.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
      return entry.settings;
    },

    async getPreference({ flagKey, userId }) {
      if (!isFlagKey(flagKey) || PREFERENCE_COLUMN_BY_FLAG[flagKey] === null) return null;
      return readPreference(userId);
    },

    async listPreferences({ flagKey, userIds }) {
      const choices = new Map<string, boolean | null>(userIds.map((id) => [id, null]));
      if (!isFlagKey(flagKey) || PREFERENCE_COLUMN_BY_FLAG[flagKey] === null) return choices;
      for (const row of await listUserPreferences({ userIds })) choices.set(row.userId, row.streaming);
      return choices;
    },

    invalidate(key) {
      if (key === undefined) cache.clear();
      else cache.delete(key);
    },

    invalidatePreference(userId) {
      preferences.delete(userId);
    },
  };
}

// On globalThis, like the database connection: Next dev re-evaluates modules on edits, and the
// provider registered with OpenFeature must share its cache with the writers that invalidate it.
const globalForFlags = globalThis as typeof globalThis & { __streamConsoleFlagStore?: DatabaseFlagStore };

/** The process-wide store, configured from the environment at first use. */
export function getFlagStore(): DatabaseFlagStore {
  if (!globalForFlags.__streamConsoleFlagStore) {
    const config = getConfig();
    globalForFlags.__streamConsoleFlagStore = createDatabaseFlagStore({ ttlMs: config.FLAGS_CACHE_TTL_MS, config, cachePreferences: !config.DATABASE_URL });
  }
  return globalForFlags.__streamConsoleFlagStore;
}

/** Drops the process-wide store (tests that change the environment). */
export function resetFlagStore(): void {
  globalForFlags.__streamConsoleFlagStore = undefined;
}
