/**
 * The flags the application knows. Each has built-in settings, used until an admin saves some,
 * and may name the column of `user_preferences` that holds the user's own choice for it.
 */
import type { Config } from '../config';
import type { FlagSettings } from './rules';

export const FLAG_KEYS = ['streaming'] as const;
export type FlagKey = (typeof FLAG_KEYS)[number];

/** The `streaming` flag: whether a user's runs stream (SSE) or answer when done. */
export const STREAMING_FLAG: FlagKey = 'streaming';

export function isFlagKey(key: string): key is FlagKey {
  return (FLAG_KEYS as readonly string[]).includes(key);
}

/** Which `user_preferences` column holds the user's choice for a flag; `null`: users cannot choose. */
export const PREFERENCE_COLUMN_BY_FLAG = { streaming: 'streaming' } as const satisfies Record<FlagKey, 'streaming' | null>;

/** A flag's settings before any are saved: no kill switch, no rollout, nobody listed. */
export function builtInFlagSettings({ key, config }: { key: FlagKey; config: Pick<Config, 'STREAMING_FLAG_DEFAULT'> }): FlagSettings {
  const defaultValue = key === 'streaming' ? config.STREAMING_FLAG_DEFAULT : false;
  return { key, killSwitch: false, percentage: 0, allowlist: [], defaultValue, updatedAt: null };
}
