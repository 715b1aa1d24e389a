/**
 * The `streaming` flag, per user, on the server. Evaluations go through the OpenFeature server
 * SDK with our {@link DatabaseFlagProvider}; settings and users' choices are written here too, so
 * that a write clears the settings cache and the next run sees it.
 */
import 'server-only';

import { OpenFeature } from '@openfeature/server-sdk';
import { z } from 'zod';
import { getConfig } from '../config';
import { upsertFlagSettings, upsertUserStreamingPreference } from '../db/flags';
import { STREAMING_FLAG, type FlagKey } from './definitions';
import { DatabaseFlagProvider } from './provider';
import { decideFlag, FLAG_RULES, type FlagRule, type FlagSettings } from './rules';
import { getFlagStore } from './store';

/** The provider, reading through whatever store is current (tests swap it by resetting the store). */
function createProvider(): DatabaseFlagProvider {
  return new DatabaseFlagProvider({
    store: {
      getSettings: (key) => getFlagStore().getSettings(key),
      getPreference: (args) => getFlagStore().getPreference(args),
    },
  });
}

/**
 * Makes our provider OpenFeature's default provider, unless it already is. Called before each
 * evaluation, so it is enough that server code evaluates through this module; call it at start-up
 * to have `OpenFeature.getClient()` answer from the database anywhere else too.
 */
export function registerFlagProvider(): void {
  if (OpenFeature.providerMetadata.name !== DatabaseFlagProvider.NAME) OpenFeature.setProvider(createProvider());
}

export interface StreamingEvaluation {
  enabled: boolean;
  /** OpenFeature reason: `DISABLED`, `user_preference`, `TARGETING_MATCH`, `SPLIT`, `DEFAULT`, or `ERROR`. */
  reason: string;
  /** The rule that decided: `kill_switch`, `user_preference`, `allowlist`, `rollout`, `default`, or `error`. */
  rule: FlagRule;
  /** The user's rollout bucket in [0, 100], when the rollout rule was reached. */
  bucket?: number;
}

/**
 * Whether this user's runs stream. Never throws: if the flag cannot be read (database down), the
 * answer is STREAMING_FLAG_DEFAULT with reason `ERROR`.
 */
export async function evaluateStreaming({ userId, role }: { userId: string; role?: string }): Promise<StreamingEvaluation> {
  registerFlagProvider();
  const fallback = getConfig().STREAMING_FLAG_DEFAULT;
  const details = await OpenFeature.getClient().getBooleanDetails(STREAMING_FLAG, fallback, {
    targetingKey: userId,
    ...(role === undefined ? {} : { role }),
  });
  const rule = (FLAG_RULES as readonly unknown[]).includes(details.flagMetadata.rule) ? (details.flagMetadata.rule as FlagRule) : 'error';
  const bucket = details.flagMetadata.bucket;
  return {
    enabled: details.value,
    reason: details.reason ?? 'UNKNOWN',
    rule,
    ...(typeof bucket === 'number' ? { bucket } : {}),
  };
}

/** A flag's current settings (the built-in ones until an admin saves some). */
export async function getFlagSettings({ key = STREAMING_FLAG }: { key?: FlagKey } = {}): Promise<FlagSettings> {
  const settings = await getFlagStore().getSettings(key);
  if (!settings) throw new Error(`flag ${key} has no settings`);
  return settings;
}

/** What an admin may change of a flag; fields left out keep their current value. */
export const flagSettingsPatchSchema = z.strictObject({
  killSwitch: z.boolean().optional(),
  percentage: z.number().int().min(0).max(100).optional(),
  /** User ids; blanks are dropped, duplicates merged. */
  allowlist: z.array(z.string().trim().max(200)).max(10_000).optional(),
  defaultValue: z.boolean().optional(),
});
export type FlagSettingsPatch = z.infer<typeof flagSettingsPatchSchema>;

/**
 * Changes some of a flag's settings and returns them all. Takes effect at the next evaluation in
 * this process (the cache is cleared), within FLAGS_CACHE_TTL_MS in others. Throws the `ZodError`
 * of a bad patch (a 400 with field errors at the route).
 */
export async function setFlagSettings({ key = STREAMING_FLAG, ...patch }: { key?: FlagKey } & FlagSettingsPatch): Promise<FlagSettings> {
  const change = flagSettingsPatchSchema.parse(patch);
  const store = getFlagStore();
  store.invalidate(key);
  const current = await getFlagSettings({ key });
  const allowlist = change.allowlist ? [...new Set(change.allowlist.filter((id) => id !== ''))] : current.allowlist;
  const row = await upsertFlagSettings({
    key,
    killSwitch: change.killSwitch ?? current.killSwitch,
    percentage: change.percentage ?? current.percentage,
    allowlist,
    defaultValue: change.defaultValue ?? current.defaultValue,
  });
  store.invalidate(key);
  return row;
}

/** Saves a user's own choice in Settings; `null` forgets it (the flag's rules decide again). */
export async function setUserStreamingPreference({ userId, streaming }: { userId: string; streaming: boolean | null }): Promise<void> {
  await upsertUserStreamingPreference({ userId, streaming });
  getFlagStore().invalidatePreference(userId);
}

export interface StreamingShare {
  /** Distinct users evaluated. */
  total: number;
  /** How many of them get streaming. */
  enabled: number;
  /** enabled / total, 0 when there are none. */
  share: number;
  /** How many users each rule decided. */
  byRule: Record<Exclude<FlagRule, 'error'>, number>;
  /** The ids that get streaming, when asked for (`listEnabled`). */
  enabledUserIds?: string[];
}

/**
 * The share of these users who currently get streaming, by the same rules as
 * {@link evaluateStreaming} (settings read once, users' choices in one batch). Roles are not
 * known here: admins among the ids count by the other rules.
 */
export async function shareOfUsersStreaming({ userIds, listEnabled = false }: { userIds: readonly string[]; listEnabled?: boolean }): Promise<StreamingShare> {
  const ids = [...new Set(userIds)];
  const settings = await getFlagSettings({ key: STREAMING_FLAG });
  const preferences = await getFlagStore().listPreferences({ flagKey: STREAMING_FLAG, userIds: ids });
  const byRule = { kill_switch: 0, user_preference: 0, allowlist: 0, rollout: 0, default: 0 };
  const enabledUserIds: string[] = [];
  for (const userId of ids) {
    const decision = decideFlag({ settings, preference: preferences.get(userId) ?? null, subject: { userId } });
    if (decision.rule !== 'error') byRule[decision.rule] += 1;
    if (decision.enabled) enabledUserIds.push(userId);
  }
  const enabled = enabledUserIds.length;
  return { total: ids.length, enabled, share: ids.length === 0 ? 0 : enabled / ids.length, byRule, ...(listEnabled ? { enabledUserIds } : {}) };
}
