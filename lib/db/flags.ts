/**
 * Queries on `flag_settings` (one row per flag: kill switch, rollout percentage, allowlist,
 * default) and `user_preferences` (a user's own choices). The rules that combine them live in
 * `lib/flags`; this file only reads and writes rows.
 */
import 'server-only';

import { eq, inArray, sql } from 'drizzle-orm';
import { getDb } from './client';
import { flagSettings, userPreferences, type FlagSettingsRow, type UserPreferencesRow } from './schema';

/** The settings row of one flag, or `null` when the flag has never been configured. */
export async function getFlagSettingsByKey({ key }: { key: string }): Promise<FlagSettingsRow | null> {
  const db = await getDb();
  const [row] = await db.select().from(flagSettings).where(eq(flagSettings.key, key)).limit(1);
  return row ?? null;
}

/** Every configured flag, by key. */
export async function listFlagSettings(): Promise<FlagSettingsRow[]> {
  const db = await getDb();
  return db.select().from(flagSettings).orderBy(flagSettings.key);
}

/**
 * Writes all of one flag's settings (insert or replace) and returns the stored row. Callers merge
 * a partial change with the current settings first (`setFlagSettings` in `lib/flags`).
 */
export async function upsertFlagSettings({
  key,
  killSwitch,
  percentage,
  allowlist,
  defaultValue,
}: {
  key: string;
  killSwitch: boolean;
  /** 0-100; the table rejects anything else. */
  percentage: number;
  allowlist: string[];
  defaultValue: boolean;
}): Promise<FlagSettingsRow> {
  const db = await getDb();
  const values = { killSwitch, percentage, allowlist, defaultValue };
  const [row] = await db
    .insert(flagSettings)
    .values({ key, ...values })
    .onConflictDoUpdate({ target: flagSettings.key, set: { ...values, updatedAt: sql`now()` } })
    .returning();
  if (!row) throw new Error(`upsert of flag settings ${key} returned no row`);
  return row;
}

/** A user's preferences row, or `null` when the user has never saved any. */
export async function getUserPreferencesByUserId({ userId }: { userId: string }): Promise<UserPreferencesRow | null> {
  const db = await getDb();
  const [row] = await db.select().from(userPreferences).where(eq(userPreferences.userId, userId)).limit(1);
  return row ?? null;
}

// PostgreSQL takes at most 65,535 bind parameters per statement; stay far below it.
const IDS_PER_QUERY = 1_000;

/** The preferences rows of these users (users without a row are simply absent). */
export async function listUserPreferences({ userIds }: { userIds: readonly string[] }): Promise<UserPreferencesRow[]> {
  if (userIds.length === 0) return [];
  const db = await getDb();
  const unique = [...new Set(userIds)];
  const rows: UserPreferencesRow[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const chunk = unique.slice(i, i + IDS_PER_QUERY);
    rows.push(...(await db.select().from(userPreferences).where(inArray(userPreferences.userId, chunk))));
  }
  return rows;
}

/**
 * Saves a user's streaming choice: `true` or `false`, or `null` to forget it (the flag's rules
 * decide again). Returns the stored row.
 */
export async function upsertUserStreamingPreference({
  userId,
  streaming,
}: {
  userId: string;
  streaming: boolean | null;
}): Promise<UserPreferencesRow> {
  const db = await getDb();
  const [row] = await db
    .insert(userPreferences)
    .values({ userId, streaming })
    .onConflictDoUpdate({ target: userPreferences.userId, set: { streaming, updatedAt: sql`now()` } })
    .returning();
  if (!row) throw new Error(`upsert of preferences of ${userId} returned no row`);
  return row;
}
